// PeerLink over real loopback sockets: two links come up and carry frames in order both ways;
// a wrong secret, garbage, oversized headers, a silent peer, a peer that stops reading, a
// cluster frame before authentication and a refused dial each end the link with one down()
// and a reason; leave() is seen as peerLeaving then down; heartbeats measure the round trip
// and keep an idle link up; a link may be deleted from its own down handler.

#include "server/cluster/peerframe.h"
#include "server/cluster/peerhandshake.h"
#include "server/cluster/peerlink.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using flack::server::cluster::encodePeerFrame;
using flack::server::cluster::PeerFrame;
using flack::server::cluster::PeerFrameReader;
using flack::server::cluster::PeerFrameType;
using flack::server::cluster::PeerHandshake;
using flack::server::cluster::PeerIdentity;
using flack::server::cluster::PeerLink;
using flack::server::cluster::PeerLinkSettings;
using LinkState = PeerLink::State;

namespace {

const QByteArray kSecret = "cluster secret for tests"_ba;
// Deadlines for what should happen much sooner; generous for sanitizer builds on busy
// machines.
constexpr int kDeadlineMs = 15000;

PeerLinkSettings settingsFor(const QString &name, const QByteArray &secret = kSecret)
{
    PeerLinkSettings settings;
    settings.secret = secret;
    settings.self = PeerIdentity{name, 1, name + u".test:7000"_s};
    settings.heartbeatIntervalMs = 100;
    settings.peerTimeoutMs = 5000;
    settings.handshakeTimeoutMs = 5000;
    return settings;
}

QByteArray patterned(qsizetype size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 131 + seed * 7) & 0xff);
    return bytes;
}

// Everything one link emitted, in order.
class Recorder : public QObject
{
public:
    explicit Recorder(PeerLink *link = nullptr)
    {
        if (link)
            attach(link);
    }
    void attach(PeerLink *link)
    {
        connect(link, &PeerLink::up, this, [this] {
            events.append(u"up"_s);
            m_sinceUp.start();
        });
        connect(link, &PeerLink::frameReceived, this,
                [this](quint8 type, const QByteArray &payload) {
                    frames.append(PeerFrame{type, payload});
                });
        connect(link, &PeerLink::peerLeaving, this, [this] { events.append(u"leaving"_s); });
        connect(link, &PeerLink::down, this, [this](const QString &why) {
            events.append(u"down"_s);
            reason = why;
            ++downs;
            upToDownMs = m_sinceUp.isValid() ? m_sinceUp.elapsed() : -1;
        });
    }
    bool wasUp() const { return events.contains(u"up"_s); }

    QStringList events;
    QList<PeerFrame> frames;
    QString reason;
    int downs = 0;
    qint64 upToDownMs = -1;

private:
    QElapsedTimer m_sinceUp;
};

// A QTcpServer that gives every connection to an inbound PeerLink.
class LinkServer : public QObject
{
public:
    explicit LinkServer(const PeerLinkSettings &settings) : m_settings(settings)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto *link = new PeerLink(socket, m_settings, this);
                links.append(link);
                recorders.append(std::make_shared<Recorder>(link));
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    PeerLink *link() const { return links.isEmpty() ? nullptr : links.first(); }
    Recorder &recorder() const { return *recorders.first(); }

    QList<QPointer<PeerLink>> links;
    QList<std::shared_ptr<Recorder>> recorders;

private:
    PeerLinkSettings m_settings;
    QTcpServer m_server;
};

// A QTcpServer that speaks no protocol: it holds its connections and sends them what it's
// told to.
class RawServer : public QObject
{
public:
    explicit RawServer(QByteArray greeting = {}) : m_greeting(std::move(greeting))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                sockets.append(socket);
                if (!m_greeting.isEmpty())
                    socket->write(m_greeting);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<QTcpSocket *> sockets;

private:
    QByteArray m_greeting;
    QTcpServer m_server;
};

// A peer built from the parts, over a raw socket: it completes the handshake and afterwards
// does only what the test says (nothing, by default).
class ScriptedPeer : public QObject
{
public:
    ScriptedPeer(const QString &name, const QByteArray &secret = kSecret)
        : handshake(secret, PeerIdentity{name, 1, {}})
    {
        connect(&socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        connect(&socket, &QAbstractSocket::connected, this,
                [this] { socket.write(handshake.helloFrame()); });
    }
    void connectTo(quint16 port) { socket.connectToHost(QHostAddress::LocalHost, port); }
    bool authenticated() const { return handshake.state() == PeerHandshake::State::Authenticated; }
    // Stops taking bytes off the socket: the kernel's buffers fill and then the link's queue.
    void stopReading()
    {
        disconnect(&socket, &QIODevice::readyRead, this, nullptr);
        socket.setReadBufferSize(4096);
    }

    QTcpSocket socket;
    PeerHandshake handshake;
    PeerFrameReader reader{1024 * 1024};
    QList<PeerFrame> received;

private:
    void onReadyRead()
    {
        reader.append(socket.readAll());
        PeerFrame frame;
        while (reader.next(&frame, nullptr) == PeerFrameReader::Status::Frame) {
            received.append(frame);
            if (!authenticated())
                socket.write(handshake.receive(frame));
        }
    }
};

} // namespace

class TestPeerLink : public QObject
{
    Q_OBJECT
private slots:
    void linksComeUpAndCarryFramesInOrder();
    void sendRules();
    void wrongSecretNeverComesUp();
    void inboundGarbageEndsTheLink_data();
    void inboundGarbageEndsTheLink();
    void outboundGarbageEndsTheLink();
    void silentPeerTimesOutInHandshake_data();
    void silentPeerTimesOutInHandshake();
    void peerSilentAfterHandshakeTimesOut();
    void heartbeatsKeepAnIdleLinkUp();
    void roundTripIsMeasured();
    void stalledPeerIsCut();
    void readingPeerIsNotCut();
    void leaveIsSeenAsLeavingThenDown();
    void closeFromAFrameHandlerStopsDelivery();
    void deleteLaterFromDownHandler();
    void refusedDialGoesDown();
    void closeFlushesWhatIsQueued();
    void aClosingSocketDiesWithTheLinksOwner();
    void badOwnSettingsGoDownWithoutConnecting();
    void logsNameTheAddressAndNeverTheSecret();
};

void TestPeerLink::linksComeUpAndCarryFramesInOrder()
{
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> dialed(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s)));
    Recorder a(dialed.get());
    QCOMPARE(dialed->state(), LinkState::Connecting);
    QVERIFY(dialed->isOutbound());
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    PeerLink *accepted = server.link();
    Recorder &b = server.recorder();
    QCOMPARE(dialed->state(), LinkState::Up);
    QCOMPARE(accepted->state(), LinkState::Up);
    QVERIFY(!accepted->isOutbound());
    QCOMPARE(dialed->peer(), settingsFor(u"node-b"_s).self);
    QCOMPARE(accepted->peer(), settingsFor(u"node-a"_s).self);
    QCOMPARE(dialed->remoteAddress(), u"127.0.0.1:%1"_s.arg(server.port()));
    QVERIFY2(accepted->remoteAddress().startsWith(u"127.0.0.1:"_s),
             qPrintable(accepted->remoteAddress()));

    // Small and empty frames, and some bigger than the socket's read buffer, every type.
    QList<PeerFrame> toB;
    QList<PeerFrame> toA;
    for (int i = 0; i < 300; ++i) {
        const qsizetype size = i % 50 == 7 ? 300 * 1024 : (i * 13) % 2000;
        toB.append(PeerFrame{quint8(16 + i % 240), patterned(size, i)});
        toA.append(PeerFrame{quint8(255 - i % 240), patterned(size / 2, i + 1)});
    }
    for (const PeerFrame &frame : std::as_const(toB))
        QVERIFY(dialed->send(frame.type, frame.payload));
    for (const PeerFrame &frame : std::as_const(toA))
        QVERIFY(accepted->send(frame.type, frame.payload));
    QTRY_VERIFY_WITH_TIMEOUT(b.frames.size() == toB.size() && a.frames.size() == toA.size(),
                             kDeadlineMs);
    for (qsizetype i = 0; i < toB.size(); ++i) {
        QCOMPARE(b.frames[i].type, toB[i].type);
        QCOMPARE(b.frames[i].payload, toB[i].payload);
        QCOMPARE(a.frames[i].type, toA[i].type);
        QCOMPARE(a.frames[i].payload, toA[i].payload);
    }
    QCOMPARE(a.downs, 0);
    QCOMPARE(b.downs, 0);

    dialed->close(u"test over"_s);
    QCOMPARE(a.downs, 1);
    QCOMPARE(a.reason, u"test over"_s);
    QCOMPARE(dialed->state(), LinkState::Closed);
    QTRY_COMPARE_WITH_TIMEOUT(b.downs, 1, kDeadlineMs);
    QCOMPARE(a.downs, 1);
}

void TestPeerLink::sendRules()
{
    PeerLinkSettings settings = settingsFor(u"node-a"_s);
    settings.maxFrameBytes = 1000;
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> link(PeerLink::dial(u"127.0.0.1"_s, server.port(), settings));
    Recorder a(link.get());
    // Not before Up.
    QVERIFY(!link->send(16, "early"));
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    // Not the link's own types.
    for (int type = 0; type < 16; ++type)
        QVERIFY(!link->send(quint8(type), "x"));
    // Not over the frame bound, and the link stays up; exactly the bound goes.
    QVERIFY(!link->send(16, QByteArray(999, 'x')));
    QCOMPARE(link->state(), LinkState::Up);
    QVERIFY(link->send(17, QByteArray(998, 'y')));
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().frames.size(), 1, kDeadlineMs);
    QCOMPARE(server.recorder().frames.first().type, quint8(17));
    link->close(u"done"_s);
    QVERIFY(!link->send(16, "late"));
    QCOMPARE(a.downs, 1);
}

void TestPeerLink::wrongSecretNeverComesUp()
{
    LinkServer server(settingsFor(u"node-b"_s, "the right secret"_ba));
    std::unique_ptr<PeerLink> link(PeerLink::dial(u"127.0.0.1"_s, server.port(),
                                                  settingsFor(u"node-a"_s, "a wrong secret"_ba)));
    Recorder a(link.get());
    QTRY_VERIFY_WITH_TIMEOUT(a.downs == 1 && server.link() && server.recorder().downs == 1,
                             kDeadlineMs);
    QVERIFY(!a.wasUp());
    QVERIFY(!server.recorder().wasUp());
    QVERIFY2(a.reason.contains(u"wrong proof from peer 'node-b'"_s), qPrintable(a.reason));
    QVERIFY2(server.recorder().reason.contains(u"wrong proof from peer 'node-a'"_s),
             qPrintable(server.recorder().reason));
    QCOMPARE(link->state(), LinkState::Closed);
}

void TestPeerLink::inboundGarbageEndsTheLink_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("http request") << "GET / HTTP/1.1\r\nHost: x\r\n\r\n"_ba << u"exceeds"_s;
    QTest::newRow("4 GiB header") << QByteArray::fromHex("ffffffff") << u"exceeds"_s;
    QTest::newRow("one over the bound") << QByteArray::fromHex("00010001") << u"exceeds"_s;
    QTest::newRow("zero length") << QByteArray::fromHex("00000000") << u"shorter"_s;
    QTest::newRow("wrong version")
        << QByteArray::fromHex("0000000302107a") << u"protocol version 2"_s;
    QTest::newRow("cluster frame before the handshake")
        << encodePeerFrame(16, "hi") << u"type 16"_s;
    QTest::newRow("heartbeat before the handshake")
        << encodePeerFrame(PeerFrameType::Heartbeat, QByteArray(8, '\0')) << u"type 4"_s;
    QTest::newRow("not a hello") << encodePeerFrame(PeerFrameType::Hello, "\xff\xff"_ba)
                                 << u"not a CBOR map"_s;
    QTest::newRow("random bytes") << patterned(5000, 3) << u"undecodable frame"_s;
}

void TestPeerLink::inboundGarbageEndsTheLink()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reasonPart);
    PeerLinkSettings settings = settingsFor(u"node-b"_s);
    settings.maxFrameBytes = 64 * 1024;
    LinkServer server(settings);
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(raw.waitForConnected(kDeadlineMs));
    raw.write(bytes);
    QTRY_VERIFY_WITH_TIMEOUT(server.link() && server.recorder().downs == 1, kDeadlineMs);
    QVERIFY(!server.recorder().wasUp());
    QVERIFY2(server.recorder().reason.contains(reasonPart), qPrintable(server.recorder().reason));
    // The link let go of the connection.
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, kDeadlineMs);
    QCOMPARE(server.recorder().downs, 1);
}

void TestPeerLink::outboundGarbageEndsTheLink()
{
    RawServer server(QByteArray::fromHex("7fffffff") + "more garbage");
    std::unique_ptr<PeerLink> link(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s)));
    Recorder a(link.get());
    QTRY_COMPARE_WITH_TIMEOUT(a.downs, 1, kDeadlineMs);
    QVERIFY(!a.wasUp());
    QVERIFY2(a.reason.contains(u"exceeds"_s), qPrintable(a.reason));
}

void TestPeerLink::silentPeerTimesOutInHandshake_data()
{
    QTest::addColumn<bool>("outbound");
    QTest::addColumn<bool>("sendsHello");
    QTest::newRow("inbound, peer sends nothing") << false << false;
    QTest::newRow("inbound, peer sends only its hello") << false << true;
    QTest::newRow("outbound, peer accepts and says nothing") << true << false;
}

void TestPeerLink::silentPeerTimesOutInHandshake()
{
    QFETCH(bool, outbound);
    QFETCH(bool, sendsHello);
    PeerLinkSettings settings = settingsFor(u"node-a"_s);
    settings.handshakeTimeoutMs = 300;
    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<LinkServer> linkServer;
    std::unique_ptr<RawServer> rawServer;
    std::unique_ptr<PeerLink> dialed;
    QTcpSocket raw;
    Recorder dialedRecorder;
    Recorder *recorder = &dialedRecorder;
    if (outbound) {
        rawServer = std::make_unique<RawServer>();
        dialed.reset(PeerLink::dial(u"127.0.0.1"_s, rawServer->port(), settings));
        dialedRecorder.attach(dialed.get());
    } else {
        linkServer = std::make_unique<LinkServer>(settings);
        raw.connectToHost(QHostAddress::LocalHost, linkServer->port());
        QVERIFY(raw.waitForConnected(kDeadlineMs));
        if (sendsHello)
            raw.write(PeerHandshake(kSecret, PeerIdentity{u"node-z"_s, 1, {}}).helloFrame());
        QTRY_VERIFY_WITH_TIMEOUT(linkServer->link(), kDeadlineMs);
        recorder = &linkServer->recorder();
    }
    QTRY_COMPARE_WITH_TIMEOUT(recorder->downs, 1, kDeadlineMs);
    // Coarse timers may fire a little early.
    QVERIFY2(clock.elapsed() >= 270, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!recorder->wasUp());
    QVERIFY2(recorder->reason.contains(u"handshake not completed within 300 ms"_s),
             qPrintable(recorder->reason));
}

void TestPeerLink::peerSilentAfterHandshakeTimesOut()
{
    PeerLinkSettings settings = settingsFor(u"node-b"_s);
    settings.peerTimeoutMs = 300;
    LinkServer server(settings);
    ScriptedPeer peer(u"node-a"_s);
    peer.connectTo(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(server.link() && server.recorder().wasUp(), kDeadlineMs);
    QVERIFY(peer.authenticated());
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().downs, 1, kDeadlineMs);
    // The peer's Proof was its last frame, just before Up: the deadline counts from there,
    // and is never declared early.
    QVERIFY2(server.recorder().upToDownMs >= 290,
             qPrintable(QString::number(server.recorder().upToDownMs)));
    QVERIFY2(server.recorder().reason.contains(u"no frame from the peer for"_s),
             qPrintable(server.recorder().reason));
    // It sent heartbeats meanwhile, which went unanswered.
    bool sawHeartbeat = false;
    for (const PeerFrame &frame : std::as_const(peer.received))
        sawHeartbeat = sawHeartbeat || frame.type == quint8(PeerFrameType::Heartbeat);
    QVERIFY(sawHeartbeat);
}

void TestPeerLink::heartbeatsKeepAnIdleLinkUp()
{
    PeerLinkSettings a = settingsFor(u"node-a"_s);
    PeerLinkSettings b = settingsFor(u"node-b"_s);
    a.heartbeatIntervalMs = b.heartbeatIntervalMs = 50;
    a.peerTimeoutMs = b.peerTimeoutMs = 1000;
    LinkServer server(b);
    std::unique_ptr<PeerLink> link(PeerLink::dial(u"127.0.0.1"_s, server.port(), a));
    Recorder recorder(link.get());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.wasUp() && server.link() && server.recorder().wasUp(),
                             kDeadlineMs);
    // Idle for several peer timeouts: only heartbeats flow, and they are enough.
    QElapsedTimer idle;
    idle.start();
    QTRY_VERIFY_WITH_TIMEOUT(idle.elapsed() > 3 * a.peerTimeoutMs || recorder.downs > 0,
                             kDeadlineMs);
    QCOMPARE(recorder.downs, 0);
    QCOMPARE(server.recorder().downs, 0);
    QCOMPARE(link->state(), LinkState::Up);
}

void TestPeerLink::roundTripIsMeasured()
{
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> link(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s)));
    Recorder recorder(link.get());
    QCOMPARE(link->roundTripMs(), -1);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.wasUp() && server.link(), kDeadlineMs);
    QTRY_VERIFY_WITH_TIMEOUT(link->roundTripMs() >= 0 && server.link()->roundTripMs() >= 0,
                             kDeadlineMs);
    // Loopback: well under the heartbeat interval.
    QVERIFY(link->roundTripMs() < 1000);
}

void TestPeerLink::stalledPeerIsCut()
{
    PeerLinkSettings settings = settingsFor(u"node-b"_s);
    settings.maxQueuedBytes = 1024 * 1024;
    settings.peerTimeoutMs = 60000; // the queue, not the silence, must end it
    LinkServer server(settings);
    ScriptedPeer peer(u"node-a"_s);
    peer.connectTo(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(server.link() && server.recorder().wasUp() && peer.authenticated(),
                             kDeadlineMs);
    peer.stopReading();
    PeerLink *link = server.link();

    // One frame per turn of the event loop, so the socket gets every chance to write: only
    // a peer that really doesn't read lets the queue grow.
    const QByteArray payload(64 * 1024, 'p');
    qint64 sent = 0;
    qint64 largestQueue = 0;
    bool refused = false;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        if (link->state() != LinkState::Up || sent > 1024 * 1024 * 1024)
            return pump.stop();
        if (link->send(16, payload))
            sent += payload.size();
        else
            refused = true;
        largestQueue = qMax(largestQueue, link->queuedBytes());
    });
    pump.start(0);
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().downs, 1, kDeadlineMs * 2);
    QVERIFY(refused);
    QVERIFY2(server.recorder().reason.contains(u"send queue would pass 1048576 bytes"_s),
             qPrintable(server.recorder().reason));
    QVERIFY(largestQueue <= settings.maxQueuedBytes);
    QVERIFY(sent > settings.maxQueuedBytes);
    QCOMPARE(link->state(), LinkState::Closed);
    QCOMPARE(link->queuedBytes(), 0);
}

void TestPeerLink::readingPeerIsNotCut()
{
    // The same small queue bound and many times its size sent, to a peer that keeps up.
    PeerLinkSettings a = settingsFor(u"node-a"_s);
    a.maxQueuedBytes = 1024 * 1024;
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> link(PeerLink::dial(u"127.0.0.1"_s, server.port(), a));
    Recorder recorder(link.get());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.wasUp() && server.link() && server.recorder().wasUp(),
                             kDeadlineMs);
    const QByteArray payload(64 * 1024, 'q');
    constexpr int kFrames = 256; // 16 MiB
    int sent = 0;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        // A sender that respects its queue, as the cluster layer would.
        while (sent < kFrames && link->queuedBytes() < a.maxQueuedBytes / 2) {
            if (!link->send(16, payload))
                return pump.stop();
            ++sent;
        }
        if (sent == kFrames)
            pump.stop();
    });
    pump.start(0);
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().frames.size(), kFrames, kDeadlineMs * 2);
    QCOMPARE(recorder.downs, 0);
    QCOMPARE(link->state(), LinkState::Up);
}

void TestPeerLink::leaveIsSeenAsLeavingThenDown()
{
    LinkServer server(settingsFor(u"node-b"_s));
    auto *link = PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s));
    Recorder a(link);
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    for (int i = 0; i < 10; ++i)
        QVERIFY(link->send(20, QByteArray::number(i)));
    link->leave();
    QCOMPARE(link->state(), LinkState::Closed);
    QCOMPARE(a.downs, 1);
    QCOMPARE(a.reason, u"left the cluster"_s);
    // Deleting the link at once must not lose the Leaving still being flushed.
    delete link;

    Recorder &b = server.recorder();
    QTRY_COMPARE_WITH_TIMEOUT(b.downs, 1, kDeadlineMs);
    QCOMPARE(b.events, (QStringList{u"up"_s, u"leaving"_s, u"down"_s}));
    QCOMPARE(b.frames.size(), 10);
    QCOMPARE(b.frames.last().payload, "9"_ba);
    QVERIFY2(b.reason.contains(u"leaving"_s), qPrintable(b.reason));
}

void TestPeerLink::closeFromAFrameHandlerStopsDelivery()
{
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> link(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s)));
    Recorder a(link.get());
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    PeerLink *accepted = server.link();
    connect(accepted, &PeerLink::frameReceived, this,
            [accepted] { accepted->close(u"seen enough"_s); });
    // All in one write, so they arrive together and are read in one go.
    for (int i = 0; i < 5; ++i)
        QVERIFY(link->send(30, QByteArray::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().downs, 1, kDeadlineMs);
    QCOMPARE(server.recorder().frames.size(), 1);
    QCOMPARE(server.recorder().reason, u"seen enough"_s);
    QTRY_COMPARE_WITH_TIMEOUT(a.downs, 1, kDeadlineMs);
    QCOMPARE(server.recorder().downs, 1);
}

void TestPeerLink::deleteLaterFromDownHandler()
{
    LinkServer server(settingsFor(u"node-b"_s));
    QPointer<PeerLink> link =
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s));
    Recorder a(link);
    connect(link, &PeerLink::down, link, &QObject::deleteLater);
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    QPointer<PeerLink> accepted = server.link();
    connect(accepted, &PeerLink::down, accepted, &QObject::deleteLater);
    // Frames in flight while both go away.
    for (int i = 0; i < 100; ++i)
        link->send(16, QByteArray(1000, 'z'));
    accepted->close(u"bye"_s);
    QTRY_VERIFY_WITH_TIMEOUT(link.isNull() && accepted.isNull(), kDeadlineMs);
    QCOMPARE(a.downs, 1);
    QCOMPARE(server.recorder().downs, 1);
}

void TestPeerLink::refusedDialGoesDown()
{
    quint16 port = 0;
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        port = closed.serverPort();
    }
    std::unique_ptr<PeerLink> link(PeerLink::dial(u"127.0.0.1"_s, port, settingsFor(u"node-a"_s)));
    Recorder a(link.get());
    QTRY_COMPARE_WITH_TIMEOUT(a.downs, 1, kDeadlineMs);
    QVERIFY(!a.wasUp());
    QVERIFY2(a.reason.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(a.reason));
    QCOMPARE(link->state(), LinkState::Closed);
}

void TestPeerLink::closeFlushesWhatIsQueued()
{
    LinkServer server(settingsFor(u"node-b"_s));
    std::unique_ptr<PeerLink> link(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s)));
    Recorder a(link.get());
    QTRY_VERIFY_WITH_TIMEOUT(a.wasUp() && server.link() && server.recorder().wasUp(), kDeadlineMs);
    for (int i = 0; i < 20; ++i)
        QVERIFY(link->send(40, QByteArray(10000, char('a' + i))));
    link->close(u"done here"_s);
    QCOMPARE(a.downs, 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.recorder().downs, 1, kDeadlineMs);
    QCOMPARE(server.recorder().frames.size(), 20);
    QCOMPARE(server.recorder().frames.last().payload, QByteArray(10000, 't'));
    // A plain close, not a leave.
    QVERIFY(!server.recorder().events.contains(u"leaving"_s));
}

// A link deleted while its socket still flushes a graceful close leaves the socket behind
// to finish; the socket must still belong to the link's owner, or a node that exits then
// (SIGTERM: leave, then quit) leaks it.
void TestPeerLink::aClosingSocketDiesWithTheLinksOwner()
{
    PeerLinkSettings settings = settingsFor(u"node-b"_s);
    settings.maxQueuedBytes = 64 * 1024 * 1024;
    settings.peerTimeoutMs = 60000;
    auto owner = std::make_unique<QObject>();
    PeerLink *link = nullptr;
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    connect(&listener, &QTcpServer::newConnection, this, [&] {
        link = new PeerLink(listener.nextPendingConnection(), settings, owner.get());
    });
    ScriptedPeer peer(u"node-a"_s);
    peer.connectTo(listener.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(link && link->state() == LinkState::Up && peer.authenticated(),
                             kDeadlineMs);
    peer.stopReading();
    // More than the kernel's loopback buffers take, so the close can't complete at once.
    const QByteArray payload(64 * 1024, 'p');
    for (int i = 0; i < 256; ++i)
        QVERIFY(link->send(16, payload));
    QPointer<QTcpSocket> socket = link->findChild<QTcpSocket *>();
    QVERIFY(socket);
    link->close(u"done here"_s);
    QCOMPARE(socket->state(), QAbstractSocket::ConnectedState); // still sending
    delete link;
    QVERIFY2(socket, "the closing socket should outlive its link");
    owner.reset();
    QVERIFY2(!socket, "the closing socket outlived the link's owner");
}

void TestPeerLink::badOwnSettingsGoDownWithoutConnecting()
{
    RawServer server;
    std::unique_ptr<PeerLink> link(
        PeerLink::dial(u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s, QByteArray())));
    Recorder a(link.get());
    QTRY_COMPARE_WITH_TIMEOUT(a.downs, 1, kDeadlineMs);
    QVERIFY2(a.reason.contains(u"secret is empty"_s), qPrintable(a.reason));
    QVERIFY(server.sockets.isEmpty());
}

namespace {
QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (qstrcmp(context.category, "flack.cluster") == 0)
        g_messages.append(message);
    g_previousHandler(type, context, message);
}
} // namespace

void TestPeerLink::logsNameTheAddressAndNeverTheSecret()
{
    g_messages.clear();
    g_previousHandler = qInstallMessageHandler(captureMessage);
    const auto restore = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });
    {
        LinkServer server(settingsFor(u"node-b"_s, "right-secret-value"_ba));
        std::unique_ptr<PeerLink> link(PeerLink::dial(
            u"127.0.0.1"_s, server.port(), settingsFor(u"node-a"_s, "wrong-secret-value"_ba)));
        Recorder a(link.get());
        QTRY_VERIFY_WITH_TIMEOUT(a.downs == 1 && server.link() && server.recorder().downs == 1,
                                 kDeadlineMs);
    }
    const QString outbound = u"peer link 'node-b' (127.0.0.1:"_s;
    bool namedOutbound = false;
    for (const QString &message : std::as_const(g_messages)) {
        QVERIFY2(!message.contains(u"secret-value"_s), qPrintable(message));
        namedOutbound = namedOutbound || (message.startsWith(outbound) &&
                                          message.contains(u"outbound) down: wrong proof"_s));
    }
    QVERIFY2(namedOutbound, qPrintable(g_messages.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestPeerLink)
#include "tst_peerlink.moc"
