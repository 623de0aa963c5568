// HttpListener in-process with fake endpoints: an upgrade reaches the endpoint its route names
// as a parentless socket with the request unread, and the connection cap is one budget over
// the HTTP-phase sockets and every endpoint's connections, with a handed-off socket moving
// from the one to the other exactly once.

#include "server/net/connectionadmission.h"
#include "server/net/httplistener.h"
#include "server/net/httproutes.h"
#include "server/net/websocketendpoint.h"
#include "tests/support/polling.h"
#include "tests/support/protocolchecks.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace flack::server::net;
using flack::test::parseRawHttp;
using flack::test::probeUntil;

namespace {

class FakeEndpoint final : public WebSocketEndpoint
{
public:
    ~FakeEndpoint() { qDeleteAll(accepted); }
    void accept(QTcpSocket *socket) override
    {
        // As a real endpoint does once its user has authenticated.
        ConnectionAdmission::markEstablished(socket);
        accepted.append(socket);
    }
    qsizetype connectionCount() const override { return connections; }

    qsizetype connections = 0;
    QList<QTcpSocket *> accepted;
};

const QByteArray kPing = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n";

} // namespace

class TestHttpListener : public QObject
{
    Q_OBJECT

private:
    // Starts a listener with /a and /b as websocket endpoints and /ping as a GET handler.
    std::unique_ptr<HttpListener> start(qsizetype maxConnections, qsizetype maxPending = 1000,
                                        qsizetype maxPerAddress = 1000);
    // The status of one request, sent without blocking this thread (the listener lives on it).
    int statusOf(const QByteArray &request);
    // Connects a socket that sends nothing and waits for the listener to accept it.
    bool idleSocket();

    QTemporaryDir m_root;
    FakeEndpoint m_a;
    FakeEndpoint m_b;
    quint16 m_port = 0;
    std::vector<std::unique_ptr<QTcpSocket>> m_clients;

private slots:
    void init();
    void cleanup();
    void upgradeReachesItsEndpoint();
    void budgetCountsEveryEndpoint();
    void handedOffSocketLeavesTheHttpCountOnce();
    void fullServerEvictsTheOldestPending();
    void fullPendingPoolEvictsTheOldest();
    void addressCapCountsUntilTheSocketIsGone();
    void aRefusalReachesAClientWhoseRequestIsUnread();
};

std::unique_ptr<HttpListener> TestHttpListener::start(qsizetype maxConnections,
                                                      qsizetype maxPending, qsizetype maxPerAddress)
{
    HttpRoutes routes;
    const bool routed = routes.addWebSocketEndpoint("/a", &m_a) &&
                        routes.addWebSocketEndpoint("/b", &m_b) &&
                        routes.addGetHandler("/ping", [] {
                            return HttpResponse{200, "text/plain", "pong\n", {}};
                        });
    if (!routed)
        return {};
    HttpListenerSettings settings;
    settings.webRoot = m_root.path();
    settings.maxConnections = maxConnections;
    settings.maxPendingConnections = maxPending;
    settings.maxConnectionsPerAddress = maxPerAddress;
    settings.capLoopback = true; // every client here is on loopback
    auto listener = std::make_unique<HttpListener>(settings, std::move(routes));
    QString error;
    if (!listener->listen(QHostAddress::LocalHost, 0, &error))
        return {};
    m_port = listener->port();
    return listener;
}

int TestHttpListener::statusOf(const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    socket.write(request);
    QByteArray raw;
    QDeadlineTimer deadline(5000);
    while (socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        QTest::qWait(5);
        raw += socket.readAll();
    }
    raw += socket.readAll();
    return parseRawHttp(raw).status;
}

bool TestHttpListener::idleSocket()
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, m_port);
    // The kernel completes the connect without the listener's help, so blocking is fine here.
    if (!socket->waitForConnected(5000))
        return false;
    // Let the listener accept (and count) it before anything that connects after it.
    QTest::qWait(20);
    m_clients.push_back(std::move(socket));
    return true;
}

void TestHttpListener::init()
{
    QVERIFY(m_root.isValid());
    m_a.connections = 0;
    m_b.connections = 0;
    qDeleteAll(m_a.accepted);
    qDeleteAll(m_b.accepted);
    m_a.accepted.clear();
    m_b.accepted.clear();
}

void TestHttpListener::cleanup()
{
    m_clients.clear();
}

void TestHttpListener::upgradeReachesItsEndpoint()
{
    const auto listener = start(100);
    QVERIFY(listener);
    const QByteArray upgrade =
        "GET /b HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_port);
    client.write(upgrade);
    QTRY_COMPARE_WITH_TIMEOUT(m_b.accepted.size(), 1, 5000);
    QVERIFY(m_a.accepted.isEmpty());
    QTcpSocket *socket = m_b.accepted.first();
    // The endpoint owns it now: no parent that could delete it, the request left for it.
    QCOMPARE(socket->parent(), nullptr);
    QTRY_COMPARE_WITH_TIMEOUT(socket->bytesAvailable(), upgrade.size(), 5000);
    QCOMPARE(socket->peek(upgrade.size()), upgrade);
    // The listener no longer acts on it: a disconnect does not make it delete the socket.
    client.abort();
    QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    QTest::qWait(20);
    QCOMPARE(m_b.accepted.size(), 1); // still ours to delete (a dangling pointer would crash)
    QCOMPARE(socket->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(statusOf(kPing), 200);
}

void TestHttpListener::budgetCountsEveryEndpoint()
{
    const auto listener = start(4);
    QVERIFY(listener);
    m_a.connections = 1;
    m_b.connections = 2;
    // 1 + 2 held by endpoints: one more connection fits, and it is this request.
    QCOMPARE(statusOf(kPing), 200);
    m_b.connections = 3;
    QCOMPARE(statusOf(kPing), 503);
    m_b.connections = 1; // an endpoint's connection ends
    QCOMPARE(statusOf(kPing), 200);
    // Endpoint connections alone fill it, too.
    m_a.connections = 3;
    m_b.connections = 0;
    QCOMPARE(probeUntil([this] { return statusOf(kPing); }, 200, 5000), 200);
    m_a.connections = 4;
    QCOMPARE(statusOf(kPing), 503);
}

void TestHttpListener::handedOffSocketLeavesTheHttpCountOnce()
{
    const auto listener = start(2);
    QVERIFY(listener);
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_port);
    client.write(
        "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(m_a.accepted.size(), 1, 5000);
    // The endpoint counts it now; the listener must not any more.
    m_a.connections = 1;
    QCOMPARE(statusOf(kPing), 200);
    m_a.connections = 2;
    QCOMPARE(statusOf(kPing), 503);

    // The endpoint drops it: deleting the socket must not give the listener a slot it never
    // held (which would let a third connection in below).
    delete m_a.accepted.takeFirst();
    QCOMPARE(statusOf(kPing), 503);
    m_a.connections = 1;
    QCOMPARE(statusOf(kPing), 200);
}

void TestHttpListener::fullServerEvictsTheOldestPending()
{
    const auto listener = start(3);
    QVERIFY(listener);
    m_a.connections = 1;
    // Two sockets that never send a request fill the budget with the endpoint's one...
    QVERIFY(idleSocket());
    QVERIFY(idleSocket());
    QSignalSpy firstGone(m_clients[0].get(), &QTcpSocket::disconnected);
    // ...but they haven't authenticated: a newcomer takes the oldest one's place.
    QCOMPARE(statusOf(kPing), 200);
    QTRY_COMPARE_WITH_TIMEOUT(firstGone.count(), 1, 5000);
    QCOMPARE(m_clients[1]->state(), QAbstractSocket::ConnectedState);
    // Only established connections make the server truly full (once the idle sockets the
    // newcomers would evict are gone).
    m_clients.clear();
    m_a.connections = 3;
    QCOMPARE(probeUntil([this] { return statusOf(kPing); }, 503, 5000), 503);
}

void TestHttpListener::fullPendingPoolEvictsTheOldest()
{
    const auto listener = start(100, 2);
    QVERIFY(listener);
    QVERIFY(idleSocket());
    QVERIFY(idleSocket());
    QSignalSpy firstGone(m_clients[0].get(), &QTcpSocket::disconnected);
    QVERIFY(idleSocket()); // the third pending one pushes the first out
    QTRY_COMPARE_WITH_TIMEOUT(firstGone.count(), 1, 5000);
    QCOMPARE(m_clients[1]->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_clients[2]->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(statusOf(kPing), 200);
}

// The request is in the server's kernel before the listener even accepts, and is never read:
// the refusal still arrives, and the connection ends once both sides are done (the close that
// keeps a reset from dropping an answer is tested in tst_gracefulclose).
void TestHttpListener::aRefusalReachesAClientWhoseRequestIsUnread()
{
    const auto listener = start(4);
    QVERIFY(listener);
    m_a.connections = 4; // full, and nothing pending to evict: every newcomer is refused
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000)); // the kernel completes it without the listener
    socket.write(kPing);
    QVERIFY(socket.waitForBytesWritten(5000));
    QByteArray raw;
    connect(&socket, &QIODevice::readyRead, this, [&] { raw += socket.readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    raw += socket.readAll();
    QCOMPARE(parseRawHttp(raw).status, 503);
}

void TestHttpListener::addressCapCountsUntilTheSocketIsGone()
{
    const auto listener = start(100, 100, 3);
    QVERIFY(listener);
    QVERIFY(idleSocket());
    QVERIFY(idleSocket());
    QVERIFY(idleSocket());
    // Three sockets from 127.0.0.1 are held: a fourth is refused, the others stay.
    QTcpSocket fourth;
    fourth.connectToHost(QHostAddress::LocalHost, m_port);
    fourth.write(kPing);
    QTRY_VERIFY_WITH_TIMEOUT(fourth.state() == QAbstractSocket::UnconnectedState, 5000);
    const auto response = parseRawHttp(fourth.readAll());
    QCOMPARE(response.status, 429);
    QCOMPARE(response.body, QByteArray("too many connections from your address\n"));
    for (const auto &client : m_clients)
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState);

    // A websocket handed to an endpoint still counts: its socket lives on. (The slot of the
    // idle socket closed here comes back once the listener has seen it go.)
    m_clients.pop_back();
    std::vector<std::unique_ptr<QTcpSocket>> upgrades;
    const auto upgraded = [&] {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_port);
        socket->write(
            "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QTcpSocket *raw = socket.get();
        upgrades.push_back(std::move(socket));
        return QTest::qWaitFor(
                   [&] {
                       return !m_a.accepted.isEmpty() ||
                              raw->state() == QAbstractSocket::UnconnectedState;
                   },
                   5000) &&
               !m_a.accepted.isEmpty();
    };
    QVERIFY(probeUntil(upgraded, true));
    QCOMPARE(statusOf(kPing), 429);
    // Once it is really gone, its slot is back.
    delete m_a.accepted.takeFirst();
    QCOMPARE(statusOf(kPing), 200);
}

QTEST_GUILESS_MAIN(TestHttpListener)
#include "tst_httplistener.moc"
