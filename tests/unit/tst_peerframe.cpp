// PeerFrame encoding and PeerFrameReader: round trips, frames split at every byte, several in
// one chunk, every malformed header, truncation, sticky errors, and the bound enforced at the
// header before any body is buffered.

#include "server/cluster/peerframe.h"

#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::cluster::encodePeerFrame;
using flack::server::cluster::kPeerFrameOverheadBytes;
using flack::server::cluster::kPeerProtocolVersion;
using flack::server::cluster::PeerFrame;
using flack::server::cluster::PeerFrameReader;
using flack::server::cluster::PeerFrameType;
using Status = PeerFrameReader::Status;

namespace {

QByteArray patterned(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed) & 0xff);
    return bytes;
}

// Takes out every frame the reader has; stops at NeedMore or Error.
Status drain(PeerFrameReader &reader, QList<PeerFrame> *frames, QString *error = nullptr)
{
    for (;;) {
        PeerFrame frame;
        const Status status = reader.next(&frame, error);
        if (status != Status::Frame)
            return status;
        frames->append(frame);
    }
}

QByteArray header(quint32 bodyLength)
{
    QByteArray bytes(4, Qt::Uninitialized);
    bytes[0] = char(bodyLength >> 24);
    bytes[1] = char(bodyLength >> 16);
    bytes[2] = char(bodyLength >> 8);
    bytes[3] = char(bodyLength);
    return bytes;
}

} // namespace

class TestPeerFrame : public QObject
{
    Q_OBJECT
private slots:
    void encodesLayout();
    void roundTrip_data();
    void roundTrip();
    void severalFramesInOneChunk();
    void everySplitPoint();
    void byteByByte();
    void malformedHeader_data();
    void malformedHeader();
    void truncatedNeedsMore_data();
    void truncatedNeedsMore();
    void errorIsSticky();
    void boundCheckedAtTheHeader();
    void bodyOfExactlyTheBound();
    void wantedKeepsTheBufferBounded();
    void payloadIsACopy();
};

void TestPeerFrame::encodesLayout()
{
    const QByteArray frame = encodePeerFrame(PeerFrameType::Heartbeat, "abc");
    QCOMPARE(frame, QByteArray::fromHex("00000005") + char(kPeerProtocolVersion) + char(4) + "abc");
    QCOMPARE(encodePeerFrame(200, {}),
             QByteArray::fromHex("00000002") + char(kPeerProtocolVersion) + char(200));
}

void TestPeerFrame::roundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("size");
    QTest::newRow("empty hello") << 1 << 0;
    QTest::newRow("one byte") << 16 << 1;
    QTest::newRow("cluster 255") << 255 << 300;
    QTest::newRow("64 KiB") << 42 << 65536;
    QTest::newRow("1 MiB") << 17 << 1024 * 1024;
}

void TestPeerFrame::roundTrip()
{
    QFETCH(int, type);
    QFETCH(int, size);
    const QByteArray payload = patterned(size, type);
    const QByteArray frame = encodePeerFrame(quint8(type), payload);
    QCOMPARE(frame.size(), kPeerFrameOverheadBytes + size);

    PeerFrameReader reader(2 * 1024 * 1024);
    reader.append(frame);
    PeerFrame decoded;
    QCOMPARE(reader.next(&decoded, nullptr), Status::Frame);
    QCOMPARE(int(decoded.type), type);
    QCOMPARE(decoded.payload, payload);
    QCOMPARE(reader.next(&decoded, nullptr), Status::NeedMore);
    QCOMPARE(reader.bufferedBytes(), 0);
}

void TestPeerFrame::severalFramesInOneChunk()
{
    QByteArray chunk;
    for (int i = 0; i < 50; ++i)
        chunk += encodePeerFrame(quint8(16 + i), patterned(i * 7, i));
    // And the start of one more.
    const QByteArray last = encodePeerFrame(99, "tail");
    chunk += last.left(3);

    PeerFrameReader reader(1024);
    reader.append(chunk);
    QList<PeerFrame> frames;
    QCOMPARE(drain(reader, &frames), Status::NeedMore);
    QCOMPARE(frames.size(), 50);
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(int(frames[i].type), 16 + i);
        QCOMPARE(frames[i].payload, patterned(i * 7, i));
    }
    QCOMPARE(reader.bufferedBytes(), 3);
    reader.append(QByteArrayView(last).sliced(3));
    QCOMPARE(drain(reader, &frames), Status::NeedMore);
    QCOMPARE(frames.size(), 51);
    QCOMPARE(frames.last().payload, "tail"_ba);
}

void TestPeerFrame::everySplitPoint()
{
    const QByteArray stream = encodePeerFrame(20, patterned(40, 1)) + encodePeerFrame(21, {}) +
                              encodePeerFrame(22, patterned(9, 2));
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        PeerFrameReader reader(100);
        QList<PeerFrame> frames;
        reader.append(QByteArrayView(stream).first(cut));
        QCOMPARE(drain(reader, &frames), Status::NeedMore);
        reader.append(QByteArrayView(stream).sliced(cut));
        QCOMPARE(drain(reader, &frames), Status::NeedMore);
        QCOMPARE(frames.size(), 3);
        QCOMPARE(frames[0].payload, patterned(40, 1));
        QCOMPARE(frames[1].payload, QByteArray());
        QCOMPARE(int(frames[2].type), 22);
        QCOMPARE(frames[2].payload, patterned(9, 2));
        QCOMPARE(reader.bufferedBytes(), 0);
    }
}

void TestPeerFrame::byteByByte()
{
    QByteArray stream;
    for (int i = 0; i < 5; ++i)
        stream += encodePeerFrame(quint8(30 + i), patterned(i * 3, i));
    PeerFrameReader reader(100);
    QList<PeerFrame> frames;
    for (char byte : std::as_const(stream)) {
        reader.append(QByteArrayView(&byte, 1));
        QCOMPARE(drain(reader, &frames), Status::NeedMore);
    }
    QCOMPARE(frames.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(int(frames[i].type), 30 + i);
        QCOMPARE(frames[i].payload, patterned(i * 3, i));
    }
}

void TestPeerFrame::malformedHeader_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("errorPart");
    const QByteArray v = QByteArray(1, char(kPeerProtocolVersion));
    QTest::newRow("zero length") << header(0) << u"shorter"_s;
    QTest::newRow("length 1") << header(1) + v << u"shorter"_s;
    QTest::newRow("one over bound") << header(1001) << u"exceeds"_s;
    QTest::newRow("4 GiB") << header(0xFFFFFFFFu) << u"exceeds"_s;
    QTest::newRow("http request") << "GET / HTTP/1.1\r\n"_ba << u"exceeds"_s;
    QTest::newRow("version 0") << header(2) + char(0) + char(16) << u"version 0"_s;
    QTest::newRow("version 2") << header(5) + char(2) + char(16) + "abc" << u"version 2"_s;
    // The version is judged as soon as it arrives, before the rest of the body.
    QTest::newRow("version 255, body pending") << header(900) + char(255) << u"version 255"_s;
}

void TestPeerFrame::malformedHeader()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, errorPart);
    // A good frame first: the error must not take it back.
    PeerFrameReader reader(1000);
    reader.append(encodePeerFrame(16, "ok") + bytes);
    PeerFrame frame;
    QString error;
    QCOMPARE(reader.next(&frame, &error), Status::Frame);
    QCOMPARE(frame.payload, "ok"_ba);
    QCOMPARE(reader.next(&frame, &error), Status::Error);
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QVERIFY(reader.hasError());
    QCOMPARE(reader.wanted(), 0);
    QCOMPARE(reader.bufferedBytes(), 0);
}

void TestPeerFrame::truncatedNeedsMore_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray frame = encodePeerFrame(16, "payload");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("one length byte") << frame.left(1);
    QTest::newRow("three length bytes") << frame.left(3);
    QTest::newRow("length only") << frame.left(4);
    QTest::newRow("length and version") << frame.left(5);
    QTest::newRow("header, no payload") << frame.left(6);
    QTest::newRow("one byte short") << frame.chopped(1);
}

void TestPeerFrame::truncatedNeedsMore()
{
    QFETCH(QByteArray, bytes);
    PeerFrameReader reader(100);
    reader.append(bytes);
    PeerFrame frame;
    QCOMPARE(reader.next(&frame, nullptr), Status::NeedMore);
    QCOMPARE(reader.next(&frame, nullptr), Status::NeedMore);
    QCOMPARE(reader.bufferedBytes(), bytes.size());
    QVERIFY(!reader.hasError());
}

void TestPeerFrame::errorIsSticky()
{
    PeerFrameReader reader(100);
    reader.append(header(0));
    PeerFrame frame;
    QString first;
    QCOMPARE(reader.next(&frame, &first), Status::Error);
    // Good frames appended afterwards change nothing.
    reader.append(encodePeerFrame(16, "fine"));
    QCOMPARE(reader.bufferedBytes(), 0);
    QString again;
    QCOMPARE(reader.next(&frame, &again), Status::Error);
    QCOMPARE(again, first);
    QCOMPARE(reader.next(&frame, nullptr), Status::Error);
}

void TestPeerFrame::boundCheckedAtTheHeader()
{
    // The four length bytes alone are enough to refuse: no body is waited for, or buffered.
    PeerFrameReader reader(64 * 1024);
    reader.append(header(64 * 1024 + 1));
    QString error;
    QCOMPARE(reader.next(nullptr, &error), Status::Error);
    QVERIFY2(error.contains(u"65537"_s), qPrintable(error));
    QCOMPARE(reader.bufferedBytes(), 0);

    // Within the bound, a pending body isn't reserved up front either: only what arrived is
    // held.
    PeerFrameReader big(16 * 1024 * 1024);
    big.append(header(16 * 1024 * 1024) + char(kPeerProtocolVersion));
    QCOMPARE(big.next(nullptr, nullptr), Status::NeedMore);
    QCOMPARE(big.bufferedBytes(), 5);
}

void TestPeerFrame::bodyOfExactlyTheBound()
{
    PeerFrameReader reader(1000);
    reader.append(encodePeerFrame(16, patterned(998, 3)));
    PeerFrame frame;
    QCOMPARE(reader.next(&frame, nullptr), Status::Frame);
    QCOMPARE(frame.payload.size(), 998);

    PeerFrameReader tight(1000);
    tight.append(encodePeerFrame(16, patterned(999, 3)));
    QCOMPARE(tight.next(&frame, nullptr), Status::Error);
}

void TestPeerFrame::wantedKeepsTheBufferBounded()
{
    // A reader fed only what wanted() allows never holds more than one header + one body
    // bound, whatever the frame sizes.
    constexpr qsizetype bound = 500;
    QByteArray stream;
    for (int i = 0; i < 40; ++i)
        stream += encodePeerFrame(16, patterned((i * 37) % (bound - 1), i));
    PeerFrameReader reader(bound);
    QList<PeerFrame> frames;
    qsizetype position = 0;
    while (position < stream.size()) {
        const qsizetype take = qMin(reader.wanted(), stream.size() - position);
        QVERIFY(take > 0);
        reader.append(QByteArrayView(stream).sliced(position, take));
        position += take;
        QVERIFY(reader.bufferedBytes() <= 4 + bound);
        QCOMPARE(drain(reader, &frames), Status::NeedMore);
    }
    QCOMPARE(frames.size(), 40);
    QCOMPARE(reader.wanted(), 4 + bound);
}

void TestPeerFrame::payloadIsACopy()
{
    // The payload handed out is a copy: appending more must not change a frame already taken.
    PeerFrameReader reader(100);
    reader.append(encodePeerFrame(16, "first") + encodePeerFrame(17, "sec"));
    PeerFrame first;
    QCOMPARE(reader.next(&first, nullptr), Status::Frame);
    reader.append(encodePeerFrame(18, "third"));
    QList<PeerFrame> rest;
    QCOMPARE(drain(reader, &rest), Status::NeedMore);
    QCOMPARE(first.payload, "first"_ba);
    QCOMPARE(rest.size(), 2);
    QCOMPARE(rest[0].payload, "sec"_ba);
    QCOMPARE(rest[1].payload, "third"_ba);
}

QTEST_APPLESS_MAIN(TestPeerFrame)
#include "tst_peerframe.moc"
