// RFC 6455 framing of flack-bench: lengths at every encoding boundary, masking, partial input,
// and the frames a client must reject.

#include "tools/core/wsframe.h"

#include <QTest>

using flack::tools::WsFrame;

class TestWsFrame : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void incompleteUntilWhole();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void knownMaskedFrame();
};

void TestWsFrame::roundTrip_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("headerLength");
    QTest::newRow("empty") << 0 << 6;
    QTest::newRow("125") << 125 << 6;
    QTest::newRow("126") << 126 << 8;
    QTest::newRow("65535") << 65535 << 8;
    QTest::newRow("65536") << 65536 << 14;
}

void TestWsFrame::roundTrip()
{
    QFETCH(int, length);
    QFETCH(int, headerLength);
    std::string payload(std::size_t(length), 'a');
    for (int i = 0; i < length; ++i)
        payload[std::size_t(i)] = char('a' + i % 26);
    std::string frame;
    WsFrame::appendMasked(frame, WsFrame::Text, payload, 0xA1B2C3D4u);
    WsFrame::Header header;
    QCOMPARE(WsFrame::parse(frame, header), WsFrame::Status::Complete);
    QVERIFY(header.fin);
    QVERIFY(header.masked);
    QCOMPARE(header.opcode, std::uint8_t(WsFrame::Text));
    QCOMPARE(int(header.headerLength), headerLength);
    QCOMPARE(header.payloadLength, std::uint64_t(length));
    std::string unmasked = frame.substr(header.headerLength);
    if (length > 0)
        QVERIFY(unmasked != payload);
    WsFrame::applyMask(unmasked.data(), unmasked.size(), header.maskKey);
    QCOMPARE(unmasked, payload);

    std::string plain;
    WsFrame::appendUnmasked(plain, WsFrame::Text, payload);
    QCOMPARE(WsFrame::parse(plain, header), WsFrame::Status::Complete);
    QVERIFY(!header.masked);
    QCOMPARE(plain.substr(header.headerLength), payload);
}

void TestWsFrame::incompleteUntilWhole()
{
    std::string frames;
    WsFrame::appendUnmasked(frames, WsFrame::Text, std::string(300, 'x'));
    WsFrame::Header header;
    for (std::size_t cut = 0; cut < frames.size(); ++cut)
        QCOMPARE(WsFrame::parse(std::string_view(frames).substr(0, cut), header),
                 WsFrame::Status::Incomplete);
    QCOMPARE(WsFrame::parse(frames, header), WsFrame::Status::Complete);
    QCOMPARE(header.frameLength(), frames.size());
}

void TestWsFrame::rejectsInvalid_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("reserved bit") << QByteArray::fromHex("c100");
    QTest::newRow("unknown opcode") << QByteArray::fromHex("8300");
    QTest::newRow("fragmented ping") << QByteArray::fromHex("0900");
    QTest::newRow("long close") << QByteArray::fromHex("887e0080");
    QTest::newRow("64-bit length top bit") << QByteArray::fromHex("827f8000000000000000");
}

void TestWsFrame::rejectsInvalid()
{
    QFETCH(QByteArray, bytes);
    WsFrame::Header header;
    QCOMPARE(WsFrame::parse(std::string_view(bytes.constData(), std::size_t(bytes.size())), header),
             WsFrame::Status::Error);
}

void TestWsFrame::knownMaskedFrame()
{
    // RFC 6455 section 5.7: a masked "Hello" with key 37 fa 21 3d.
    std::string frame;
    const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    std::uint32_t maskKey;
    std::memcpy(&maskKey, key, 4);
    WsFrame::appendMasked(frame, WsFrame::Text, "Hello", maskKey);
    QCOMPARE(QByteArray(frame.data(), qsizetype(frame.size())).toHex(),
             QByteArray("818537fa213d7f9f4d5158"));
}

QTEST_GUILESS_MAIN(TestWsFrame)
#include "tst_wsframe.moc"
