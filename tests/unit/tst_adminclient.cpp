// AdminClient against a fake /admin endpoint on loopback: the hello it sends, the snapshot and
// updates reaching its ClusterState, kicks and their answers, and what it does when things go
// wrong — wrong token (final, no retry), a violation, a silent server, a dropped connection or
// no server at all (reconnect with growing back-off, state kept and merged).

#include "admin-gui/core/adminclient.h"
#include "tests/support/adminsamples.h"
#include "tests/support/fakeadminserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace flack;
using namespace flack::admin;
using flack::testing::FakeAdminServer;
using State = AdminClient::State;

class TestAdminClient : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void signsInAndAppliesSnapshotAndUpdates();
    void kicksAndReportsResults();
    void refusesToSendOutOfBounds();
    void wrongTokenIsFinal();
    void reconnectsAfterDropAndMergesSnapshot();
    void retriesWithGrowingBackoffUntilServerComes();
    void violationReconnects_data();
    void violationReconnects();
    void silentServerReconnects();
    void pendingKickAnsweredWhenConnectionLost();
    void disconnectStops();
    void otherUrlClearsState();

private:
    std::unique_ptr<FakeAdminServer> m_server;
    std::unique_ptr<AdminClient> m_client;

    void connectClient()
    {
        m_client->connectToServer(m_server->url(), m_server->token());
        QTRY_COMPARE(m_client->state(), State::Live);
    }
};

void TestAdminClient::init()
{
    m_server = std::make_unique<FakeAdminServer>();
    m_server->setSnapshot(testing::sampleSnapshot());
    QVERIFY(m_server->listen());
    m_client = std::make_unique<AdminClient>();
    m_client->setReconnectDelays(50, 400);
}

void TestAdminClient::cleanup()
{
    m_client.reset();
    m_server.reset();
}

void TestAdminClient::signsInAndAppliesSnapshotAndUpdates()
{
    QSignalSpy states(m_client.get(), &AdminClient::stateChanged);
    connectClient();
    QCOMPARE(states.size(), 3);
    QCOMPARE(states[0][0].value<State>(), State::Connecting);
    QCOMPARE(states[1][0].value<State>(), State::Authenticating);
    QCOMPARE(states[2][0].value<State>(), State::Live);

    QCOMPARE(m_server->hellos().size(), 1);
    QCOMPARE(m_server->hellos()[0].protocolVersion, QStringLiteral("1.0"));
    QCOMPARE(m_server->hellos()[0].token, m_server->token());

    ClusterState *cluster = m_client->cluster();
    QCOMPARE(cluster->answeringNode(), QStringLiteral("n1"));
    QCOMPARE(cluster->nodes().size(), 3);
    QCOMPARE(cluster->chatCount(), 3);
    QCOMPARE(cluster->userCount(), 6);

    QSignalSpy applied(cluster, &ClusterState::recordApplied);
    protocol::ClusterUpdate update = m_server->emptyUpdate();
    update.time = QStringLiteral("2026-12-01T21:00:01Z");
    update.usersRemoved = {QStringLiteral("n1/k3x9a1/1")};
    update.usersChanged = {testing::sampleUser(QStringLiteral("n3"), 9, QStringLiteral("Gus"))};
    m_server->sendUpdate(update);
    QTRY_COMPARE(applied.size(), 1);
    QCOMPARE(cluster->userCount(), 6);
    QVERIFY(!cluster->user(QStringLiteral("n1/k3x9a1/1")));
    QCOMPARE(cluster->user(QStringLiteral("n3/k3x9a1/9"))->userName, QStringLiteral("Gus"));
    QCOMPARE(cluster->time(), QStringLiteral("2026-12-01T21:00:01Z"));
    QCOMPARE(cluster->history().samples().size(), 2);
    QVERIFY(m_client->lastError().isEmpty());
}

void TestAdminClient::kicksAndReportsResults()
{
    connectClient();
    QSignalSpy results(m_client.get(), &AdminClient::kickFinished);
    QVERIFY(m_client->kickUser(QStringLiteral("n1/k3x9a1/2"), QStringLiteral("spamming")));
    QCOMPARE(m_client->pendingKicks(), QStringList{QStringLiteral("n1/k3x9a1/2")});
    QTRY_COMPARE(results.size(), 1);
    const auto ok = results[0][0].value<protocol::KickResult>();
    QCOMPARE(ok, (protocol::KickResult{QStringLiteral("n1/k3x9a1/2"), true, {}}));
    QCOMPARE(m_server->kicks().size(), 1);
    QCOMPARE(m_server->kicks()[0].reason, QStringLiteral("spamming"));
    QVERIFY(m_client->pendingKicks().isEmpty());
    // The fake's next round removes the kicked user.
    QTRY_VERIFY(!m_client->cluster()->user(QStringLiteral("n1/k3x9a1/2")));

    QVERIFY(m_client->kickUser(QStringLiteral("n9/x/1"), {}));
    QTRY_COMPARE(results.size(), 2);
    const auto failed = results[1][0].value<protocol::KickResult>();
    QVERIFY(!failed.ok);
    QCOMPARE(failed.reason, QStringLiteral("no such connection"));
    QCOMPARE(m_server->kicks()[1].reason, QString()); // empty: the server's default applies
    QCOMPARE(m_client->state(), State::Live);
}

void TestAdminClient::refusesToSendOutOfBounds()
{
    QVERIFY(!m_client->kickUser(QStringLiteral("n1/k3x9a1/2"), {})); // not connected
    connectClient();
    QVERIFY(!m_client->kickUser(QString(), {}));
    QVERIFY(!m_client->kickUser(QString(513, u'x'), {}));
    QVERIFY(!m_client->kickUser(QStringLiteral("a"), QString(1025, u'r')));
    // Bounds are UTF-8 bytes: 342 two-byte characters are 684 bytes, 513 are 1026.
    QVERIFY(m_client->kickUser(QStringLiteral("a"), QString(342, QChar(0xE9))));
    QVERIFY(!m_client->kickUser(QStringLiteral("a"), QString(513, QChar(0xE9))));
    QTRY_COMPARE(m_server->kicks().size(), 1);
}

void TestAdminClient::wrongTokenIsFinal()
{
    QSignalSpy states(m_client.get(), &AdminClient::stateChanged);
    m_client->connectToServer(m_server->url(), QStringLiteral("wrong-token-wrong-token"));
    QTRY_COMPARE(m_client->state(), State::Refused);
    QVERIFY2(m_client->lastError().startsWith(QStringLiteral("ADMIN-001: ")),
             qPrintable(m_client->lastError()));
    QVERIFY(!m_client->lastError().contains(QStringLiteral("wrong-token-wrong-token")));
    // No retry: the back-off is 50 ms, give it many times that.
    QTest::qWait(400);
    QCOMPARE(m_server->hellos().size(), 1);
    QCOMPARE(m_client->state(), State::Refused);
    QVERIFY(!m_client->cluster()->hasData());

    // Asked again with the right token, it works.
    connectClient();
}

void TestAdminClient::reconnectsAfterDropAndMergesSnapshot()
{
    connectClient();
    ClusterState *cluster = m_client->cluster();
    QSignalSpy chats(cluster, &ClusterState::chatsChanged);
    QSignalSpy users(cluster, &ClusterState::usersChanged);
    QSignalSpy cleared(cluster, &ClusterState::cleared);

    m_server->dropClients(true);
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QVERIFY(!m_client->lastError().isEmpty());
    QVERIFY(cluster->hasData()); // kept, to show while reconnecting
    QTRY_COMPARE(m_client->state(), State::Live);
    QCOMPARE(m_server->hellos().size(), 2);
    // Same data in the new snapshot: nothing reaches the models.
    QCOMPARE(chats.size(), 0);
    QCOMPARE(users.size(), 0);
    QCOMPARE(cleared.size(), 0);

    // Changed while away: only the difference arrives.
    m_server->dropClients(false);
    protocol::ClusterSnapshot changed = testing::sampleSnapshot();
    changed.users.removeFirst();
    changed.chats[0].members = 5;
    m_server->setSnapshot(changed);
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QTRY_COMPARE(m_client->state(), State::Live);
    QCOMPARE(users.size(), 1);
    QCOMPARE(users[0][0].value<QList<protocol::UserInfo>>().size(), 0);
    QCOMPARE(users[0][1].toStringList(), QStringList{QStringLiteral("n1/k3x9a1/1")});
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats[0][0].value<QList<protocol::ChatInfo>>().size(), 1);
    QVERIFY(m_client->lastError().isEmpty());
}

void TestAdminClient::retriesWithGrowingBackoffUntilServerComes()
{
    const quint16 port = m_server->port();
    const QUrl url = m_server->url();
    m_server->close();
    QList<int> delays;
    connect(m_client.get(), &AdminClient::stateChanged, this, [&](State state) {
        if (state == State::WaitingToReconnect)
            delays.append(m_client->reconnectDelayMs());
    });
    m_client->connectToServer(url, m_server->token());
    QTRY_VERIFY_WITH_TIMEOUT(delays.size() >= 4, 10000);
    // 50, 100, 200, 400 (capped) with ±20% jitter.
    QVERIFY2(delays[0] >= 40 && delays[0] <= 60, qPrintable(QString::number(delays[0])));
    QVERIFY(delays[1] >= 80 && delays[1] <= 120);
    QVERIFY(delays[2] >= 160 && delays[2] <= 240);
    QVERIFY(delays[3] >= 320 && delays[3] <= 480);
    QVERIFY(!m_client->lastError().isEmpty());

    QVERIFY(m_server->listen(port));
    QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), State::Live, 10000);
}

void TestAdminClient::violationReconnects_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not JSON") << QByteArray("nope") << QStringLiteral("not valid JSON");
    FakeAdminServer source;
    source.setSnapshot(testing::sampleSnapshot());
    QTest::newRow("update before snapshot") << protocol::encodeClusterUpdate(source.emptyUpdate())
                                            << QStringLiteral("before cluster_snapshot");
    protocol::ClusterSnapshot bad = testing::sampleSnapshot();
    bad.unreachable = {QStringLiteral("n2")}; // but n2's status is up
    QTest::newRow("inconsistent snapshot")
        << protocol::encodeClusterSnapshot(bad) << QStringLiteral("unreachable");
    QTest::newRow("client record")
        << protocol::encodeKickUser({QStringLiteral("a"), {}}) << QStringLiteral("kick_user");
}

void TestAdminClient::violationReconnects()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, mentions);
    m_server->setHelloReply(reply);
    m_client->connectToServer(m_server->url(), m_server->token());
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QVERIFY2(m_client->lastError().contains(QStringLiteral("protocol violation")) &&
                 m_client->lastError().contains(mentions),
             qPrintable(m_client->lastError()));
    QVERIFY(!m_client->cluster()->hasData());
    // The server mends its ways: the next attempt succeeds.
    m_server->setHelloReply({});
    QTRY_COMPARE(m_client->state(), State::Live);
}

void TestAdminClient::silentServerReconnects()
{
    m_client->setSilenceTimeoutMs(300);
    connectClient();
    // The fake sends nothing after the snapshot, as a hung node would.
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QVERIFY2(m_client->lastError().contains(QStringLiteral("no answer")),
             qPrintable(m_client->lastError()));
    QTRY_COMPARE(m_client->state(), State::Live);
    QVERIFY(m_server->hellos().size() >= 2);
}

void TestAdminClient::pendingKickAnsweredWhenConnectionLost()
{
    connectClient();
    m_server->setAnswerKicks(false);
    QSignalSpy results(m_client.get(), &AdminClient::kickFinished);
    QVERIFY(m_client->kickUser(QStringLiteral("n1/k3x9a1/2"), QStringLiteral("r")));
    QTRY_COMPARE(m_server->kicks().size(), 1);
    m_server->dropClients(true);
    QTRY_COMPARE(results.size(), 1);
    const auto result = results[0][0].value<protocol::KickResult>();
    QCOMPARE(result.connectionId, QStringLiteral("n1/k3x9a1/2"));
    QVERIFY(!result.ok);
    QVERIFY2(result.reason.contains(QStringLiteral("may or may not")), qPrintable(result.reason));
    QVERIFY(m_client->pendingKicks().isEmpty());
}

void TestAdminClient::disconnectStops()
{
    connectClient();
    m_client->disconnectFromServer();
    QCOMPARE(m_client->state(), State::Disconnected);
    QTRY_COMPARE(m_server->connectionCount(), 0);
    QTest::qWait(300);
    QCOMPARE(m_client->state(), State::Disconnected);
    QCOMPARE(m_server->hellos().size(), 1);
    // The last view stays on screen until another cluster is chosen.
    QVERIFY(m_client->cluster()->hasData());
}

void TestAdminClient::otherUrlClearsState()
{
    connectClient();
    FakeAdminServer other;
    protocol::ClusterSnapshot small = testing::sampleSnapshot();
    small.users.clear();
    other.setSnapshot(small);
    QVERIFY(other.listen());
    QSignalSpy cleared(m_client->cluster(), &ClusterState::cleared);
    m_client->connectToServer(other.url(), other.token());
    QCOMPARE(cleared.size(), 1);
    QTRY_COMPARE(m_client->state(), State::Live);
    QCOMPARE(m_client->cluster()->userCount(), 0);
}

QTEST_GUILESS_MAIN(TestAdminClient)
#include "tst_adminclient.moc"
