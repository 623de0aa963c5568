// WriteCoalescer and WebSocketTransport's held frames, over a real loopback websocket: a
// frame right after a write is held and goes within the window, in one piece with the others
// held; a quiet connection writes at once; anything else sent (a text through the websocket
// layer, a close) hands the held frames over first, so the wire keeps the order sent; what is
// held counts as queued, and goes early once it reaches a bound; a window of 0 holds nothing;
// a client removed mid-flush isn't called; held frames count against the reader's queue once
// handed over.

#include "server/net/passwriteflusher.h"
#include "server/net/websockettransport.h"
#include "server/net/writecoalescer.h"
#include "server/rooms/roomdirectory.h"
#include "server/sessions/clientsession.h"

#include <QAbstractEventDispatcher>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using flack::server::net::WebSocketTransport;
using flack::server::net::WriteCoalescer;
using namespace Qt::StringLiterals;

namespace {

constexpr int kDeadlineMs = 10000;

// A server-side transport and the client websocket at its other end.
struct Pair
{
    std::unique_ptr<WebSocketTransport> transport;
    std::unique_ptr<QWebSocket> client;
    QStringList received;
};

class Harness : public QObject
{
public:
    explicit Harness(WriteCoalescer *coalescer, WriteCoalescer *presence = nullptr)
        : m_coalescer(coalescer), m_presence(presence)
    {
        m_server.setMaxPendingConnections(16);
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
                m_lastTcp = socket;
                m_server.handleConnection(socket);
            }
        });
        m_tcp.listen(QHostAddress::LocalHost);
    }

    std::unique_ptr<Pair> connectPair()
    {
        auto pair = std::make_unique<Pair>();
        pair->client = std::make_unique<QWebSocket>();
        QObject::connect(pair->client.get(), &QWebSocket::textMessageReceived, this,
                         [received = &pair->received](const QString &text) { received->append(text); });
        QSignalSpy accepted(&m_server, &QWebSocketServer::newConnection);
        pair->client->open(QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_tcp.serverPort())));
        if (!accepted.wait(kDeadlineMs) && accepted.isEmpty())
            return nullptr;
        QWebSocket *socket = m_server.nextPendingConnection();
        if (!socket)
            return nullptr;
        pair->transport =
            std::make_unique<WebSocketTransport>(socket, m_lastTcp, 1 << 20, m_coalescer, m_presence);
        if (pair->client->state() != QAbstractSocket::ConnectedState) {
            QSignalSpy connected(pair->client.get(), &QWebSocket::connected);
            if (!connected.wait(kDeadlineMs))
                return nullptr;
        }
        return pair;
    }

    QTcpSocket *lastTcpSocket() const { return m_lastTcp; }

private:
    WriteCoalescer *m_coalescer;
    WriteCoalescer *m_presence;
    QTcpServer m_tcp;
    QWebSocketServer m_server{u"test"_s, QWebSocketServer::NonSecureMode};
    QTcpSocket *m_lastTcp = nullptr;
};

using flack::server::rooms::DeliveryPace;

void sendEncoded(WebSocketTransport &transport, const QString &text,
                 DeliveryPace pace = DeliveryPace::Prompt)
{
    transport.sendEncoded(text, text.toUtf8(), pace);
}

// "written" goes at once (the connection was quiet), "held" right behind it is held; true if so.
bool writeOneHoldOne(WebSocketTransport &transport)
{
    sendEncoded(transport, u"written"_s);
    sendEncoded(transport, u"held"_s);
    return transport.heldBytes() > 0;
}

// A coalescer client that only counts its calls.
class CountingClient : public WriteCoalescer::Client
{
public:
    void flushHeld() override
    {
        ++calls;
        if (onFlush)
            onFlush();
    }
    int calls = 0;
    std::function<void()> onFlush;
};

// A connected transport whose writes go through a PassWriteFlusher, as the chat endpoint's do.
struct FlushedPair
{
    explicit FlushedPair(int windowMs) : coalescer(windowMs), harness(&coalescer)
    {
        pair = harness.connectPair();
        if (pair)
            pair->transport->setWriteFlusher(&flusher);
    }
    WriteCoalescer coalescer;
    flack::server::net::PassWriteFlusher flusher;
    Harness harness;
    std::unique_ptr<Pair> pair;
};
} // namespace

class TestWriteCoalescer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aQuietConnectionWritesAtOnceAndTheNextFramesAreHeld()
    {
        WriteCoalescer coalescer(200);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        sendEncoded(transport, u"one"_s);
        QCOMPARE(transport.heldBytes(), 0); // quiet until now: written
        sendEncoded(transport, u"two"_s);
        sendEncoded(transport, u"three"_s);
        QCOMPARE(transport.heldBytes(), 2 + 3 + 2 + 5); // two frames: headers and payloads
        QVERIFY(transport.queuedBytes() >= transport.heldBytes());
        // The first arrives; the held two follow once the window has passed, in order.
        QTRY_COMPARE_WITH_TIMEOUT(pair->received, QStringList({u"one"_s, u"two"_s, u"three"_s}),
                                  kDeadlineMs);
        QCOMPARE(transport.heldBytes(), 0);
    }

    void otherSendsAndTheCloseGoAfterWhatIsHeld()
    {
        WriteCoalescer coalescer(60000); // a window no test waits for
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        QVERIFY(writeOneHoldOne(transport));
        transport.sendText(u"through the websocket layer"_s); // hands "held" over first
        QCOMPARE(transport.heldBytes(), 0);
        sendEncoded(transport, u"held again"_s);
        QVERIFY(transport.heldBytes() > 0);
        QSignalSpy closed(pair->client.get(), &QWebSocket::disconnected);
        transport.close(4000, u"bye"_s);
        QVERIFY(closed.wait(kDeadlineMs) || !closed.isEmpty());
        QCOMPARE(pair->received, QStringList({u"written"_s, u"held"_s,
                                              u"through the websocket layer"_s, u"held again"_s}));
        QCOMPARE(int(pair->client->closeCode()), 4000);
    }

    // A chat_state, given as UTF-8, goes at once and after what was held.
    void aFrameGivenAsUtf8GoesAtOnceAfterWhatIsHeld()
    {
        WriteCoalescer coalescer(60000); // a window no test waits for
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        QVERIFY(writeOneHoldOne(transport));
        const QString state = u"chat_state: Ann, Zoë, 李"_s + QString(70'000, u'x'); // a 64-bit length
        transport.sendUtf8(state.toUtf8());
        QCOMPARE(transport.heldBytes(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received.size(), 3, kDeadlineMs);
        QCOMPARE(pair->received, QStringList({u"written"_s, u"held"_s, state}));
    }

    // Like a text through the websocket layer, a chat_state doesn't count as a room's write:
    // the joiner's own joined right behind it goes at once.
    void theFrameAfterAChatStateIsNotHeld()
    {
        WriteCoalescer coalescer(60000);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        pair->transport->sendUtf8("chat_state");
        QVERIFY(pair->transport->sendEncoded(u"joined"_s, "joined", DeliveryPace::Presence));
        QCOMPARE(pair->transport->heldBytes(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received, QStringList({u"chat_state"_s, u"joined"_s}),
                                  kDeadlineMs);
    }

    // joined/left wait in the longer window; a message held behind them goes in the short one.
    void presenceWaitsLongerThanMessages()
    {
        WriteCoalescer prompt(0); // messages are never held here
        WriteCoalescer presence(60000);
        Harness harness(&prompt, &presence);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        sendEncoded(transport, u"message"_s);
        sendEncoded(transport, u"joined"_s, DeliveryPace::Presence);
        QVERIFY(transport.heldBytes() > 0); // written to just now: presence waits
        // Nothing ends the presence window in this test; a message does, and goes after it.
        sendEncoded(transport, u"next message"_s);
        QCOMPARE(transport.heldBytes(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received,
                                  QStringList({u"message"_s, u"joined"_s, u"next message"_s}),
                                  kDeadlineMs);
    }

    // A room's batch of held joined/left goes in one piece at once on a quiet connection, from
    // the member's own place in it.
    void aRoomsBatchGoesAtOnceOnAQuietConnection()
    {
        WriteCoalescer coalescer(60000);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        flack::server::rooms::PresenceBatch batch;
        for (const QString &text : {u"before my join"_s, u"joined Zoë"_s, u"left 李"_s})
            batch.append(text.toUtf8(), text);
        QVERIFY(pair->transport->sendBatch(batch, 1));
        QCOMPARE(pair->transport->heldBytes(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received, QStringList({u"joined Zoë"_s, u"left 李"_s}),
                                  kDeadlineMs);
    }

    // Behind frames the connection holds, a batch waits with them: the order sent is kept.
    void aRoomsBatchWaitsBehindWhatIsHeld()
    {
        WriteCoalescer coalescer(60000);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        QVERIFY(writeOneHoldOne(transport));
        flack::server::rooms::PresenceBatch batch;
        for (const QString &text : {u"b1"_s, u"b2"_s})
            batch.append(text.toUtf8(), text);
        QVERIFY(!transport.sendBatch(batch, 0)); // held
        QCOMPARE(transport.heldBytes(), 2 + 4 + 2 * (2 + 2));
        transport.sendText(u"after"_s); // hands all of it over first
        QTRY_COMPARE_WITH_TIMEOUT(
            pair->received, QStringList({u"written"_s, u"held"_s, u"b1"_s, u"b2"_s, u"after"_s}),
            kDeadlineMs);
    }

    // A room filling fast sends more joined than a reader may have queued within one window:
    // what is held goes to the socket once it reaches kMaxHeldBytes, not at the window's end.
    void heldFramesGoOnceTheyReachTheBound()
    {
        WriteCoalescer presence(60000); // a window no test waits for
        Harness harness(&presence, &presence);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        sendEncoded(transport, u"first"_s, DeliveryPace::Presence);
        const QString joined(1000, u'j');
        QStringList expected{u"first"_s};
        qint64 held = 0;
        // Each frame is 1,000 bytes and a 4-byte header: the bound is passed at the 17th.
        while (held + 1004 < WebSocketTransport::kMaxHeldBytes) {
            sendEncoded(transport, joined, DeliveryPace::Presence);
            expected.append(joined);
            held += 1004;
            QCOMPARE(transport.heldBytes(), held);
        }
        sendEncoded(transport, joined, DeliveryPace::Presence);
        expected.append(joined);
        QCOMPARE(transport.heldBytes(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received.size(), expected.size(), kDeadlineMs);
        QCOMPARE(pair->received, expected);
    }

    void aMessageBehindPresenceGoesInTheShortWindow()
    {
        WriteCoalescer prompt(20);
        WriteCoalescer presence(60000);
        Harness harness(&prompt, &presence);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        WebSocketTransport &transport = *pair->transport;
        sendEncoded(transport, u"first"_s);
        sendEncoded(transport, u"joined"_s, DeliveryPace::Presence);
        sendEncoded(transport, u"message"_s);
        QVERIFY(transport.heldBytes() > 0);
        // Well before the presence window could end: the message's window took both.
        QTRY_COMPARE_WITH_TIMEOUT(pair->received,
                                  QStringList({u"first"_s, u"joined"_s, u"message"_s}),
                                  kDeadlineMs);
    }

    void aWindowOfZeroHoldsNothing()
    {
        WriteCoalescer coalescer(0);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        for (int i = 0; i < 10; ++i) {
            sendEncoded(*pair->transport, QString::number(i));
            QCOMPARE(pair->transport->heldBytes(), 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(pair->received.size(), 10, kDeadlineMs);
    }

    // With a flusher, what a pass wrote is in the kernel when the loop is about to wait: the
    // frame written at once, the held ones once handed over, and a text through QWebSocket.
    void aFlusherTakesEveryWriteToTheKernelBeforeTheLoopWaits()
    {
        FlushedPair flushed(60000); // the window never ends on its own within the test
        QVERIFY(flushed.pair);
        auto &pair = flushed.pair;
        WebSocketTransport &transport = *pair->transport;
        QTcpSocket *tcp = flushed.harness.lastTcpSocket();
        QVERIFY(writeOneHoldOne(transport));
        QVERIFY(tcp->bytesToWrite() > 0);
        Q_EMIT QAbstractEventDispatcher::instance()->aboutToBlock();
        QCOMPARE(tcp->bytesToWrite(), 0);
        transport.sendText(u"text"_s); // hands "held" over first, then the text
        QVERIFY(tcp->bytesToWrite() > 0);
        Q_EMIT QAbstractEventDispatcher::instance()->aboutToBlock();
        QCOMPARE(tcp->bytesToWrite(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received.size(), 3, kDeadlineMs);
        QCOMPARE(pair->received, (QStringList{u"written"_s, u"held"_s, u"text"_s}));
    }

    // A connection quiet long enough for the sweep to release its write chunk writes its next
    // frame straight to the kernel (no new chunk for it); the frames after that, with the
    // connection busy again, wait in Qt's buffer for the end of the pass as before.
    void anIdleConnectionsFirstFrameGoesStraightToTheKernel()
    {
        if (!flack::server::net::socketBuffersTunable())
            QSKIP("built without Qt's private headers: no write chunk is ever released");
        FlushedPair flushed(0);
        QVERIFY(flushed.pair);
        auto &pair = flushed.pair;
        WebSocketTransport &transport = *pair->transport;
        QTcpSocket *tcp = flushed.harness.lastTcpSocket();
        QTRY_COMPARE_WITH_TIMEOUT(tcp->bytesToWrite(), 0, kDeadlineMs); // the handshake's answer
        QVERIFY(!transport.releaseIdleWriteBuffer()); // the handshake counts as a write
        QVERIFY(transport.releaseIdleWriteBuffer());  // a whole sweep without one: released
        sendEncoded(transport, u"after a quiet spell"_s);
        QCOMPARE(tcp->bytesToWrite(), 0); // in the kernel already, no pass needed
        sendEncoded(transport, u"busy again"_s);
        QVERIFY(tcp->bytesToWrite() > 0); // in Qt's buffer, for the pass's flush
        Q_EMIT QAbstractEventDispatcher::instance()->aboutToBlock();
        QCOMPARE(tcp->bytesToWrite(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(pair->received.size(), 2, kDeadlineMs);
        QCOMPARE(pair->received, (QStringList{u"after a quiet spell"_s, u"busy again"_s}));
    }

    void aTransportDeletedWhileHoldingIsForgotten()
    {
        WriteCoalescer coalescer(50);
        Harness harness(&coalescer);
        auto gone = harness.connectPair();
        auto staying = harness.connectPair();
        QVERIFY(gone && staying);
        for (auto *pair : {gone.get(), staying.get()}) {
            sendEncoded(*pair->transport, u"a"_s);
            sendEncoded(*pair->transport, u"b"_s);
            QVERIFY(pair->transport->heldBytes() > 0);
        }
        gone->transport.reset(); // its listing must go with it (ASan would see a call on it)
        QTRY_COMPARE_WITH_TIMEOUT(staying->received, QStringList({u"a"_s, u"b"_s}), kDeadlineMs);
    }

    void everyListingIsCalledOnceWithinAWindow()
    {
        WriteCoalescer coalescer(20);
        CountingClient first, second;
        QVERIFY(!coalescer.shouldHold(coalescer.nowMs() - 20));
        QVERIFY(coalescer.shouldHold(coalescer.nowMs()));
        coalescer.add(&first);
        coalescer.add(&second);
        coalescer.add(&first); // listed twice: called twice
        QTRY_COMPARE_WITH_TIMEOUT(first.calls, 2, kDeadlineMs);
        QCOMPARE(second.calls, 1);
        // Nothing listed: no more calls, however long we wait for the next listing's.
        coalescer.add(&second);
        QTRY_COMPARE_WITH_TIMEOUT(second.calls, 2, kDeadlineMs);
        QCOMPARE(first.calls, 2);
    }

    void aClientRemovedDuringAFlushIsNotCalled()
    {
        WriteCoalescer coalescer(10);
        CountingClient remover, removed, last;
        remover.onFlush = [&] { coalescer.remove(&removed); };
        coalescer.add(&remover);
        coalescer.add(&removed);
        coalescer.add(&last);
        QTRY_COMPARE_WITH_TIMEOUT(last.calls, 1, kDeadlineMs);
        QCOMPARE(remover.calls, 1);
        QCOMPARE(removed.calls, 0);
    }

    // Three listings count as busy here: each busy flush doubles the window up to the most,
    // a quiet one brings back the base window. The window decides who holds (shouldHold).
    void aBusyStretchingCoalescerWaitsLongerEachTimeUpToItsMost()
    {
        WriteCoalescer coalescer(5, WriteCoalescer::Stretch{20, 3});
        CountingClient a, b, c;
        const auto flushBusy = [&] {
            const int before = c.calls;
            for (CountingClient *client : {&a, &b, &c})
                coalescer.add(client);
            QTRY_COMPARE_WITH_TIMEOUT(c.calls, before + 1, kDeadlineMs);
        };
        QCOMPARE(coalescer.windowMs(), 5);
        flushBusy();
        QCOMPARE(coalescer.windowMs(), 10);
        QVERIFY(coalescer.shouldHold(coalescer.nowMs() - 7));
        flushBusy();
        QCOMPARE(coalescer.windowMs(), 20);
        flushBusy();
        QCOMPARE(coalescer.windowMs(), 20); // no further than the most
        QCOMPARE(a.calls, 3);
        QCOMPARE(b.calls, 3);
        coalescer.add(&a); // one listing: quiet
        QTRY_COMPARE_WITH_TIMEOUT(a.calls, 4, kDeadlineMs);
        QCOMPARE(coalescer.windowMs(), 5);
        QVERIFY(!coalescer.shouldHold(coalescer.nowMs() - 7));
    }

    // A room's replica holds frames for all its members in one listing: the storm rule counts
    // the connections a listing holds, not the listings.
    void aListingForManyConnectionsCountsAsThatMany()
    {
        WriteCoalescer coalescer(5, WriteCoalescer::Stretch{20, 3});
        CountingClient room, member;
        coalescer.add(&room, 2);
        QTRY_COMPARE_WITH_TIMEOUT(room.calls, 1, kDeadlineMs);
        QCOMPARE(coalescer.windowMs(), 5); // 2 of 3: quiet
        coalescer.add(&room, 2);
        coalescer.add(&member);
        QTRY_COMPARE_WITH_TIMEOUT(member.calls, 1, kDeadlineMs);
        QCOMPARE(room.calls, 2);
        QCOMPARE(coalescer.windowMs(), 10); // 3 of 3: a storm
    }

    void aCoalescerWithoutStretchKeepsItsWindow()
    {
        WriteCoalescer coalescer(5);
        CountingClient clients[300];
        for (CountingClient &client : clients)
            coalescer.add(&client);
        QTRY_COMPARE_WITH_TIMEOUT(clients[299].calls, 1, kDeadlineMs);
        QCOMPARE(coalescer.windowMs(), 5);
    }

    // The session looks at the reader's queue when held frames reach the socket, not when
    // they are held: here one held frame is over the hard limit, and the reader goes once it
    // is handed over.
    void aHeldFrameCountsAgainstTheQueueOnceHandedOver()
    {
        using flack::server::sessions::ClientSession;
        flack::server::rooms::RoomDirectory directory;
        WriteCoalescer coalescer(20);
        Harness harness(&coalescer);
        auto pair = harness.connectPair();
        QVERIFY(pair);
        flack::server::sessions::SessionLimits limits;
        limits.maxQueuedBytes = 16; // the hard limit is twice that
        auto *session = new ClientSession(pair->transport.get(), &directory, limits);
        pair->transport->attach(session); // the transport owns it
        QVERIFY(pair->transport->sendEncoded(u"a"_s, "a", DeliveryPace::Prompt)); // 3 bytes, written
        const QString big(100, u'x');
        QVERIFY(!pair->transport->sendEncoded(big, big.toUtf8(), DeliveryPace::Prompt)); // held
        QCOMPARE(session->state(), ClientSession::State::AwaitingHello);
        QTRY_VERIFY_WITH_TIMEOUT(session->state() == ClientSession::State::Closing ||
                                     session->state() == ClientSession::State::Closed,
                                 kDeadlineMs);
    }

    // A most below the base window (a misread setting) never shortens the window.
    void aStretchLimitBelowTheBaseKeepsTheBase()
    {
        WriteCoalescer coalescer(8, WriteCoalescer::Stretch{2, 1});
        CountingClient client;
        coalescer.add(&client);
        QTRY_COMPARE_WITH_TIMEOUT(client.calls, 1, kDeadlineMs);
        QCOMPARE(coalescer.windowMs(), 8);
    }

    void windowZeroNeverHolds()
    {
        WriteCoalescer coalescer(0);
        QVERIFY(!coalescer.shouldHold(coalescer.nowMs()));
    }
};

QTEST_GUILESS_MAIN(TestWriteCoalescer)
#include "tst_writecoalescer.moc"
