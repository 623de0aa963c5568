// The frames the server writes itself for room events (FrameCache, used by
// WebSocketTransport::sendEncoded): byte for byte what RFC 6455 says, checked against
// flack-bench's independent frame code; an event is framed once for all its members, and a
// different payload, even of the same size, gets its own frame.

#include "server/net/framecache.h"
#include "tools/core/wsframe.h"

#include <QTest>

#include <string>

using flack::server::net::FrameCache;
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

        char header[FrameCache::kMaxFrameHeader];
        const int length = FrameCache::textFrameHeader(size, header);
        const std::string written = std::string(header, size_t(length)) + payload;
        QCOMPARE(QByteArray::fromStdString(written).toHex(),
                 QByteArray::fromStdString(expected).toHex());
        FrameCache frames;
        QCOMPARE(frames.framed(QByteArray::fromStdString(payload)).toHex(),
                 QByteArray::fromStdString(expected).toHex());

        WsFrame::Header parsed;
        QCOMPARE(WsFrame::parse(written, parsed), WsFrame::Status::Complete);
        QVERIFY(parsed.fin);
        QVERIFY(!parsed.masked);
        QCOMPARE(parsed.opcode, std::uint8_t(WsFrame::Text));
        QCOMPARE(qint64(parsed.payloadLength), size);
    }

    void anEventIsFramedOnceForAllItsMembers()
    {
        FrameCache frames;
        const QByteArray event = "{\"record\":\"chat_message\"}";
        const QByteArray &first = frames.framed(event);
        const char *const framedAt = first.constData();
        const QByteArray copy = event; // another member's reference to the same event
        QCOMPARE(frames.framed(copy).constData(), framedAt); // not framed again
        QCOMPARE(frames.framed(event).mid(2), event);
    }

    void anotherPayloadOfTheSameSizeGetsItsOwnFrame()
    {
        FrameCache frames;
        const QByteArray a(200, 'a');
        QCOMPARE(frames.framed(a).mid(4), a);
        QByteArray b(200, 'b'); // a buffer of its own: never mistaken for a's
        QCOMPARE(frames.framed(b).mid(4), b);
        QCOMPARE(frames.framed(QByteArray()).toHex(), QByteArray("8100"));
        QCOMPARE(frames.framed(a).mid(4), a);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFraming)
#include "tst_websocketframing.moc"
