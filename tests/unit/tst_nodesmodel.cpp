// NodesModel under QAbstractItemModelTester: every record lists every node in full, and the
// model turns that into in-place changes (a node's figures are one dataChanged, a new node an
// insert, a departed one a removal), so the Nodes table keeps its selection; columns show and
// sort the figures, links and unreachable nodes.

#include "admin-gui/core/nodesmodel.h"
#include "admin-gui/core/tablefilterproxy.h"
#include "tests/support/adminsamples.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace flack;
using namespace flack::admin;

class TestNodesModel : public QObject
{
    Q_OBJECT

private slots:
    void passesModelTesterThroughRecords();
    void showsAndSortsFigures();
    void fullListsChangeInPlaceAndKeepSelection();
};

void TestNodesModel::passesModelTesterThroughRecords()
{
    NodesModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(NodesModel::MessagesIn, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<protocol::NodeInfo> nodes = testing::sampleSnapshot().nodes;
    model.setRows(nodes);
    nodes[1].status = protocol::NodeStatus::Unreachable;
    nodes[2].messagesInPerS = 99;
    model.setRows(nodes);
    model.setUnreachableNodes({QStringLiteral("n2")});
    nodes.removeFirst();
    model.setRows(nodes);
    QCOMPARE(model.rowCount(), 2);
    model.setRows({});
    QCOMPARE(proxy.rowCount(), 0);
}

void TestNodesModel::showsAndSortsFigures()
{
    NodesModel model;
    protocol::NodeInfo node = testing::sampleNode(
        QStringLiteral("n1"), {QStringLiteral("n2"), QStringLiteral("n3")}, 1840.5);
    node.links[1].state = protocol::LinkState::Down;
    node.links[1].rttMs = -1;
    node.uptimeS = 3 * 3600 + 5 * 60;
    node.connections = 12345;
    model.setRows({node});
    const auto cell = [&](int column, int role = Qt::DisplayRole) {
        return model.index(0, column).data(role);
    };
    QCOMPARE(cell(NodesModel::Name).toString(), QStringLiteral("n1"));
    QCOMPARE(cell(NodesModel::Status).toString(), QStringLiteral("up"));
    QCOMPARE(cell(NodesModel::Uptime).toString(), QStringLiteral("3 h 05 min"));
    QCOMPARE(cell(NodesModel::Uptime, SortRole).toLongLong(), 3 * 3600 + 5 * 60);
    QCOMPARE(cell(NodesModel::Connections, SortRole).toLongLong(), 12345);
    QCOMPARE(cell(NodesModel::MessagesIn, SortRole).toDouble(), 1840.5);
    QCOMPARE(cell(NodesModel::Links).toString(), QStringLiteral("1/2 up"));
    QCOMPARE(cell(NodesModel::Links, Qt::ToolTipRole).toString(),
             QStringLiteral("n2 1 ms, n3 down"));
    QCOMPARE(cell(NodesModel::Links, SortRole).toInt(), 1);
    QCOMPARE(cell(NodesModel::Started, SortRole).toLongLong(), node.incarnation);
    QCOMPARE(cell(NodesModel::Connections, Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(model.headerData(NodesModel::Deliveries, Qt::Horizontal).toString(),
             QStringLiteral("Deliveries/s"));

    node.status = protocol::NodeStatus::Unreachable;
    model.setRows({node});
    model.setUnreachableNodes({QStringLiteral("n1")});
    QCOMPARE(cell(NodesModel::Status).toString(), QStringLiteral("unreachable"));
    QVERIFY(cell(NodesModel::Name, StaleRole).toBool());
}

void TestNodesModel::fullListsChangeInPlaceAndKeepSelection()
{
    NodesModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(NodesModel::Name, Qt::AscendingOrder);
    QItemSelectionModel selection(&proxy);
    QList<protocol::NodeInfo> nodes = testing::sampleSnapshot().nodes;
    model.setRows(nodes);
    selection.select(proxy.index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(selection.selectedRows()[0].data().toString(), QStringLiteral("n2"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setRows(nodes); // the same list: nothing
    QCOMPARE(changed.size() + inserted.size() + removed.size(), 0);

    nodes[1].connections = 50;
    nodes.removeFirst();
    nodes.append(testing::sampleNode(QStringLiteral("n0"), {}));
    model.setRows(nodes);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows()[0].data().toString(), QStringLiteral("n2"));
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("n0"));
}

QTEST_MAIN(TestNodesModel)
#include "tst_nodesmodel.moc"
