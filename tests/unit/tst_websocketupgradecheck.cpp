// checkWebSocketUpgrade(): every upgrade QWebSocketServer (Qt 6.4) would close unanswered is
// refused with 400, or 426 naming version 13, and a valid browser handshake passes.

#include "server/net/httprequestparser.h"
#include "server/net/websocketupgradecheck.h"

#include <QTest>

using namespace flack::server::net;

namespace {

const QByteArray kKey = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
const QByteArray kVersion = "Sec-WebSocket-Version: 13\r\n";
const QByteArray kUpgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

HttpRequest parsed(const QByteArray &head)
{
    const HttpParseResult result = parseHttpRequest(head, 64 * 1024);
    return result.request;
}

} // namespace

class TestWebSocketUpgradeCheck : public QObject
{
    Q_OBJECT

private slots:
    void check_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");

        const QByteArray line = "GET /chat-server HTTP/1.1\r\n";
        const QByteArray host = "Host: localhost:8080\r\n";
        QTest::newRow("browser handshake") << line + host + kUpgrade + kKey + kVersion + "\r\n"
                                           << 0;
        QTest::newRow("versions listed")
            << line + host + kUpgrade + kKey + "Sec-WebSocket-Version: 8, 13\r\n\r\n"
            << 0;
        QTest::newRow("IPv6 host")
            << line + "Host: [::1]:8080\r\n" + kUpgrade + kKey + kVersion + "\r\n"
            << 0;
        QTest::newRow("no key") << line + host + kUpgrade + kVersion + "\r\n" << 400;
        QTest::newRow("empty key")
            << line + host + kUpgrade + "Sec-WebSocket-Key:\r\n" + kVersion + "\r\n"
            << 400;
        QTest::newRow("key not base64")
            << line + host + kUpgrade + "Sec-WebSocket-Key: !!!!\r\n" + kVersion + "\r\n"
            << 400;
        QTest::newRow("key of 15 bytes")
            << line + host + kUpgrade + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n" + kVersion +
                   "\r\n"
            << 400;
        QTest::newRow("two keys") << line + host + kUpgrade + kKey + kKey + kVersion + "\r\n"
                                  << 400;
        QTest::newRow("no version") << line + host + kUpgrade + kKey + "\r\n" << 400;
        QTest::newRow("empty version")
            << line + host + kUpgrade + kKey + "Sec-WebSocket-Version:\r\n\r\n"
            << 400;
        QTest::newRow("non-numeric version")
            << line + host + kUpgrade + kKey + "Sec-WebSocket-Version: thirteen\r\n\r\n"
            << 400;
        QTest::newRow("version 8")
            << line + host + kUpgrade + kKey + "Sec-WebSocket-Version: 8\r\n\r\n"
            << 426;
        QTest::newRow("no host") << line + kUpgrade + kKey + kVersion + "\r\n" << 400;
        QTest::newRow("empty host") << line + "Host:\r\n" + kUpgrade + kKey + kVersion + "\r\n"
                                    << 400;
        QTest::newRow("host with user info")
            << line + "Host: me@localhost\r\n" + kUpgrade + kKey + kVersion + "\r\n"
            << 400;
        QTest::newRow("HTTP/1.0") << "GET /chat-server HTTP/1.0\r\n" + host + kUpgrade + kKey +
                                         kVersion + "\r\n"
                                  << 400;
        QTest::newRow("upgrade list") << line + host +
                                             "Upgrade: websocket, h2c\r\n"
                                             "Connection: Upgrade\r\n" +
                                             kKey + kVersion + "\r\n"
                                      << 400;
        QTest::newRow("upgrade only in the second Connection header")
            << line + host +
                   "Upgrade: websocket\r\nConnection: keep-alive\r\n"
                   "Connection: Upgrade\r\n" +
                   kKey + kVersion + "\r\n"
            << 400;
    }

    void check()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        const HttpRequest request = parsed(head);
        QVERIFY(request.isWebSocketUpgrade());
        const UpgradeCheck result = checkWebSocketUpgrade(request);
        QCOMPARE(result.status, status);
        if (status == 0)
            return;
        QVERIFY(!result.reason.isEmpty());
        const QByteArray response = result.response();
        QVERIFY(response.startsWith("HTTP/1.1 " + QByteArray::number(status)));
        QVERIFY(response.endsWith(result.reason + '\n'));
        QCOMPARE(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), status == 426);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketUpgradeCheck)
#include "tst_websocketupgradecheck.moc"
