// HttpConnection over a real loopback socket, with a route table of two websocket endpoints
// and two GET handlers in front of a static file root: upgrades reach the endpoint of their
// path with the request bytes unread, everything else gets the HTTP answer the one port has
// always given (405 before 404 before handler/400/file, HEAD without a body, 400/431 from the
// parser).

#include "server/net/earlybytes.h"
#include "server/net/httpconnection.h"
#include "server/net/httproutes.h"
#include "server/net/staticfilestore.h"
#include "server/net/websocketendpoint.h"
#include "tests/support/protocolchecks.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace flack::server::net;
using flack::test::parseRawHttp;
using flack::test::RawHttpResponse;

namespace {

class FakeEndpoint final : public WebSocketEndpoint
{
public:
    void accept(QTcpSocket *socket) override { accepted.append(socket); }
    qsizetype connectionCount() const override { return 0; }

    QList<QTcpSocket *> accepted;
};

constexpr qsizetype kMaxHeaderBytes = 4096;

const QByteArray kUpgradeHeaders = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                   "Sec-WebSocket-Version: 13\r\n\r\n";

QByteArray request(const QByteArray &method, const QByteArray &target)
{
    return method + ' ' + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

QByteArray upgrade(const QByteArray &method, const QByteArray &target)
{
    return method + ' ' + target + " HTTP/1.1\r\n" + kUpgradeHeaders;
}

} // namespace

class TestHttpConnection : public QObject
{
    Q_OBJECT

private:
    // Serves `bytes` through one HttpConnection. Either the connection hands the socket to an
    // endpoint (*endpoint set, *unread what the socket still holds for it) or answers and
    // closes (*response).
    void serve(const QByteArray &bytes, WebSocketEndpoint **endpoint, QByteArray *unread,
               RawHttpResponse *response);

    QTemporaryDir m_root;
    FakeEndpoint m_chat;
    FakeEndpoint m_admin;
    HttpRoutes m_routes;
    std::unique_ptr<StaticFileStore> m_files;
    int m_statusCalls = 0;
    bool m_heldBytes = false;

private slots:
    void initTestCase();
    void routes_data();
    void routes();
    void upgradeIsHandedOffWithItsBytesUnread();
    void handlerRunsOncePerRequest();
};

void TestHttpConnection::initTestCase()
{
    QVERIFY(m_root.isValid());
    QFile index(m_root.filePath(QStringLiteral("index.html")));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write("<p>index</p>\n");
    index.close();
    m_files = std::make_unique<StaticFileStore>(m_root.path());
    QVERIFY(m_routes.addWebSocketEndpoint("/chat-server", &m_chat));
    QVERIFY(m_routes.addWebSocketEndpoint("/admin", &m_admin));
    QVERIFY(m_routes.addGetHandler("/healthz", [] {
        return HttpResponse{200, "text/plain; charset=utf-8", "ok\n", {}};
    }));
    QVERIFY(m_routes.addGetHandler("/status", [this] {
        ++m_statusCalls;
        return HttpResponse{503, "application/json", "{\"up\":false}", {{"Retry-After", "5"}}};
    }));
}

void TestHttpConnection::serve(const QByteArray &bytes, WebSocketEndpoint **endpoint,
                               QByteArray *unread, RawHttpResponse *response)
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(server.waitForNewConnection(5000));
    QTcpSocket *socket = server.nextPendingConnection();
    QVERIFY(socket);
    auto *connection = new HttpConnection(socket, &m_routes, m_files.get(), kMaxHeaderBytes, 10000);
    // Qt buffers no more than the head can use: a flood behind it stays in the kernel.
    QCOMPARE(socket->readBufferSize(), kMaxHeaderBytes + 1);
    QSignalSpy upgraded(connection, &HttpConnection::webSocketUpgrade);
    QVERIFY(client.waitForConnected(5000));
    client.write(bytes);
    QTRY_VERIFY_WITH_TIMEOUT(
        upgraded.count() == 1 || client.state() == QAbstractSocket::UnconnectedState, 5000);
    if (upgraded.count() == 1) {
        QCOMPARE(upgraded.first().at(0).value<QTcpSocket *>(), socket);
        QCOMPARE(socket->readBufferSize(), 0); // the websocket's own limits apply from here
        *endpoint = upgraded.first().at(1).value<WebSocketEndpoint *>();
        // What came behind the request is held for the endpoint, which puts it back once
        // QWebSocketServer has read the request and the session listens (EarlyBytes): do as
        // they do.
        m_heldBytes = EarlyBytes::heldSize(socket) > 0;
        const QByteArray request = socket->readAll();
        EarlyBytes::replay(socket);
        // Everything the client sent may not have arrived with the head: wait for the rest.
        QTRY_VERIFY_WITH_TIMEOUT(request.size() + socket->bytesAvailable() >= bytes.size(), 5000);
        *unread = request + socket->readAll();
        // The connection is done with the socket (deleted later) and the socket is intact.
        QTRY_COMPARE_WITH_TIMEOUT(socket->findChildren<HttpConnection *>().size(), 0, 5000);
        QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);
        return;
    }
    *endpoint = nullptr;
    *response = parseRawHttp(client.readAll());
    response->closedByServer = true;
}

void TestHttpConnection::routes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("endpoint"); // "chat", "admin", or empty for an HTTP answer
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("header"); // "name: value" that must be present, if any

    const QByteArray wsOnly = "this path takes websocket connections only\n";
    QTest::newRow("chat upgrade") << upgrade("GET", "/chat-server") << QByteArray("chat") << 0
                                  << QByteArray() << QByteArray();
    QTest::newRow("admin upgrade")
        << upgrade("GET", "/admin") << QByteArray("admin") << 0 << QByteArray() << QByteArray();
    QTest::newRow("upgrade with a query")
        << upgrade("GET", "/chat-server?v=1") << QByteArray("chat") << 0 << QByteArray()
        << QByteArray();
    // QWebSocketServer would close these without a word (checkWebSocketUpgrade has the rest).
    QTest::newRow("upgrade without a key")
        << QByteArray("GET /chat-server HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")
        << QByteArray() << 400 << QByteArray("missing Sec-WebSocket-Key header\n") << QByteArray();
    QTest::newRow("upgrade of another version")
        << QByteArray("GET /admin HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 8\r\n\r\n")
        << QByteArray() << 426 << QByteArray() << QByteArray("sec-websocket-version: 13");
    QTest::newRow("upgrade without Host")
        << QByteArray("GET /chat-server HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << QByteArray() << 400 << QByteArray("missing Host header\n") << QByteArray();
    QTest::newRow("HEAD upgrade at endpoint")
        << upgrade("HEAD", "/chat-server") << QByteArray() << 404 << QByteArray() << QByteArray();
    QTest::newRow("POST upgrade at endpoint")
        << upgrade("POST", "/admin") << QByteArray() << 405
        << QByteArray("405 Method Not Allowed\n") << QByteArray("allow: GET, HEAD");
    QTest::newRow("upgrade below endpoint") << upgrade("GET", "/chat-server/x") << QByteArray()
                                            << 404 << QByteArray("404 Not Found\n") << QByteArray();
    QTest::newRow("upgrade at handler") << upgrade("GET", "/healthz") << QByteArray() << 404
                                        << QByteArray("404 Not Found\n") << QByteArray();
    QTest::newRow("upgrade at file") << upgrade("GET", "/index.html") << QByteArray() << 404
                                     << QByteArray("404 Not Found\n") << QByteArray();
    QTest::newRow("plain GET at chat endpoint")
        << request("GET", "/chat-server") << QByteArray() << 400 << wsOnly << QByteArray();
    QTest::newRow("plain GET at admin endpoint")
        << request("GET", "/admin") << QByteArray() << 400 << wsOnly << QByteArray();
    QTest::newRow("HEAD at endpoint") << request("HEAD", "/admin") << QByteArray() << 400
                                      << QByteArray() << QByteArray("content-length: 43");
    QTest::newRow("healthz") << request("GET", "/healthz") << QByteArray() << 200
                             << QByteArray("ok\n")
                             << QByteArray("content-type: text/plain; charset=utf-8");
    QTest::newRow("HEAD healthz") << request("HEAD", "/healthz") << QByteArray() << 200
                                  << QByteArray() << QByteArray("content-length: 3");
    QTest::newRow("handler status and headers")
        << request("GET", "/status") << QByteArray() << 503 << QByteArray("{\"up\":false}")
        << QByteArray("retry-after: 5");
    QTest::newRow("handler ignores the query") << request("GET", "/healthz?probe=1") << QByteArray()
                                               << 200 << QByteArray("ok\n") << QByteArray();
    QTest::newRow("POST to handler")
        << QByteArray("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        << QByteArray() << 405 << QByteArray("405 Method Not Allowed\n") << QByteArray();
    QTest::newRow("static file") << request("GET", "/") << QByteArray() << 200
                                 << QByteArray("<p>index</p>\n") << QByteArray();
    QTest::newRow("missing file") << request("GET", "/nope") << QByteArray() << 404
                                  << QByteArray("404 Not Found\n") << QByteArray();
    QTest::newRow("malformed") << QByteArray("HELLO\r\n\r\n") << QByteArray() << 400
                               << QByteArray("400 Bad Request\n") << QByteArray();
    QTest::newRow("too large") << "GET / HTTP/1.1\r\nX: " + QByteArray(kMaxHeaderBytes, 'a') +
                                      "\r\n\r\n"
                               << QByteArray() << 431 << QByteArray() << QByteArray();
}

void TestHttpConnection::routes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, endpoint);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, header);

    WebSocketEndpoint *handedTo = nullptr;
    QByteArray unread;
    RawHttpResponse response;
    serve(bytes, &handedTo, &unread, &response);
    if (QTest::currentTestFailed())
        return;
    if (!endpoint.isEmpty()) {
        QCOMPARE(handedTo, endpoint == "chat" ? &m_chat : &m_admin);
        QCOMPARE(unread, bytes);
        return;
    }
    QCOMPARE(handedTo, nullptr);
    QCOMPARE(response.status, status);
    if (bytes.startsWith("HEAD"))
        QCOMPARE(response.body, QByteArray()); // its length is in the header rows
    else
        QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
    if (!body.isEmpty())
        QCOMPARE(response.body, body);
    if (!header.isEmpty()) {
        const qsizetype colon = header.indexOf(':');
        QCOMPARE(response.header(header.first(colon).constData()), header.sliced(colon + 2));
    }
}

void TestHttpConnection::upgradeIsHandedOffWithItsBytesUnread()
{
    // A client may send its first frame right behind the handshake; it must stay unread too.
    const QByteArray bytes = upgrade("GET", "/admin") + QByteArray("\x81\x80\x01\x02\x03\x04", 6);
    WebSocketEndpoint *handedTo = nullptr;
    QByteArray unread;
    RawHttpResponse response;
    serve(bytes, &handedTo, &unread, &response);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(handedTo, &m_admin);
    QVERIFY(m_heldBytes); // out of Qt's handshake's way
    QCOMPARE(unread, bytes);
    // Handing off is the listener's job: the connection only signals.
    QVERIFY(m_admin.accepted.isEmpty());
}

void TestHttpConnection::handlerRunsOncePerRequest()
{
    const int before = m_statusCalls;
    WebSocketEndpoint *handedTo = nullptr;
    QByteArray unread;
    RawHttpResponse response;
    serve(request("HEAD", "/status"), &handedTo, &unread, &response);
    QCOMPARE(m_statusCalls, before + 1);
    QCOMPARE(response.status, 503);
    // HEAD: the length of the body a GET gets, and no body.
    QCOMPARE(response.header("content-length"), QByteArray("12"));
    QCOMPARE(response.body, QByteArray());
    serve(upgrade("GET", "/status"), &handedTo, &unread, &response);
    QCOMPARE(response.status, 404);
    QCOMPARE(m_statusCalls, before + 1); // an upgrade at a handler's path never runs it
}

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "tst_httpconnection.moc"
