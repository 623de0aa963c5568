// ServerMetrics: its counters by themselves, and moved by the real code paths that feed them —
// a ClientSession (connections, messages in, bytes, protocol errors by code) and the
// RoomDirectory's replicas (deliveries, messages out, chat gauges), over a recording transport
// and fake members, as in tst_clientsession.

#include "server/admin/servermetrics.h"
#include "server/rooms/chatroom.h"
#include "server/rooms/roomdirectory.h"
#include "server/sessions/clientsession.h"
#include "server/sessions/sessiontransport.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/fakemember.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;
using flack::server::admin::MetricsSnapshot;
using flack::server::admin::ServerMetrics;
using flack::server::rooms::RoomDirectory;
using flack::server::sessions::ClientSession;
using flack::server::sessions::SessionLimits;
using flack::server::sessions::SessionTransport;
using flack::test::FakeMember;
namespace protocol = flack::protocol;

namespace {

// Keeps every frame as sent, to add up its bytes.
class RecordingTransport : public SessionTransport
{
public:
    void sendText(const QString &frame) override { frames.append(frame); }
    qint64 queuedBytes() const override { return 0; }
    void setReadingPaused(bool) override {}
    void close(quint16, const QString &) override {}
    void abort() override {}
    QString remoteAddress() const override { return QStringLiteral("127.0.0.1:1"); }
    QStringList frames;
};

QString text(const QByteArray &utf8)
{
    return QString::fromUtf8(utf8);
}

quint64 utf8Bytes(const QStringList &frames)
{
    quint64 bytes = 0;
    for (const QString &frame : frames)
        bytes += quint64(frame.toUtf8().size());
    return bytes;
}

// Frames that came through a chat's replica (not the session's own replies).
qsizetype roomFrames(const QStringList &frames)
{
    static const QStringList roomRecords{u"chat_state"_s, u"joined"_s, u"chat_message"_s,
                                         u"left"_s};
    qsizetype count = 0;
    for (const QString &frame : frames) {
        const QString record = QJsonDocument::fromJson(frame.toUtf8())
                                   .object()
                                   .value(QLatin1StringView("record"))
                                   .toString();
        count += roomRecords.contains(record) ? 1 : 0;
    }
    return count;
}

// A directory wired to metrics, as ServerApplication wires them, and one session on it.
struct Fixture
{
    Fixture()
    {
        directory.setMetrics(&metrics);
        session = std::make_unique<ClientSession>(&transport, &directory, SessionLimits{});
    }
    void send(const QByteArray &utf8)
    {
        received += quint64(utf8.size());
        session->handleTextMessage(text(utf8));
    }
    void login()
    {
        send(protocol::encodeClientHello(u"1.0"));
        send(protocol::encodeAuthenticate(u"Ann"));
    }
    ServerMetrics metrics;
    RoomDirectory directory;
    RecordingTransport transport;
    std::unique_ptr<ClientSession> session;
    quint64 received = 0; // bytes the client sent
};

} // namespace

class TestServerMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAtZero()
    {
        const MetricsSnapshot s = ServerMetrics().snapshot();
        QCOMPARE(s.connectionsOpen, 0);
        QCOMPARE(s.connectionsAccepted, 0u);
        QCOMPARE(s.messagesIn + s.messagesOut + s.deliveries + s.bytesIn + s.bytesOut + s.kicks,
                 0u);
        QCOMPARE(s.chatReplicas + s.chatsOwned, 0);
        QVERIFY(s.protocolErrors.empty());
    }

    void countersByThemselves()
    {
        ServerMetrics metrics;
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();
        metrics.messageReceived();
        metrics.eventDelivered(5, 100, true);
        metrics.eventDelivered(3, 10, false);
        metrics.eventDelivered(0, 1000, true); // a replica whose members all left meanwhile
        metrics.frameSent(7);
        metrics.frameReceived(9);
        metrics.kicked();
        metrics.protocolErrorSent(protocol::ErrorCode::Malformed);
        metrics.protocolErrorSent(protocol::ErrorCode::Malformed);
        metrics.protocolErrorSent(protocol::ErrorCode::TooManyRooms);
        metrics.setChatReplicas(4);
        metrics.setChatsOwned(2);
        const MetricsSnapshot s = metrics.snapshot();
        QCOMPARE(s.connectionsOpen, 1);
        QCOMPARE(s.connectionsAccepted, 2u);
        QCOMPARE(s.messagesIn, 1u);
        QCOMPARE(s.deliveries, 8u);
        QCOMPARE(s.messagesOut, 5u);
        QCOMPARE(s.bytesOut, 5u * 100 + 3u * 10 + 7);
        QCOMPARE(s.bytesIn, 9u);
        QCOMPARE(s.kicks, 1u);
        QCOMPARE(s.chatReplicas, 4);
        QCOMPARE(s.chatsOwned, 2);
        const std::map<QString, quint64> errors{{u"CHAT_LIMIT-004"_s, 1},
                                                {u"CHAT_PROTOCOL-001"_s, 2}};
        QCOMPARE(s.protocolErrors, errors);
    }

    void sessionCountsItsConnection()
    {
        Fixture f;
        QCOMPARE(f.metrics.snapshot().connectionsOpen, 1);
        QCOMPARE(f.metrics.snapshot().connectionsAccepted, 1u);
        ClientSession second(&f.transport, &f.directory, SessionLimits{});
        QCOMPARE(f.metrics.snapshot().connectionsOpen, 2);
        f.session.reset();
        QCOMPARE(f.metrics.snapshot().connectionsOpen, 1);
        QCOMPARE(f.metrics.snapshot().connectionsAccepted, 2u);
    }

    void chatTrafficMovesTheCounters()
    {
        Fixture f;
        f.login();
        f.send(protocol::encodeJoinChat(u"lobby"));
        QCOMPARE(f.metrics.snapshot().chatReplicas, 1);
        QCOMPARE(f.metrics.snapshot().chatsOwned, 1);
        FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"lobby"_s)->join(&bo);
        // Ann: chat_state + joined; Bo: chat_state + his joined, which Ann gets too.
        QCOMPARE(f.metrics.snapshot().deliveries, 5u);
        QCOMPARE(f.metrics.snapshot().messagesOut, 0u);

        f.send(protocol::encodeClientChatMessage(u"lobby", u"héllo"));
        f.send(protocol::encodeClientChatMessage(u"lobby", u"again"));
        MetricsSnapshot s = f.metrics.snapshot();
        QCOMPARE(s.messagesIn, 2u);
        QCOMPARE(s.messagesOut, 4u); // two messages, two members each
        QCOMPARE(s.deliveries, 9u);
        // A member's own post through the room is a delivery, not a message in.
        f.directory.open(u"lobby"_s)->post(&bo, u"text/plain"_s, u"from Bo"_s);
        s = f.metrics.snapshot();
        QCOMPARE(s.messagesIn, 2u);
        QCOMPARE(s.messagesOut, 6u);

        // leave_chat: both get the left, the leaver included.
        f.send(protocol::encodeLeaveChat(u"lobby"));
        s = f.metrics.snapshot();
        QCOMPARE(s.deliveries, 13u);
        QCOMPARE(s.deliveries, quint64(bo.frames.size() + roomFrames(f.transport.frames)));
        // Every frame's UTF-8 bytes, replies and room frames alike, each side.
        QCOMPARE(s.bytesOut, utf8Bytes(f.transport.frames) + utf8Bytes(bo.frames));
        QCOMPARE(s.bytesIn, f.received);
        QVERIFY(s.protocolErrors.empty());

        f.directory.open(u"lobby"_s)->drop(&bo);
        QCOMPARE(f.metrics.snapshot().chatReplicas, 0);
        QCOMPARE(f.metrics.snapshot().chatsOwned, 0);
    }

    void protocolErrorsAreCountedByCode()
    {
        Fixture f;
        f.send(protocol::encodePing()); // before hello: CHAT-001
        Fixture g;
        g.login();
        g.send(protocol::encodeJoinChat(u"a"));
        FakeMember bo(u"Bo"_s, u"b"_s, &g.directory.connections());
        g.directory.open(u"a"_s)->join(&bo);
        const quint64 deliveries = g.metrics.snapshot().deliveries;
        g.send("not json"); // CHAT_PROTOCOL-001, then the session leaves: Bo gets a left
        g.session->handleBinaryMessage(); // closing already: no second error
        MetricsSnapshot s = g.metrics.snapshot();
        QCOMPARE(s.protocolErrors, (std::map<QString, quint64>{{u"CHAT_PROTOCOL-001"_s, 1}}));
        QCOMPARE(s.deliveries, deliveries + 1);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        QCOMPARE(s.bytesOut, utf8Bytes(g.transport.frames) + utf8Bytes(bo.frames));
        QCOMPARE(f.metrics.snapshot().protocolErrors,
                 (std::map<QString, quint64>{{u"CHAT-001"_s, 1}}));
        g.directory.open(u"a"_s)->drop(&bo);

        // A refused join is an error sent like any other, with the owner's code.
        Fixture h;
        h.login();
        h.send(protocol::encodeJoinChat(u"x"));
        h.session->joinRefused(u"x"_s, protocol::ErrorCode::TooManyRooms, u"full"_s);
        QCOMPARE(h.metrics.snapshot().protocolErrors,
                 (std::map<QString, quint64>{{u"CHAT_LIMIT-004"_s, 1}}));
    }

    void withoutMetricsNothingIsCounted()
    {
        // Tests and tools that build a directory alone need not wire metrics.
        RoomDirectory directory;
        RecordingTransport transport;
        ClientSession session(&transport, &directory, SessionLimits{});
        session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
        session.handleTextMessage(text(protocol::encodeAuthenticate(u"Ann")));
        session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        session.handleTextMessage(text(protocol::encodeClientChatMessage(u"lobby", u"hi")));
        session.handleTextMessage(u"garbage"_s);
        QCOMPARE(directory.metrics(), nullptr);
        QCOMPARE(transport.frames.size(), 6);
    }

    // A worker thread's counters, written on that thread, are summed into the node's snapshot;
    // its chat gauges are not (the node's directory sets the node's).
    void partsAreSummedIntoTheNodesSnapshot()
    {
        ServerMetrics node;
        ServerMetrics worker;
        node.addPart(&worker);
        node.connectionOpened();
        node.eventDelivered(2, 10, true);
        node.setChatReplicas(3);
        worker.setChatReplicas(50);
        worker.protocolErrorSent(protocol::ErrorCode::Malformed);
        constexpr int kUpdates = 100000;
        std::unique_ptr<QThread> thread(QThread::create([&worker] {
            for (int i = 0; i < kUpdates; ++i) {
                worker.connectionOpened();
                worker.eventDelivered(3, 7, false);
            }
            worker.connectionClosed();
        }));
        thread->start();
        // Read while the worker writes: the counters only ever grow.
        quint64 seen = 0;
        while (!thread->isFinished()) {
            const quint64 deliveries = node.snapshot().deliveries;
            QVERIFY(deliveries >= seen);
            seen = deliveries;
        }
        QVERIFY(thread->wait(10000));
        const MetricsSnapshot values = node.snapshot();
        QCOMPARE(values.connectionsOpen, qint64(1 + kUpdates - 1));
        QCOMPARE(values.connectionsAccepted, quint64(1 + kUpdates));
        QCOMPARE(values.deliveries, quint64(2 + 3 * kUpdates));
        QCOMPARE(values.bytesOut, quint64(2 * 10 + 3 * 7 * kUpdates));
        QCOMPARE(values.messagesOut, quint64(2));
        QCOMPARE(values.chatReplicas, qint64(3));
        QCOMPARE(values.protocolErrors.at(u"CHAT_PROTOCOL-001"_s), quint64(1));
        // The part by itself is unchanged by being summed.
        QCOMPARE(worker.snapshot().connectionsAccepted, quint64(kUpdates));
        // A part removed (its worker going) is summed no more.
        node.removePart(&worker);
        QCOMPARE(node.snapshot().connectionsAccepted, quint64(1));
    }
};

QTEST_GUILESS_MAIN(TestServerMetrics)
#include "tst_servermetrics.moc"
