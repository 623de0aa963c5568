// Connection admission against a real server: which browser origins may open websockets
// (--allowed-origins; the page's own origin and non-browsers always), how many connections one
// address may hold (--max-connections-per-address), and that connections still in their HTTP,
// handshake or pre-authentication phase can't lock legitimate users out (--max-pending-
// connections, --handshake-timeout-ms, --auth-timeout-seconds).

#include "shared/adminrecord.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/polling.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QJsonObject>
#include <QNetworkInterface>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace flack::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kAdminToken = "admin-token-for-the-admission-test";

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extraHeaders)
{
    return "GET " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           extraHeaders + "\r\n";
}

// The response head (and what came with it) to one raw request; a 101 leaves the socket open,
// so this reads until the head is complete instead of until the close.
RawHttpResponse answerHead(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray raw;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && !raw.contains("\r\n\r\n") &&
           socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(100);
        raw += socket.readAll();
    }
    raw += socket.readAll();
    return parseRawHttp(raw);
}

// A raw request to host (rawHttp() only speaks to 127.0.0.1).
RawHttpResponse rawHttpTo(const QString &host, quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(host, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray raw;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && socket.state() != QAbstractSocket::UnconnectedState) {
        socket.waitForReadyRead(100);
        raw += socket.readAll();
    }
    raw += socket.readAll();
    return parseRawHttp(raw);
}

// An IPv4 address of this host that is not loopback, or an empty string.
QString outsideAddress()
{
    const QList<QHostAddress> addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            return address.toString();
    }
    return {};
}

} // namespace

class TestAdmission : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void foreignOriginsAreRefused()
    {
        ServerProcess server(
            {u"--allowed-origins"_s, u"https://app.example,http://localhost:3000"_s});
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"FLACK_ADMIN_TOKEN"_s, QString::fromLatin1(kAdminToken));
        server.setEnvironment(environment);
        QVERIFY2(server.start(), server.output().constData());
        const quint16 port = server.port();
        const QByteArray own = "Origin: http://127.0.0.1\r\n";

        for (const QByteArray &path : {QByteArray("/chat-server"), QByteArray("/admin")}) {
            // Not a browser, the page's own origin (http or https), and the listed ones.
            for (const QByteArray &headers :
                 {QByteArray(), own, QByteArray("Origin: https://127.0.0.1\r\n"),
                  QByteArray("Origin: https://app.example\r\n"),
                  QByteArray("Origin: HTTP://LOCALHOST:3000\r\n")}) {
                const RawHttpResponse response = answerHead(port, upgradeRequest(path, headers));
                QVERIFY2(response.status == 101, (path + ' ' + headers + response.raw).constData());
            }
            // Anyone else's page may not open a websocket in its visitors' name.
            for (const QByteArray &headers :
                 {QByteArray("Origin: https://evil.example\r\n"), QByteArray("Origin: null\r\n"),
                  QByteArray("Origin: http://127.0.0.1:1\r\n"),
                  QByteArray("Origin: http://localhost:3001\r\n")}) {
                const RawHttpResponse response = rawHttp(port, upgradeRequest(path, headers));
                QVERIFY2(response.status == 403, (path + ' ' + headers + response.raw).constData());
                QCOMPARE(response.body, QByteArray("this origin may not open websockets here\n"));
            }
        }
        // A real websocket client with a foreign origin is refused; with none it chats.
        QWebSocket foreign(u"https://evil.example"_s);
        QSignalSpy connected(&foreign, &QWebSocket::connected);
        QSignalSpy failed(&foreign, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        foreign.open(server.chatUrl());
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !connected.isEmpty(), 10000);
        QVERIFY(connected.isEmpty());
        WsTestClient user;
        QVERIFY(user.open(server.chatUrl()));
        QVERIFY(!user.login(u"alice"_s).isEmpty());
        // Refusals are logged with the address they came from.
        QTRY_VERIFY_WITH_TIMEOUT(
            server.output().contains("refused a connection from 127.0.0.1: websocket upgrade"),
            5000);
        QCOMPARE(server.terminate(), 0);
    }

    void oneAddressCannotTakeEverySlot()
    {
        // Loopback peers are exempt (a local proxy shares one address among everybody), so the
        // clients come from this host's own outside address.
        const QString outside = outsideAddress();
        QVERIFY2(!outside.isEmpty(), "this test needs a non-loopback IPv4 address on this host");
        ServerProcess server({u"--port"_s, u"0"_s, u"--bind"_s, u"0.0.0.0"_s,
                              u"--max-connections-per-address"_s, u"3"_s});
        server.setDefaultArguments(false);
        server.setBindAddress(outside); // what the test's URLs name
        QVERIFY2(server.start(), server.output().constData());
        const QByteArray health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        WsTestClient users[3];
        for (int i = 0; i < 3; ++i) {
            QVERIFY(users[i].open(server.chatUrl()));
            QVERIFY(!users[i].login(u"user%1"_s.arg(i)).isEmpty());
        }
        // A fourth connection from that address, HTTP or websocket, gets a clear refusal.
        const RawHttpResponse refused = rawHttpTo(outside, server.port(), health);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.body, QByteArray("too many connections from your address\n"));
        WsTestClient fourth;
        QVERIFY(!fourth.open(server.chatUrl(), 5000));
        // Other addresses are not affected, loopback never capped.
        for (int i = 0; i < 4; ++i)
            QCOMPARE(rawHttpTo(u"127.0.0.1"_s, server.port(), health).status, 200);
        // Those present carry on.
        for (WsTestClient &user : users) {
            user.sendText(flack::protocol::encodePing());
            QCOMPARE(user.nextOf(u"ping_reply").value(u"record"_s).toString(), u"ping_reply"_s);
        }
        // One leaves: once its socket is gone, its slot serves someone else.
        users[0].socket().abort();
        QCOMPARE(probeUntil([&] { return rawHttpTo(outside, server.port(), health).status; }, 200),
                 200);
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("refused a connection from " +
                                                          outside.toLatin1() +
                                                          ": over --max-connections-per-address"),
                                 5000);
        QCOMPARE(server.terminate(), 0);
    }

    void lateAuthenticationIsClosed()
    {
        ServerProcess server({u"--auth-timeout-seconds"_s, u"1"_s});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient silent;    // says nothing at all
        WsTestClient helloOnly; // hello, then nothing
        WsTestClient user;
        QVERIFY(silent.open(server.chatUrl()));
        QVERIFY(helloOnly.open(server.chatUrl()));
        QVERIFY(user.open(server.chatUrl()));
        helloOnly.sendText(flack::protocol::encodeClientHello(u"1.0"));
        QCOMPARE(helloOnly.next().value(u"record"_s).toString(), u"server_hello"_s);
        QVERIFY(!user.login(u"alice"_s).isEmpty());
        for (WsTestClient *late : {&silent, &helloOnly}) {
            const QJsonObject error = late->nextOf(u"protocol_error", 5000);
            QCOMPARE(error.value(u"code"_s).toString(), u"CHAT_LIMIT-006"_s);
            QVERIFY(late->waitForDisconnected(5000));
            QCOMPARE(late->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        }
        // The one who authenticated in time is not touched.
        user.sendText(flack::protocol::encodePing());
        QCOMPARE(user.nextOf(u"ping_reply").value(u"record"_s).toString(), u"ping_reply"_s);
        QVERIFY(user.isConnected());
        QCOMPARE(server.terminate(), 0);
    }

    // The measure: on a 500-connection server, 500 sockets that connect and then stall
    // (half an HTTP request, or a websocket that never says hello, on /chat-server and /admin)
    // must not keep a real user out.
    void halfOpenSocketsCannotLockUsersOut()
    {
        ServerProcess server({u"--max-connections"_s, u"500"_s, u"--log-level"_s, u"warning"_s});
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"FLACK_ADMIN_TOKEN"_s, QString::fromLatin1(kAdminToken));
        server.setEnvironment(environment);
        QVERIFY2(server.start(), server.output().constData());
        const quint16 port = server.port();

        std::vector<std::unique_ptr<QTcpSocket>> stalled;
        const auto stall = [&](const QByteArray &bytes) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QStringLiteral("127.0.0.1"), port);
            socket->write(bytes);
            stalled.push_back(std::move(socket));
        };
        for (int i = 0; i < 240; ++i)
            stall("GET /index.html HTTP/1.1\r\nHost: x\r\n"); // never finished
        for (int i = 0; i < 244; ++i)
            stall(upgradeRequest("/chat-server", {})); // upgraded, never a hello
        // As many as /admin takes at once (AdminEndpoint::kMaxSessions).
        for (int i = 0; i < 16; ++i)
            stall(upgradeRequest("/admin", {})); // upgraded, never an admin_hello
        // Every one connected, and the upgrades switched protocols: all 500 are held.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(stalled.begin(), stalled.end(),
                                             [](const auto &socket) {
                                                 return socket->state() ==
                                                        QAbstractSocket::ConnectedState;
                                             }),
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(stalled.begin() + 240, stalled.end(),
                        [](const auto &socket) { return socket->bytesAvailable() > 0; }),
            20000);
        for (auto it = stalled.begin() + 240; it != stalled.end(); ++it)
            QVERIFY((*it)->peek(12) == "HTTP/1.1 101");

        // Two real users connect, authenticate, join and chat.
        WsTestClient alice;
        WsTestClient bob;
        QVERIFY(alice.open(server.chatUrl()));
        QVERIFY(!alice.login(u"alice"_s).isEmpty());
        QVERIFY(bob.open(server.chatUrl()));
        QVERIFY(!bob.login(u"bob"_s).isEmpty());
        alice.join(u"lobby"_s);
        bob.join(u"lobby"_s);
        QCOMPARE(alice.nextOf(u"joined").value(u"user_name"_s).toString(), u"bob"_s);
        alice.sendText(flack::protocol::encodeClientChatMessage(u"lobby", u"still here"));
        QCOMPARE(bob.nextOf(u"chat_message").value(u"message"_s).toString(), u"still here"_s);
        QCOMPARE(alice.nextOf(u"chat_message").value(u"message"_s).toString(), u"still here"_s);
        // And so does an operator on /admin.
        WsTestClient admin;
        QVERIFY(admin.open(QUrl(u"ws://127.0.0.1:%1/admin"_s.arg(port))));
        admin.sendText(
            flack::protocol::encodeAdminHello({u"1.0"_s, QString::fromLatin1(kAdminToken)}));
        QCOMPARE(admin.nextOf(u"cluster_snapshot").value(u"record"_s).toString(),
                 u"cluster_snapshot"_s);
        // The stalled sockets paid for it, oldest first.
        QVERIFY(stalled.front()->state() != QAbstractSocket::ConnectedState ||
                stalled.front()->waitForDisconnected(5000));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAdmission)
#include "tst_admission.moc"
