// The HTTP half of the one-port listener, spoken over raw QTcpSockets against the real binary:
// static files (built in and --web-root), HEAD, 404/405/400/431, traversal attempts, health
// check, upgrades at the wrong path, the request timeout and the connection cap.

#include "shared/clientrecordencoder.h"
#include "tests/support/polling.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <csignal>
#include <memory>
#include <vector>

using namespace flack::test;

namespace {

constexpr QByteArrayView kSecret = "TOP-SECRET-MARKER-7f3a";

QByteArray get(const QByteArray &target, const QByteArray &method = "GET")
{
    return method + ' ' + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestHttpServing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void builtInIndex();
    void headHasHeadersWithoutBody();
    void http10Request();
    void missingFileIs404();
    void otherMethodsAre405_data();
    void otherMethodsAre405();
    void malformedRequestsAre400_data();
    void malformedRequestsAre400();
    void traversalNeverEscapes_data();
    void traversalNeverEscapes();
    void healthz();
    void upgradeAtOtherPathIs404();
    void oversizedHeaderIsRefused();
    void badUpgradesAreAnswered_data();
    void badUpgradesAreAnswered();
    void webRootFilesAreServed_data();
    void webRootFilesAreServed();
    void unfinishedRequestsTimeOut();
    void connectionCapRefusesNewcomers();
    void connectBurstIsQueuedByTheKernel();

private:
    QTemporaryDir m_dir;
    QString m_root;
    ServerProcess *m_builtIn = nullptr; // serves the web client compiled into the binary
    ServerProcess *m_webRoot = nullptr; // serves m_root
};

void TestHttpServing::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The secret lies next to the web root: a traversal that works would find it.
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("secret.txt")), kSecret.toByteArray()));
    m_root = m_dir.filePath(QStringLiteral("root"));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/sub")));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/.hidden")));
    QVERIFY(
        writeFile(m_root + QStringLiteral("/index.html"), "<!doctype html><title>root</title>\n"));
    QVERIFY(writeFile(m_root + QStringLiteral("/style.css"), "body { color: red; }\n"));
    QVERIFY(writeFile(m_root + QStringLiteral("/app.js"), "console.log('\xC3\xA9');\n"));
    QVERIFY(writeFile(m_root + QStringLiteral("/sub/index.html"), "<p>sub</p>\n"));
    QVERIFY(writeFile(m_root + QStringLiteral("/sub/page.html"), "<p>page</p>\n"));
    QVERIFY(writeFile(m_root + QStringLiteral("/.hidden/x.txt"), kSecret.toByteArray()));
    QByteArray binary;
    for (int i = 0; i < 70000; ++i)
        binary.append(char(i * 7));
    QVERIFY(writeFile(m_root + QStringLiteral("/data.png"), binary));

    m_builtIn = new ServerProcess;
    QVERIFY2(m_builtIn->start(), m_builtIn->output().constData());
    m_webRoot = new ServerProcess({QStringLiteral("--web-root"), m_root});
    QVERIFY2(m_webRoot->start(), m_webRoot->output().constData());
}

void TestHttpServing::cleanupTestCase()
{
    QCOMPARE(m_builtIn->terminate(), 0);
    QCOMPARE(m_webRoot->terminate(), 0);
    delete m_builtIn;
    delete m_webRoot;
}

void TestHttpServing::builtInIndex()
{
    const RawHttpResponse response = rawHttp(m_builtIn->port(), get("/"));
    QCOMPARE(response.status, 200);
    QVERIFY(response.closedByServer);
    QVERIFY2(response.header("content-type").startsWith("text/html"),
             response.header("content-type").constData());
    QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
    QVERIFY(response.body.size() > 0);
    QVERIFY(response.body.toLower().contains("<html"));
    // /index.html is the same file.
    const RawHttpResponse explicitIndex = rawHttp(m_builtIn->port(), get("/index.html"));
    QCOMPARE(explicitIndex.status, 200);
    QCOMPARE(explicitIndex.body, response.body);
}

void TestHttpServing::headHasHeadersWithoutBody()
{
    const RawHttpResponse full = rawHttp(m_builtIn->port(), get("/"));
    const RawHttpResponse head = rawHttp(m_builtIn->port(), get("/", "HEAD"));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-type"), full.header("content-type"));
    QCOMPARE(head.header("content-length"), full.header("content-length"));
    QVERIFY(head.closedByServer);
    QCOMPARE(head.body, QByteArray());
    // HEAD of a missing file: the 404's headers, still no body.
    const RawHttpResponse missing = rawHttp(m_builtIn->port(), get("/nope.html", "HEAD"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.body, QByteArray());
}

void TestHttpServing::http10Request()
{
    const RawHttpResponse response = rawHttp(m_builtIn->port(), "GET / HTTP/1.0\r\n\r\n");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
}

void TestHttpServing::missingFileIs404()
{
    for (const QByteArray &target : {QByteArray("/no-such-file.html"), QByteArray("/sub/missing"),
                                     QByteArray("/missing/dir/")}) {
        const RawHttpResponse response = rawHttp(m_webRoot->port(), get(target));
        QVERIFY2(response.status == 404, target.constData());
        QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
    }
}

void TestHttpServing::otherMethodsAre405_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("POST") << QByteArray(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    QTest::newRow("POST no body") << QByteArray(
        "POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("PUT") << QByteArray("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("DELETE") << get("/index.html", "DELETE");
    QTest::newRow("OPTIONS") << get("/", "OPTIONS");
    QTest::newRow("lower-case get") << get("/", "get");
}

void TestHttpServing::otherMethodsAre405()
{
    QFETCH(QByteArray, request);
    const RawHttpResponse response = rawHttp(m_builtIn->port(), request);
    QCOMPARE(response.status, 405);
    const QByteArray allow = response.header("allow");
    QVERIFY2(allow.contains("GET") && allow.contains("HEAD"), allow.constData());
    QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
}

void TestHttpServing::malformedRequestsAre400_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("not http") << QByteArray("HELLO THERE\r\n\r\n");
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n");
    QTest::newRow("unknown version") << QByteArray("GET / HTTP/9.9\r\n\r\n");
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n");
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n");
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nBad Header\r\n\r\n");
    QTest::newRow("bad percent escape") << get("/%zz");
    QTest::newRow("absolute form") << get("http://example.com/");
    QTest::newRow("asterisk") << get("*");
    QTest::newRow("GET with body")
        << QByteArray("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    QTest::newRow("binary request line")
        << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15);
}

void TestHttpServing::malformedRequestsAre400()
{
    QFETCH(QByteArray, request);
    const RawHttpResponse response = rawHttp(m_builtIn->port(), request);
    QCOMPARE(response.status, 400);
    QVERIFY(response.closedByServer);
}

void TestHttpServing::traversalNeverEscapes_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("dot dot") << QByteArray("/../secret.txt");
    QTest::newRow("deep dot dot") << QByteArray("/sub/../../secret.txt");
    QTest::newRow("encoded dots") << QByteArray("/%2e%2e/secret.txt");
    QTest::newRow("upper-case encoded dots") << QByteArray("/%2E%2E/secret.txt");
    QTest::newRow("mixed dots") << QByteArray("/.%2e/secret.txt");
    QTest::newRow("encoded slash") << QByteArray("/..%2fsecret.txt");
    QTest::newRow("all encoded") << QByteArray("/%2e%2e%2fsecret.txt");
    QTest::newRow("double encoded") << QByteArray("/%252e%252e/secret.txt");
    QTest::newRow("backslash") << QByteArray("/..\\secret.txt");
    QTest::newRow("encoded backslash") << QByteArray("/..%5csecret.txt");
    QTest::newRow("absolute path") << QByteArray("//etc/passwd");
    QTest::newRow("encoded absolute path") << QByteArray("/%2fetc%2fpasswd");
    QTest::newRow("many dot dots") << QByteArray("/../../../../../../../../etc/passwd");
    QTest::newRow("encoded NUL") << QByteArray("/index.html%00.png");
    QTest::newRow("encoded NUL alone") << QByteArray("/%00");
    QTest::newRow("hidden directory") << QByteArray("/.hidden/x.txt");
    QTest::newRow("temp dir path") << QByteArray("/..") + QDir::tempPath().toUtf8() + "/secret.txt";
    QTest::newRow("overlong utf-8 dot") << QByteArray("/%c0%ae%c0%ae/secret.txt");
}

void TestHttpServing::traversalNeverEscapes()
{
    QFETCH(QByteArray, target);
    for (ServerProcess *server : {m_webRoot, m_builtIn}) {
        const RawHttpResponse response = rawHttp(server->port(), get(target));
        QVERIFY2(response.status != 0, "no HTTP answer");
        QVERIFY2(response.status != 200, response.raw.left(300).constData());
        QVERIFY(!response.raw.contains(kSecret));
        QVERIFY(!response.raw.contains("root:x:0:0"));
    }
}

void TestHttpServing::healthz()
{
    const RawHttpResponse response = rawHttp(m_builtIn->port(), get("/healthz"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
}

void TestHttpServing::upgradeAtOtherPathIs404()
{
    const QByteArray headers = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n";
    for (const QByteArray &path : {QByteArray("/"), QByteArray("/chat"),
                                   QByteArray("/chat-server/x"), QByteArray("/index.html")}) {
        const RawHttpResponse response =
            rawHttp(m_builtIn->port(), "GET " + path + " HTTP/1.1\r\n" + headers);
        QVERIFY2(response.status == 404, (path + ": " + response.raw.left(100)).constData());
    }
    // The right path does switch protocols.
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_builtIn->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /chat-server HTTP/1.1\r\n" + headers);
    QTRY_VERIFY_WITH_TIMEOUT(socket.peek(4096).contains("\r\n\r\n"), 5000);
    QVERIFY2(socket.peek(4096).startsWith("HTTP/1.1 101"), socket.peek(200).constData());
}

void TestHttpServing::oversizedHeaderIsRefused()
{
    const QByteArray request =
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(64 * 1024, 'a') + "\r\n\r\n";
    const RawHttpResponse response = rawHttp(m_builtIn->port(), request);
    QVERIFY2(response.status == 431 || response.status == 400, response.raw.left(200).constData());
    // Many medium headers add up as well.
    QByteArray many = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 2000; ++i)
        many += "X-H" + QByteArray::number(i) + ": 0123456789\r\n";
    many += "\r\n";
    const RawHttpResponse manyResponse = rawHttp(m_builtIn->port(), many);
    QVERIFY2(manyResponse.status == 431 || manyResponse.status == 400,
             manyResponse.raw.left(200).constData());
    // And the server still serves.
    QCOMPARE(rawHttp(m_builtIn->port(), get("/healthz")).status, 200);
}

void TestHttpServing::badUpgradesAreAnswered_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray line = "GET /chat-server HTTP/1.1\r\n";
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray version = "Sec-WebSocket-Version: 13\r\n";
    const QByteArray host = "Host: x\r\n";
    // Each of these used to get the TCP connection closed by QWebSocketServer, unanswered.
    QTest::newRow("no key") << line + host + upgrade + version + "\r\n" << 400;
    QTest::newRow("empty key") << line + host + upgrade + "Sec-WebSocket-Key: \r\n" + version +
                                      "\r\n"
                               << 400;
    QTest::newRow("no version") << line + host + upgrade + key + "\r\n" << 400;
    QTest::newRow("non-numeric version")
        << line + host + upgrade + key + "Sec-WebSocket-Version: x\r\n\r\n"
        << 400;
    QTest::newRow("version 8") << line + host + upgrade + key + "Sec-WebSocket-Version: 8\r\n\r\n"
                               << 426;
    QTest::newRow("no Host") << line + upgrade + key + version + "\r\n" << 400;
    QTest::newRow("admin without a key")
        << "GET /admin HTTP/1.1\r\n" + host + upgrade + version + "\r\n"
        << 400;
    QTest::newRow("header line over 8 KiB")
        << line + host + upgrade + key + version + "X-Big: " + QByteArray(8200, 'a') + "\r\n\r\n"
        << 431;
    QByteArray many;
    for (int i = 0; i < 101; ++i)
        many += "X-H" + QByteArray::number(i) + ": 0\r\n";
    QTest::newRow("101 headers") << line + host + upgrade + key + version + many + "\r\n" << 431;
    QTest::newRow("plain GET, header line over 8 KiB")
        << "GET / HTTP/1.1\r\n" + host + "X-Big: " + QByteArray(8200, 'a') + "\r\n\r\n"
        << 431;
    QTest::newRow("plain GET, 101 headers") << "GET / HTTP/1.1\r\n" + host + many + "\r\n" << 431;
}

void TestHttpServing::badUpgradesAreAnswered()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const RawHttpResponse response = rawHttp(m_builtIn->port(), request);
    QVERIFY2(response.status == status, response.raw.left(200).constData());
    QVERIFY(response.closedByServer);
    QVERIFY(!response.body.isEmpty());
    if (status == 426)
        QCOMPARE(response.header("sec-websocket-version"), QByteArray("13"));
}

void TestHttpServing::webRootFilesAreServed_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("contentType"); // prefix
    QTest::newRow("root") << QByteArray("/") << QStringLiteral("index.html")
                          << QByteArray("text/html");
    QTest::newRow("css") << QByteArray("/style.css") << QStringLiteral("style.css")
                         << QByteArray("text/css");
    QTest::newRow("js") << QByteArray("/app.js") << QStringLiteral("app.js")
                        << QByteArray("text/javascript");
    QTest::newRow("sub dir index")
        << QByteArray("/sub/") << QStringLiteral("sub/index.html") << QByteArray("text/html");
    QTest::newRow("sub page") << QByteArray("/sub/page.html") << QStringLiteral("sub/page.html")
                              << QByteArray("text/html");
    QTest::newRow("query ignored")
        << QByteArray("/style.css?v=3") << QStringLiteral("style.css") << QByteArray("text/css");
    QTest::newRow("binary") << QByteArray("/data.png") << QStringLiteral("data.png")
                            << QByteArray("image/png");
    QTest::newRow("percent-encoded name")
        << QByteArray("/sub/%70age.html") << QStringLiteral("sub/page.html")
        << QByteArray("text/html");
}

void TestHttpServing::webRootFilesAreServed()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, file);
    QFETCH(QByteArray, contentType);
    QFile expected(m_root + u'/' + file);
    QVERIFY(expected.open(QIODevice::ReadOnly));
    const RawHttpResponse response = rawHttp(m_webRoot->port(), get(target));
    QCOMPARE(response.status, 200);
    QVERIFY2(response.header("content-type").startsWith(contentType),
             response.header("content-type").constData());
    QCOMPARE(response.header("content-length").toLongLong(), response.body.size());
    QCOMPARE(response.body, expected.readAll());
}

void TestHttpServing::unfinishedRequestsTimeOut()
{
    // Both a plain request and a websocket handshake that stop half-way; the server's timeout
    // is 10 s, so 20 s is a generous bound.
    QTcpSocket request;
    QTcpSocket handshake;
    request.connectToHost(QStringLiteral("127.0.0.1"), m_builtIn->port());
    handshake.connectToHost(QStringLiteral("127.0.0.1"), m_builtIn->port());
    QVERIFY(request.waitForConnected(5000));
    QVERIFY(handshake.waitForConnected(5000));
    QSignalSpy requestClosed(&request, &QTcpSocket::disconnected);
    QSignalSpy handshakeClosed(&handshake, &QTcpSocket::disconnected);
    QElapsedTimer timer;
    timer.start();
    request.write("GET /index.html HTTP/1.1\r\nHost: x\r\n");
    handshake.write("GET /chat-server HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(requestClosed.count() == 1 && handshakeClosed.count() == 1, 20000);
    QVERIFY2(timer.elapsed() >= 5000, qPrintable(QString::number(timer.elapsed())));
    const QByteArray answer = request.readAll();
    QVERIFY2(answer.isEmpty() || parseRawHttp(answer).status == 408, answer.constData());
    // The server is not worse for it.
    QCOMPARE(rawHttp(m_builtIn->port(), get("/healthz")).status, 200);
}

void TestHttpServing::connectionCapRefusesNewcomers()
{
    ServerProcess server({QStringLiteral("--max-connections"), QStringLiteral("5")});
    QVERIFY2(server.start(), server.output().constData());
    WsTestClient alice;
    WsTestClient bob;
    QVERIFY(alice.open(server.chatUrl()));
    QVERIFY(bob.open(server.chatUrl()));
    QVERIFY(!alice.login(QStringLiteral("alice")).isEmpty());
    QVERIFY(!bob.login(QStringLiteral("bob")).isEmpty());
    alice.join(QStringLiteral("capped"));
    bob.join(QStringLiteral("capped"));
    QCOMPARE(alice.next().value(u"record").toString(), u"joined");
    // Three more users fill the cap. (Connections that have not authenticated would give way
    // to newcomers instead: tst_admission.)
    WsTestClient others[3];
    for (WsTestClient &other : others) {
        QVERIFY(other.open(server.chatUrl()));
        QVERIFY(!other.login(QStringLiteral("other")).isEmpty());
    }
    const RawHttpResponse refused = rawHttp(server.port(), get("/healthz"));
    QCOMPARE(refused.status, 503);
    QVERIFY(refused.closedByServer);
    // A websocket newcomer is refused too: its handshake fails instead of connecting.
    QWebSocket carol;
    QSignalSpy carolFailed(&carol, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    QSignalSpy carolConnected(&carol, &QWebSocket::connected);
    carol.open(server.chatUrl());
    QTRY_VERIFY_WITH_TIMEOUT(carolFailed.count() > 0 || carolConnected.count() > 0, 5000);
    QCOMPARE(carolConnected.count(), 0);

    // The users already in keep chatting.
    alice.sendText(flack::protocol::encodeClientChatMessage(u"capped", u"still fine"));
    QCOMPARE(bob.next().value(u"message").toString(), u"still fine");
    QCOMPARE(alice.next().value(u"message").toString(), u"still fine");
    QVERIFY(alice.isConnected() && bob.isConnected());

    // A freed slot is usable again.
    others[0].socket().abort();
    QCOMPARE(probeUntil([&] { return rawHttp(server.port(), get("/healthz")).status; }, 200), 200);
    QCOMPARE(server.terminate(), 0);
}

void TestHttpServing::connectBurstIsQueuedByTheKernel()
{
    // While the server is stopped, only its listen backlog holds completed connects; with
    // Qt's default of 50 the rest of a burst has its SYNs dropped and retried a second or more
    // later, which made thousands of clients crawl in. All 300 must complete while it sleeps.
    constexpr int kBurst = 300;
    ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    const auto pid = pid_t(server.process().processId());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    int connected = 0;
    for (int i = 0; i < kBurst; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        connect(socket.get(), &QTcpSocket::connected, this, [&connected] { ++connected; });
        socket->connectToHost(QStringLiteral("127.0.0.1"), server.port());
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(connected, kBurst, 3000);
    QCOMPARE(::kill(pid, SIGCONT), 0);
    // Once awake the server serves every one of them.
    int answered = 0;
    for (const auto &socket : sockets) {
        connect(socket.get(), &QTcpSocket::readyRead, this, [&answered, s = socket.get()] {
            if (s->peek(12) == "HTTP/1.1 200") {
                ++answered;
                s->read(12); // counted once
            }
        });
        socket->write(get("/healthz"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, kBurst, 10000);
    QCOMPARE(server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestHttpServing)
#include "tst_httpserving.moc"
