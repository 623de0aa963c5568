// The /admin endpoint against real servers: closed (403) without a token; wrong, missing and
// out-of-order hellos refused with the documented codes; on a two-node cluster the admin
// connected to one node sees both nodes, their links, the chat and both users, kicks the user
// on the other node (who gets CHAT_ADMIN-001 and is closed, while the chat's members get
// left), the next update removes that user, and the audit log has the kick; kicks waiting for a
// node that doesn't answer are bounded per connection.

#include "shared/adminrecord.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/localcluster.h"
#include "tests/support/rawclient.h"
#include "tests/support/wstestclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace flack::test;
using namespace Qt::StringLiterals;
namespace protocol = flack::protocol;

namespace {

const QByteArray kToken = "admin-token-for-the-integration-test";
constexpr int kHelloDeadlineMs = 10000; // the hello deadline (docs/admin-protocol.md)

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1StringView(key)).toString();
}

QUrl adminUrl(ServerProcess &node)
{
    return QUrl(u"ws://127.0.0.1:%1/admin"_s.arg(node.port()));
}

QJsonObject findBy(const QJsonArray &array, const char *key, const QString &value)
{
    for (const QJsonValue &item : array) {
        if (str(item.toObject(), key) == value)
            return item.toObject();
    }
    return {};
}

} // namespace

class TestAdmin : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<LocalCluster> m_cluster;

    std::unique_ptr<WsTestClient> admin(int node, const QByteArray &token = kToken)
    {
        auto client = std::make_unique<WsTestClient>();
        if (!client->open(adminUrl(m_cluster->node(node))))
            return nullptr;
        client->sendText(protocol::encodeAdminHello({u"1.0"_s, QString::fromUtf8(token)}));
        return client;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString tokenFile = m_dir.filePath(u"admin.token"_s);
        QFile file(tokenFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kToken + '\n');
        file.close();
        m_cluster =
            std::make_unique<LocalCluster>(3000, QStringList{u"--admin-token-file"_s, tokenFile});
        QVERIFY2(m_cluster->startNode(1), m_cluster->node(1).output().constData());
        QVERIFY2(m_cluster->startNode(2), m_cluster->node(2).output().constData());
        QVERIFY(m_cluster->waitForMesh({1, 2}));
    }

    void withoutATokenTheEndpointIsClosed()
    {
        ServerProcess alone;
        QVERIFY2(alone.start(), alone.output().constData());
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, alone.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /admin HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY(QTest::qWaitFor(
            [&] {
                socket.waitForReadyRead(100);
                return socket.bytesAvailable() >= 12 ||
                       socket.state() != QAbstractSocket::ConnectedState;
            },
            5000));
        QVERIFY2(socket.readAll().startsWith("HTTP/1.1 403"), "expected 403 Forbidden");
    }

    // Pings whose pongs are never read count against what may wait for an admin client, even
    // before its hello: it is dropped long before the hello deadline.
    void unreadPongsBeforeTheHelloAreBounded()
    {
        NonReadingClient pinger;
        QVERIFY(pinger.connectTo(m_cluster->node(1).port()));
        QVERIFY(pinger.upgrade("/admin"));
        QByteArray batch;
        for (int i = 0; i < 500; ++i)
            batch += maskedFrame(0x9, QByteArray(125, 'p'));
        QElapsedTimer elapsed;
        elapsed.start();
        bool hungUp = false;
        while (!hungUp && elapsed.elapsed() < kHelloDeadlineMs - 2000)
            hungUp = !pinger.send(batch) || pinger.waitForHangUp(0);
        QVERIFY2(hungUp, "the admin endpoint kept queueing pongs for a client that never reads");
        // The node is fine. (No operator connects here: one that stays watching would make
        // the next test's snapshot come from the view composed before its users joined.)
        WsTestClient user;
        QVERIFY(user.open(m_cluster->node(1).chatUrl()));
        QVERIFY(!user.login(u"after"_s).isEmpty());
    }

    void wrongTokenIsRefusedLateAndLogged()
    {
        auto client = admin(1, "not-the-token-at-all-sorry");
        QVERIFY(client);
        const QJsonObject error = client->next(5000);
        QCOMPARE(str(error, "record"), u"admin_error"_s);
        QCOMPARE(str(error, "code"), u"ADMIN-001"_s);
        QVERIFY(client->waitForDisconnected(5000));
        QVERIFY(QTest::qWaitFor(
            [&] { return m_cluster->node(1).output().contains("refused: wrong admin token"); },
            5000));
        QVERIFY(!m_cluster->node(1).output().contains(kToken));
    }

    void malformedHellosAreRefused_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QString>("code");
        QTest::newRow("no token") << QByteArray(
                                         R"({"record":"admin_hello","protocol_version":"1.0"})")
                                  << u"ADMIN-002"_s;
        QTest::newRow("kick before hello")
            << QByteArray(R"({"record":"kick_user","connection_id":"n1/x/1","reason":"x"})")
            << u"ADMIN-002"_s;
        QTest::newRow("not json") << QByteArray("hello?") << u"ADMIN-002"_s;
        QTest::newRow("version 2.0")
            << QByteArray(R"({"record":"admin_hello","protocol_version":"2.0","token":"x"})")
            << u"ADMIN-003"_s;
    }
    void malformedHellosAreRefused()
    {
        QFETCH(QByteArray, first);
        QFETCH(QString, code);
        WsTestClient client;
        QVERIFY(client.open(adminUrl(m_cluster->node(2))));
        client.sendText(first);
        const QJsonObject error = client.next(5000);
        QCOMPARE(str(error, "record"), u"admin_error"_s);
        QCOMPARE(str(error, "code"), code);
        QVERIFY(client.waitForDisconnected(5000));
    }

    void seesTheWholeClusterAndKicksOnTheOtherNode()
    {
        WsTestClient ann, bo;
        QVERIFY(ann.open(m_cluster->node(1).chatUrl()));
        const QString annId = ann.login(u"Ann"_s);
        QVERIFY(!annId.isEmpty());
        QVERIFY(bo.open(m_cluster->node(2).chatUrl()));
        QVERIFY(!bo.login(u"Bo"_s).isEmpty());
        ann.join(u"lobby"_s);
        bo.join(u"lobby"_s);
        QCOMPARE(str(ann.nextOf(u"joined"), "user_name"), u"Bo"_s);

        auto client = admin(1);
        QVERIFY(client);
        const QJsonObject snapshot = client->nextOf(u"cluster_snapshot", 10000);
        QVERIFY2(!snapshot.isEmpty(), "no cluster_snapshot");
        QCOMPARE(str(snapshot, "node"), u"n1"_s);
        const QJsonArray nodes = snapshot.value(u"nodes"_s).toArray();
        QCOMPARE(nodes.size(), 2);
        const QJsonObject n2 = findBy(nodes, "name", u"n2"_s);
        QCOMPARE(str(n2, "status"), u"up"_s);
        QCOMPARE(str(findBy(n2.value(u"links"_s).toArray(), "node", u"n1"_s), "state"), u"up"_s);
        const QJsonObject lobby = findBy(snapshot.value(u"chats"_s).toArray(), "name", u"lobby"_s);
        QCOMPARE(lobby.value(u"members"_s).toInt(), 2);
        const QJsonArray users = snapshot.value(u"users"_s).toArray();
        const QJsonObject annUser = findBy(users, "user_name", u"Ann"_s);
        const QJsonObject boUser = findBy(users, "user_name", u"Bo"_s);
        QCOMPARE(str(annUser, "node"), u"n1"_s);
        QCOMPARE(str(boUser, "node"), u"n2"_s);
        QCOMPARE(boUser.value(u"chats"_s).toArray().first().toString(), u"lobby"_s);
        const QString boConnection = str(boUser, "connection_id");
        QVERIFY(boConnection.startsWith(u"n2/"_s));

        client->sendText(protocol::encodeKickUser({boConnection, u"enough"_s}));
        const QJsonObject result = client->nextOf(u"kick_result", 10000);
        QCOMPARE(str(result, "connection_id"), boConnection);
        QVERIFY(result.value(u"ok"_s).toBool());
        const QJsonObject kicked = bo.nextOf(u"protocol_error", 5000);
        QCOMPARE(str(kicked, "code"), u"CHAT_ADMIN-001"_s);
        QCOMPARE(str(kicked, "reason"), u"enough"_s);
        QVERIFY(bo.waitForDisconnected(5000));
        QCOMPARE(str(ann.nextOf(u"left", 5000), "user_id"), str(boUser, "user_id"));

        // The next updates drop Bo, and the chat has one member left.
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QJsonObject update = client->nextOf(u"cluster_update", 3000);
                return update.value(u"users_removed"_s).toArray().contains(boConnection);
            },
            10000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return m_cluster->node(1).output().contains("kick_user " + boConnection.toUtf8());
            },
            5000));

        client->sendText(protocol::encodeKickUser({u"n2/none/1"_s, u""_s}));
        const QJsonObject missing = client->nextOf(u"kick_result", 10000);
        QVERIFY(!missing.value(u"ok"_s).toBool());
        QCOMPARE(str(missing, "reason"), u"no such connection"_s);
    }

    // Kicks for a node that doesn't answer wait (up to 3 s each); beyond 64 at a time one
    // connection's kicks are refused at once, so the server holds no unbounded list of them.
    void kicksWaitingForAnAnswerAreBounded()
    {
        auto client = admin(1);
        QVERIFY(client);
        QVERIFY(!client->nextOf(u"cluster_snapshot", 10000).isEmpty());
        // Node 2 stops answering (but stays linked: its sockets stay open).
        const qint64 pid = m_cluster->node(2).process().processId();
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        constexpr int kKicks = 100;
        for (int i = 0; i < kKicks; ++i)
            client->sendText(protocol::encodeKickUser({u"n2/stopped/%1"_s.arg(i), u""_s}));
        // The ones over the bound come back first, at once; the rest when their deadline ends.
        int refusedAtOnce = 0;
        int answered = 0;
        while (answered < kKicks) {
            const QJsonObject result = client->nextOf(u"kick_result", 15000);
            QVERIFY2(!result.isEmpty(), qPrintable(u"%1 kick_results of %2"_s.arg(answered).arg(kKicks)));
            QVERIFY(!result.value(u"ok"_s).toBool());
            if (str(result, "reason") == u"too many kicks waiting for an answer (64)"_s) {
                QCOMPARE(answered, refusedAtOnce); // none of the waiting ones came before
                ++refusedAtOnce;
            }
            ++answered;
        }
        QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
        QCOMPARE(refusedAtOnce, kKicks - 64);
        // The bound is per waiting kick, not for ever: now that they were answered, a kick
        // is taken again.
        client->sendText(protocol::encodeKickUser({u"n1/none/1"_s, u""_s}));
        QCOMPARE(str(client->nextOf(u"kick_result", 10000), "reason"), u"no such connection"_s);
        QVERIFY(m_cluster->waitForMesh({1, 2}));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_cluster->terminate(2), 0);
        QCOMPARE(m_cluster->terminate(1), 0);
    }
};

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
