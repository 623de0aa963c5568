// UsersModel under QAbstractItemModelTester (itself and through the sorting, filtering proxy
// the Users tab uses), changed in place: a changed row is one dataChanged, new rows are
// inserted, gone rows removed, never a reset, so a selection survives updates, re-sorting and
// a reconnect's full list. Users of an unreachable node are greyed.

#include "admin-gui/core/tablefilterproxy.h"
#include "admin-gui/core/usersmodel.h"
#include "tests/support/adminsamples.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace flack;
using namespace flack::admin;
using flack::testing::sampleUser;

namespace {

QList<protocol::UserInfo> users()
{
    return testing::sampleSnapshot().users;
}

QString n(int node, int counter)
{
    return QStringLiteral("n%1/k3x9a1/%2").arg(node).arg(counter);
}

} // namespace

class TestUsersModel : public QObject
{
    Q_OBJECT

private slots:
    void passesModelTesterThroughUpdates();
    void showsColumns();
    void changesInPlace();
    void removesRunsAndReindexes();
    void selectionSurvivesUpdatesSortAndFilter();
    void setRowsMergesFullList();
    void greysUsersOfUnreachableNodes();
};

void TestUsersModel::passesModelTesterThroughUpdates()
{
    UsersModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(UsersModel::MessagesSent, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(users());
    QCOMPARE(model.rowCount(), 6);
    protocol::UserInfo busier = users()[0];
    busier.messagesSent = 1000;
    model.applyChanges({busier, sampleUser(QStringLiteral("n3"), 7, QStringLiteral("Gus"))},
                       {n(2, 1), n(1, 3)});
    QCOMPARE(model.rowCount(), 5);
    proxy.setFilterText(QStringLiteral("node:n1"));
    QCOMPARE(proxy.rowCount(), 2);
    model.applyChanges({sampleUser(QStringLiteral("n1"), 8, QStringLiteral("Hal"))}, {n(1, 2)});
    QCOMPARE(proxy.rowCount(), 2);
    model.setUnreachableNodes({QStringLiteral("n1")});
    model.clearRows();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(proxy.rowCount(), 0);
}

void TestUsersModel::showsColumns()
{
    UsersModel model;
    model.setRows({sampleUser(QStringLiteral("n2"), 5, QStringLiteral("Ann"),
                              {QStringLiteral("lobby"), QStringLiteral("dev")})});
    QCOMPARE(model.columnCount(), int(UsersModel::ColumnCount));
    const auto cell = [&](int column, int role = Qt::DisplayRole) {
        return model.index(0, column).data(role);
    };
    QCOMPARE(cell(UsersModel::UserName).toString(), QStringLiteral("Ann"));
    QCOMPARE(cell(UsersModel::Node).toString(), QStringLiteral("n2"));
    QCOMPARE(cell(UsersModel::Chats).toString(), QStringLiteral("lobby, dev"));
    QCOMPARE(cell(UsersModel::Chats, SortRole).toLongLong(), 2);
    QCOMPARE(cell(UsersModel::MessagesSent, SortRole).toLongLong(), 5);
    QCOMPARE(cell(UsersModel::ConnectionId).toString(), n(2, 5));
    QCOMPARE(cell(UsersModel::UserName, KeyRole).toString(), n(2, 5));
    QCOMPARE(cell(UsersModel::ConnectedSince, Qt::ToolTipRole).toString(),
             QStringLiteral("2026-12-01T20:59:05Z"));
    QVERIFY(!cell(UsersModel::ConnectedSince).toString().isEmpty());
    QCOMPARE(model.headerData(UsersModel::RemoteAddress, Qt::Horizontal).toString(),
             QStringLiteral("Remote address"));
    QVERIFY(!model.index(0, 0).parent().isValid());
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
}

void TestUsersModel::changesInPlace()
{
    UsersModel model;
    model.setRows(users());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);

    // An unchanged row in the list changes nothing.
    model.applyChanges({users()[2]}, {});
    QCOMPARE(changed.size(), 0);

    protocol::UserInfo moved = users()[2];
    moved.chats = {QStringLiteral("ops")};
    model.applyChanges({moved}, {});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex(), model.index(2, 0));
    QCOMPARE(changed[0][1].toModelIndex(), model.index(2, UsersModel::ColumnCount - 1));
    QCOMPARE(model.at(2).chats, QStringList{QStringLiteral("ops")});

    model.applyChanges({sampleUser(QStringLiteral("n3"), 7, QStringLiteral("Gus")),
                        sampleUser(QStringLiteral("n3"), 8, QStringLiteral("Hal"))},
                       {QStringLiteral("not/there/1")});
    QCOMPARE(inserted.size(), 1); // appended in one go
    QCOMPARE(inserted[0][1].toInt(), 6);
    QCOMPARE(inserted[0][2].toInt(), 7);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(model.rowOf(n(3, 8)), 7);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(layout.size(), 0);
}

void TestUsersModel::removesRunsAndReindexes()
{
    UsersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(users()); // Ann Bob Cid Dee Eve Fay
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.applyChanges({}, {n(1, 2), n(2, 2), n(1, 3), n(1, 2)}); // Bob, Eve, Cid (Bob twice)
    // Two runs, bottom first: Eve (4), then Bob and Cid (1-2).
    QCOMPARE(removed.size(), 2);
    QCOMPARE(removed[0][1].toInt(), 4);
    QCOMPARE(removed[0][2].toInt(), 4);
    QCOMPARE(removed[1][1].toInt(), 1);
    QCOMPARE(removed[1][2].toInt(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(n(1, 1)), 0);
    QCOMPARE(model.rowOf(n(2, 1)), 1);
    QCOMPARE(model.rowOf(n(3, 1)), 2);
    QCOMPARE(model.rowOf(n(1, 2)), -1);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOf(model.index(row, 0).data(KeyRole).toString()), row);
}

void TestUsersModel::selectionSurvivesUpdatesSortAndFilter()
{
    UsersModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(UsersModel::MessagesSent, Qt::AscendingOrder);
    QItemSelectionModel selection(&proxy);
    model.setRows(users());

    const auto proxyRowOf = [&](const QString &key) {
        for (int row = 0; row < proxy.rowCount(); ++row) {
            if (proxy.index(row, 0).data(KeyRole).toString() == key)
                return row;
        }
        return -1;
    };
    const auto selectedKeys = [&] {
        QStringList keys;
        for (const QModelIndex &index : selection.selectedRows())
            keys.append(index.data(KeyRole).toString());
        keys.sort();
        return keys;
    };
    const QString dee = n(2, 1);
    const QString fay = n(3, 1);
    selection.select(proxy.index(proxyRowOf(dee), 0),
                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection.select(proxy.index(proxyRowOf(fay), 0),
                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection.setCurrentIndex(proxy.index(proxyRowOf(dee), 0), QItemSelectionModel::NoUpdate);
    const QPersistentModelIndex deeSource = model.index(model.rowOf(dee), 0);
    QCOMPARE(selectedKeys(), (QStringList{dee, fay}));

    // Rows above go, rows come, Dee's count makes her move to the end of the sort order.
    protocol::UserInfo busyDee = users()[3];
    busyDee.messagesSent = 500;
    model.applyChanges({busyDee, sampleUser(QStringLiteral("n1"), 9, QStringLiteral("Ivy"))},
                       {n(1, 1), n(1, 2)});
    QCOMPARE(selectedKeys(), (QStringList{dee, fay}));
    QCOMPARE(proxyRowOf(dee), proxy.rowCount() - 1);
    QCOMPARE(selection.currentIndex().data(KeyRole).toString(), dee);
    QVERIFY(deeSource.isValid());
    QCOMPARE(deeSource.data(KeyRole).toString(), dee);

    // Filtering Fay out drops her from the selection; Dee stays.
    proxy.setFilterText(QStringLiteral("node:n2"));
    QCOMPARE(selectedKeys(), QStringList{dee});
    proxy.setFilterText({});
    QCOMPARE(selectedKeys(), QStringList{dee});

    // A reconnect's full list that still has Dee keeps her selected.
    QList<protocol::UserInfo> again = model.rows();
    again.removeLast();
    model.setRows(again);
    QCOMPARE(selectedKeys(), QStringList{dee});

    // Dee leaves: the selection empties instead of moving to a neighbour.
    model.applyChanges({}, {dee});
    QVERIFY(selectedKeys().isEmpty());
    QVERIFY(!deeSource.isValid());
}

void TestUsersModel::setRowsMergesFullList()
{
    UsersModel model;
    model.setRows(users());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QList<protocol::UserInfo> list = users();
    list.removeAt(1);
    list[0].messagesSent = 99;
    list.append(sampleUser(QStringLiteral("n2"), 9, QStringLiteral("Jo")));
    model.setRows(list);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.at(model.rowOf(n(1, 1))).messagesSent, 99);
}

void TestUsersModel::greysUsersOfUnreachableNodes()
{
    UsersModel model;
    model.setRows(users());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setUnreachableNodes({QStringLiteral("n2")});
    QCOMPARE(changed.size(), 2); // Dee and Eve only
    const QModelIndex dee = model.index(model.rowOf(n(2, 1)), 0);
    const QModelIndex ann = model.index(model.rowOf(n(1, 1)), 0);
    QVERIFY(dee.data(StaleRole).toBool());
    QVERIFY(dee.data(Qt::ForegroundRole).isValid());
    QVERIFY(dee.data(Qt::ToolTipRole).toString().contains(QStringLiteral("n2 is unreachable")));
    QVERIFY(!ann.data(StaleRole).toBool());
    QVERIFY(!ann.data(Qt::ForegroundRole).isValid());
    model.setUnreachableNodes({QStringLiteral("n2")});
    QCOMPARE(changed.size(), 2);
    model.setUnreachableNodes({});
    QCOMPARE(changed.size(), 4);
    QVERIFY(!dee.data(StaleRole).toBool());
}

QTEST_MAIN(TestUsersModel)
#include "tst_usersmodel.moc"
