// ClusterState keeps the snapshot with every update applied in order and hands the models only
// what changed: an update's rows, a re-snapshot's differences (a reconnect), nothing for
// unchanged rows or unknown removals. Totals and the rate history follow each record; the
// history keeps one sample a second, drops old ones and restarts when time goes backwards.

#include "admin-gui/core/clusterstate.h"
#include "tests/support/adminsamples.h"

#include <QSignalSpy>
#include <QTest>

using namespace flack;
using namespace flack::admin;
using testing::sampleChat;
using testing::sampleUser;

namespace {

protocol::ClusterUpdate updateOf(const protocol::ClusterSnapshot &snapshot, const char *time)
{
    protocol::ClusterUpdate update;
    update.node = snapshot.node;
    update.time = QString::fromLatin1(time);
    update.nodes = snapshot.nodes;
    update.unreachable = snapshot.unreachable;
    return update;
}

} // namespace

class TestClusterState : public QObject
{
    Q_OBJECT

private slots:
    void snapshotFillsEverything();
    void updateAppliesChangesInOrder();
    void resnapshotEmitsOnlyDifferences();
    void unreachableNodesReachModelsAndTotals();
    void clearForgets();
    void historyKeepsOneSampleASecond();
    void historyDropsOldAndRestartsWhenTimeGoesBack();
};

void TestClusterState::snapshotFillsEverything()
{
    ClusterState state;
    QSignalSpy nodes(&state, &ClusterState::nodesChanged);
    QSignalSpy chats(&state, &ClusterState::chatsChanged);
    QSignalSpy users(&state, &ClusterState::usersChanged);
    QSignalSpy applied(&state, &ClusterState::recordApplied);
    QVERIFY(!state.hasData());
    state.applySnapshot(testing::sampleSnapshot());
    QVERIFY(state.hasData());
    QCOMPARE(nodes.size(), 1);
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats[0][0].value<QList<protocol::ChatInfo>>().size(), 3);
    QCOMPARE(users.size(), 1);
    QCOMPARE(users[0][0].value<QList<protocol::UserInfo>>().size(), 6);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(state.answeringNode(), QStringLiteral("n1"));
    QCOMPARE(state.chat(QStringLiteral("lobby"))->owner, QStringLiteral("n2"));
    QCOMPARE(state.user(QStringLiteral("n2/k3x9a1/2"))->userName, QStringLiteral("Eve"));
    QVERIFY(!state.user(QStringLiteral("n9/x/1")));
    const ClusterTotals totals = state.totals();
    QCOMPARE(totals.nodes, 3);
    QCOMPARE(totals.users, 6);
    QCOMPARE(totals.chats, 3);
    QCOMPARE(totals.messagesInPerS, 30.0);
    QCOMPARE(state.history().samples().size(), 1);
}

void TestClusterState::updateAppliesChangesInOrder()
{
    ClusterState state;
    const protocol::ClusterSnapshot snapshot = testing::sampleSnapshot();
    state.applySnapshot(snapshot);
    QSignalSpy nodes(&state, &ClusterState::nodesChanged);
    QSignalSpy chats(&state, &ClusterState::chatsChanged);
    QSignalSpy users(&state, &ClusterState::usersChanged);
    QList<QByteArray> order;
    for (const char *name : {"nodes", "chats", "users", "applied"}) {
        const QByteArray tag(name);
        const auto note = [&order, tag] { order.append(tag); };
        if (tag == "nodes")
            connect(&state, &ClusterState::nodesChanged, this, note);
        else if (tag == "chats")
            connect(&state, &ClusterState::chatsChanged, this, note);
        else if (tag == "users")
            connect(&state, &ClusterState::usersChanged, this, note);
        else
            connect(&state, &ClusterState::recordApplied, this, note);
    }

    protocol::ClusterUpdate update = updateOf(snapshot, "2026-12-01T21:00:01Z");
    update.nodes[0].connections = 6;
    update.chatsChanged = {sampleChat(QStringLiteral("lobby"), QStringLiteral("n2"), 7)};
    update.chatsRemoved = {QStringLiteral("dev"), QStringLiteral("never-there")};
    update.usersChanged = {sampleUser(QStringLiteral("n3"), 5, QStringLiteral("Gus")),
                           snapshot.users[0]}; // unchanged: not passed on
    update.usersRemoved = {QStringLiteral("n1/k3x9a1/2")};
    state.applyUpdate(update);
    QCOMPARE(order, (QList<QByteArray>{"nodes", "chats", "users", "applied"}));
    QCOMPARE(chats[0][0].value<QList<protocol::ChatInfo>>().size(), 1);
    QCOMPARE(chats[0][1].toStringList(), QStringList{QStringLiteral("dev")});
    QCOMPARE(users[0][0].value<QList<protocol::UserInfo>>().size(), 1);
    QCOMPARE(users[0][1].toStringList(), QStringList{QStringLiteral("n1/k3x9a1/2")});
    QCOMPARE(state.chatCount(), 2);
    QCOMPARE(state.userCount(), 6);
    QCOMPARE(state.chat(QStringLiteral("lobby"))->members, 7);
    QCOMPARE(state.totals().connections, 16);

    // A quiet round: only recordApplied.
    order.clear();
    state.applyUpdate(updateOf(snapshot, "2026-12-01T21:00:02Z"));
    QCOMPARE(order.size(), 2); // nodes (connections back to 5) and applied
    order.clear();
    state.applyUpdate(updateOf(snapshot, "2026-12-01T21:00:03Z"));
    QCOMPARE(order, QList<QByteArray>{"applied"});
    QCOMPARE(state.time(), QStringLiteral("2026-12-01T21:00:03Z"));
}

void TestClusterState::resnapshotEmitsOnlyDifferences()
{
    ClusterState state;
    protocol::ClusterSnapshot snapshot = testing::sampleSnapshot();
    state.applySnapshot(snapshot);
    QSignalSpy nodes(&state, &ClusterState::nodesChanged);
    QSignalSpy chats(&state, &ClusterState::chatsChanged);
    QSignalSpy users(&state, &ClusterState::usersChanged);
    snapshot.time = QStringLiteral("2026-12-01T21:00:05Z");
    state.applySnapshot(snapshot);
    QCOMPARE(nodes.size() + chats.size() + users.size(), 0);

    snapshot.users.removeAt(2);
    snapshot.users[0].messagesSent = 40;
    snapshot.chats.append(sampleChat(QStringLiteral("new"), QStringLiteral("n3"), 1));
    state.applySnapshot(snapshot);
    QCOMPARE(users.size(), 1);
    QCOMPARE(users[0][0].value<QList<protocol::UserInfo>>().size(), 1);
    QCOMPARE(users[0][1].toStringList(), QStringList{QStringLiteral("n1/k3x9a1/3")});
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats[0][1].toStringList(), QStringList());
    QCOMPARE(state.userCount(), 5);
    QCOMPARE(state.chatCount(), 4);
}

void TestClusterState::unreachableNodesReachModelsAndTotals()
{
    ClusterState state;
    protocol::ClusterSnapshot snapshot = testing::sampleSnapshot();
    state.applySnapshot(snapshot);
    QSignalSpy nodes(&state, &ClusterState::nodesChanged);
    protocol::ClusterUpdate update = updateOf(snapshot, "2026-12-01T21:00:01Z");
    update.nodes[2].status = protocol::NodeStatus::Unreachable;
    update.unreachable = {QStringLiteral("n3")};
    state.applyUpdate(update);
    QCOMPARE(nodes.size(), 1);
    QCOMPARE(nodes[0][1].value<QSet<QString>>(), QSet<QString>{QStringLiteral("n3")});
    QCOMPARE(state.unreachable(), QSet<QString>{QStringLiteral("n3")});
    // Its users are kept as last reported, the rates leave it out.
    QCOMPARE(state.userCount(), 6);
    QVERIFY(state.totals().partial);
    QCOMPARE(state.totals().nodesUp, 2);
    QCOMPARE(state.totals().messagesInPerS, 20.0);
    QCOMPARE(state.history().samples().last().messagesInPerS, 20.0);
}

void TestClusterState::clearForgets()
{
    ClusterState state;
    state.applySnapshot(testing::sampleSnapshot());
    QSignalSpy cleared(&state, &ClusterState::cleared);
    state.clear();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(!state.hasData());
    QCOMPARE(state.userCount(), 0);
    QCOMPARE(state.chatCount(), 0);
    QVERIFY(state.nodes().isEmpty());
    QVERIFY(state.history().samples().isEmpty());
    QCOMPARE(state.totals(), ClusterTotals{});
    // A snapshot after a clear is all new again.
    QSignalSpy users(&state, &ClusterState::usersChanged);
    state.applySnapshot(testing::sampleSnapshot());
    QCOMPARE(users[0][0].value<QList<protocol::UserInfo>>().size(), 6);
}

void TestClusterState::historyKeepsOneSampleASecond()
{
    RateHistory history;
    history.add({100, 1, 2});
    history.add({101, 3, 4});
    history.add({101, 5, 6}); // same second: replaces
    QCOMPARE(history.samples().size(), 2);
    QCOMPARE(history.samples().last(), (RateHistory::Sample{101, 5, 6}));
    history.add({110, 7, 8}); // a gap is kept as a gap
    QCOMPARE(history.samples().size(), 3);
}

void TestClusterState::historyDropsOldAndRestartsWhenTimeGoesBack()
{
    RateHistory history(60);
    for (qint64 t = 0; t < 200; ++t)
        history.add({t, double(t), 0});
    QCOMPARE(history.samples().size(), 61);
    QCOMPARE(history.samples().first().time, 139);
    history.add({150, 1, 1}); // another node's clock, behind: start again
    QCOMPARE(history.samples().size(), 1);
    QCOMPARE(history.samples().first().time, 150);
}

QTEST_GUILESS_MAIN(TestClusterState)
#include "tst_clusterstate.moc"
