// Where Qt 6.4's websocket layer departs from RFC 6455, against a real server over a raw
// socket (docs/websocket-deviations.md): a frame sent in the same segment as the upgrade
// request is read (the server hands it on itself); UTF-8 split across the fragments of a text
// message is refused with 1007 and unmasked client frames are accepted (both Qt's, documented).

#include "shared/clientrecordencoder.h"
#include "tests/support/serverprocess.h"
#include "tools/core/wsframe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <optional>
#include <string>

using namespace Qt::StringLiterals;
using flack::test::ServerProcess;
using flack::tools::WsFrame;

namespace {

const QByteArray kUpgrade = "GET /chat-server HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n";

QByteArray masked(std::uint8_t opcode, const QByteArray &payload, bool fin = true)
{
    std::string out;
    WsFrame::appendMasked(out, opcode, std::string_view(payload.constData(), payload.size()),
                          0x5a17c3e9, fin);
    return QByteArray::fromStdString(out);
}

QByteArray unmasked(const QByteArray &payload)
{
    std::string out;
    WsFrame::appendUnmasked(out, WsFrame::Text,
                            std::string_view(payload.constData(), payload.size()));
    return QByteArray::fromStdString(out);
}

struct Frame
{
    std::uint8_t opcode = 0;
    QByteArray payload;
};

// A websocket client that is just a TCP socket: what it sends is exactly what the test wrote.
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(u"127.0.0.1"_s, port);
        return m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    // The 101 head; the frames after it stay in the buffer.
    bool switched()
    {
        if (!QTest::qWaitFor([this] { return fill(), m_buffer.contains("\r\n\r\n"); }, 10000))
            return false;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n") + 4;
        const bool ok = m_buffer.startsWith("HTTP/1.1 101");
        m_buffer.remove(0, end);
        return ok;
    }
    // The next server frame, waiting up to 10 s.
    std::optional<Frame> next()
    {
        std::optional<Frame> frame;
        // On a timeout or a close frame stays empty: the caller checks for it.
        (void)QTest::qWaitFor(
            [&] {
                fill();
                WsFrame::Header header;
                const std::string_view data(m_buffer.constData(), size_t(m_buffer.size()));
                if (WsFrame::parse(data, header) != WsFrame::Status::Complete)
                    return m_socket.state() != QAbstractSocket::ConnectedState &&
                           m_socket.bytesAvailable() == 0;
                frame = Frame{header.opcode, m_buffer.mid(qsizetype(header.headerLength),
                                                          qsizetype(header.payloadLength))};
                m_buffer.remove(0, qsizetype(header.frameLength()));
                return true;
            },
            10000);
        return frame;
    }
    QString nextRecord()
    {
        const std::optional<Frame> frame = next();
        if (!frame || frame->opcode != WsFrame::Text)
            return {};
        return QJsonDocument::fromJson(frame->payload).object().value(u"record"_s).toString();
    }

private:
    void fill()
    {
        m_socket.waitForReadyRead(10);
        m_buffer += m_socket.readAll();
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace

class TestWebSocketDeviations : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), m_server->output().constData());
    }

    void cleanupTestCase() { QCOMPARE(m_server->terminate(), 0); }

    // Qt 6.4 decodes such a frame before anyone listens and drops it; the server holds it
    // back until its session does (EarlyBytes).
    void frameInTheUpgradeSegmentIsRead()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(kUpgrade + masked(WsFrame::Text, flack::protocol::encodeClientHello(u"1.0")) +
                    masked(WsFrame::Text, flack::protocol::encodeAuthenticate(u"eager")));
        QVERIFY(client.switched());
        QCOMPARE(client.nextRecord(), u"server_hello"_s);
        QCOMPARE(client.nextRecord(), u"authenticated"_s);
    }

    // Documented (Qt 6.4 decodes each fragment on its own): a client must not split a UTF-8
    // sequence between the fragments of a text message.
    void utf8SplitAcrossFragmentsIsRefused()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(kUpgrade);
        QVERIFY(client.switched());
        client.send(masked(WsFrame::Text, flack::protocol::encodeClientHello(u"1.0")));
        QCOMPARE(client.nextRecord(), u"server_hello"_s);
        // "é" is C3 A9: the first fragment ends after C3.
        const QByteArray record = flack::protocol::encodeAuthenticate(u"ren\u00e9e");
        const qsizetype split = record.indexOf("\xc3") + 1;
        client.send(masked(WsFrame::Text, record.first(split), false) +
                    masked(WsFrame::Continuation, record.sliced(split)));
        const std::optional<Frame> close = client.next();
        QVERIFY(close);
        QCOMPARE(close->opcode, WsFrame::Close);
        QCOMPARE(quint16((quint8(close->payload[0]) << 8) | quint8(close->payload[1])), 1007);

        // Split at a character boundary, the same record is fine.
        RawClient boundary;
        QVERIFY(boundary.connectTo(m_server->port()));
        boundary.send(kUpgrade);
        QVERIFY(boundary.switched());
        boundary.send(masked(WsFrame::Text, flack::protocol::encodeClientHello(u"1.0")));
        QCOMPARE(boundary.nextRecord(), u"server_hello"_s);
        boundary.send(masked(WsFrame::Text, record.first(split - 1), false) +
                      masked(WsFrame::Continuation, record.sliced(split - 1)));
        QCOMPARE(boundary.nextRecord(), u"authenticated"_s);
    }

    // Documented (Qt 6.4 never checks the mask bit): RFC 6455 section 5.1 says the server must
    // close the connection on an unmasked client frame; this server reads it.
    void unmaskedClientFramesAreAccepted()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->port()));
        client.send(kUpgrade);
        QVERIFY(client.switched());
        client.send(unmasked(flack::protocol::encodeClientHello(u"1.0")));
        QCOMPARE(client.nextRecord(), u"server_hello"_s);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketDeviations)
#include "tst_websocketdeviations.moc"
