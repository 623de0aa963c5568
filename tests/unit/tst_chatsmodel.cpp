// ChatsModel under QAbstractItemModelTester through chats_changed and chats_removed; columns,
// numeric sorting, in-place changes that keep the selection, chats of an unreachable owner
// greyed.

#include "admin-gui/core/chatsmodel.h"
#include "admin-gui/core/tablefilterproxy.h"
#include "tests/support/adminsamples.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace flack;
using namespace flack::admin;
using flack::testing::sampleChat;

class TestChatsModel : public QObject
{
    Q_OBJECT

private slots:
    void passesModelTesterThroughUpdates();
    void showsAndSortsColumns();
    void updatesKeepSelection();
};

void TestChatsModel::passesModelTesterThroughUpdates()
{
    ChatsModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(ChatsModel::Members, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applyChanges(testing::sampleSnapshot().chats, {});
    model.applyChanges({sampleChat(QStringLiteral("lobby"), QStringLiteral("n2"), 1),
                        sampleChat(QStringLiteral("new"), QStringLiteral("n3"), 9)},
                       {QStringLiteral("dev")});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("new"));
    proxy.setFilterText(QStringLiteral("owner:n3"));
    QCOMPARE(proxy.rowCount(), 2);
    model.setUnreachableNodes({QStringLiteral("n3")});
    model.applyChanges({}, {QStringLiteral("ops"), QStringLiteral("new")});
    QCOMPARE(proxy.rowCount(), 0);
    model.clearRows();
}

void TestChatsModel::showsAndSortsColumns()
{
    ChatsModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    model.applyChanges({sampleChat(QStringLiteral("b"), QStringLiteral("n1"), 10),
                        sampleChat(QStringLiteral("a"), QStringLiteral("n2"), 9),
                        sampleChat(QStringLiteral("C"), QStringLiteral("n1"), 100)},
                       {});
    QCOMPARE(model.index(0, ChatsModel::Members).data().toString(), QStringLiteral("10"));
    QCOMPARE(model.index(0, ChatsModel::MessagesPerS).data().toString(), QStringLiteral("1.5"));
    QCOMPARE(model.index(0, ChatsModel::LastSequence).data(SortRole).toLongLong(), 57);
    QCOMPARE(model.headerData(ChatsModel::Owner, Qt::Horizontal).toString(),
             QStringLiteral("Owner"));
    // Numbers sort as numbers (9 < 10 < 100), names without regard to case.
    proxy.sort(ChatsModel::Members, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("a"));
    QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("C"));
    proxy.sort(ChatsModel::Name, Qt::AscendingOrder);
    QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("C"));

    model.setUnreachableNodes({QStringLiteral("n1")});
    QVERIFY(model.index(model.rowOf(QStringLiteral("b")), 0).data(StaleRole).toBool());
    QVERIFY(!model.index(model.rowOf(QStringLiteral("a")), 0).data(StaleRole).toBool());
}

void TestChatsModel::updatesKeepSelection()
{
    ChatsModel model;
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(ChatsModel::MessagesPerS, Qt::DescendingOrder);
    QItemSelectionModel selection(&proxy);
    model.applyChanges(testing::sampleSnapshot().chats, {});
    const int opsRow = [&] {
        for (int row = 0; row < proxy.rowCount(); ++row) {
            if (proxy.index(row, 0).data().toString() == u"ops")
                return row;
        }
        return -1;
    }();
    selection.select(proxy.index(opsRow, 0),
                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QSignalSpy reset(&proxy, &QAbstractItemModel::modelReset);
    protocol::ChatInfo ops = sampleChat(QStringLiteral("ops"), QStringLiteral("n3"), 1);
    ops.messagesPerS = 300; // now first by rate
    model.applyChanges({ops, sampleChat(QStringLiteral("zzz"), QStringLiteral("n1"), 0)},
                       {QStringLiteral("lobby")});
    QCOMPARE(reset.size(), 0);
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows()[0].data().toString(), QStringLiteral("ops"));
    QCOMPARE(selection.selectedRows()[0].row(), 0);
}

QTEST_MAIN(TestChatsModel)
#include "tst_chatsmodel.moc"
