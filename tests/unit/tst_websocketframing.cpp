// The frame header the server writes itself for room events (WebSocketTransport::sendEncoded):
// byte for byte what RFC 6455 says, checked against flack-bench's independent frame code.

#include "server/net/websockettransport.h"
#include "tools/core/wsframe.h"

#include <QTest>

#include <string>

using flack::server::net::WebSocketTransport;
using flack::tools::WsFrame;

class TestWebSocketFraming : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headerMatchesTheReferenceEncoder_data()
    {
        QTest::addColumn<qint64>("size");
        // Each boundary of the three length encodings.
        for (qint64 size : {0, 1, 125, 126, 127, 65535, 65536, 70000})
            QTest::newRow(QByteArray::number(size).constData()) << size;
    }

    void headerMatchesTheReferenceEncoder()
    {
        QFETCH(qint64, size);
        const std::string payload(size_t(size), 'x');
        std::string expected;
        WsFrame::appendUnmasked(expected, WsFrame::Text, payload);

        char header[WebSocketTransport::kMaxFrameHeader];
        const int length = WebSocketTransport::textFrameHeader(size, header);
        const std::string written = std::string(header, size_t(length)) + payload;
        QCOMPARE(QByteArray::fromStdString(written).toHex(),
                 QByteArray::fromStdString(expected).toHex());

        WsFrame::Header parsed;
        QCOMPARE(WsFrame::parse(written, parsed), WsFrame::Status::Complete);
        QVERIFY(parsed.fin);
        QVERIFY(!parsed.masked);
        QCOMPARE(parsed.opcode, std::uint8_t(WsFrame::Text));
        QCOMPARE(qint64(parsed.payloadLength), size);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFraming)
#include "tst_websocketframing.moc"
