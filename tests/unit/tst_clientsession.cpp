// ClientSession: the protocol state machine over a fake transport, each error code, limits,
// and what other members see when a session ends.

#include "server/rooms/roomdirectory.h"
#include "server/sessions/clientsession.h"
#include "server/sessions/sessiontransport.h"
#include "server/sessions/useridsigner.h"
#include "shared/clientrecordencoder.h"
#include "shared/userid.h"
#include "tests/support/fakemember.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::rooms::RoomDirectory;
using flack::server::sessions::ClientSession;
using flack::server::sessions::SessionLimits;
using flack::server::sessions::SessionTransport;
namespace protocol = flack::protocol;

namespace {

class FakeTransport : public SessionTransport
{
public:
    void sendText(const QString &frame) override
    {
        sent.append(QJsonDocument::fromJson(frame.toUtf8()).object());
        queued += frame.size();
    }
    qint64 queuedBytes() const override { return queued; }
    void setReadingPaused(bool paused) override { readingPaused = paused; }
    void close(quint16 code, const QString &) override { closeCode = code; }
    void abort() override { aborted = true; }
    QString remoteAddress() const override { return QStringLiteral("127.0.0.1:4242"); }

    QString lastRecord() const
    {
        return sent.isEmpty() ? QString()
                              : sent.last().value(QLatin1StringView("record")).toString();
    }
    QList<QJsonObject> sent;
    qint64 queued = 0;
    int closeCode = -1;
    bool aborted = false;
    bool readingPaused = false;
};

QString text(const QByteArray &utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

class TestClientSession : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        explicit Fixture(SessionLimits limits = {}) : session(&transport, &directory, limits) {}
        void login(const QString &name = u"Ann"_s, const QString &id = {})
        {
            session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
            session.handleTextMessage(text(protocol::encodeAuthenticate(name, id)));
        }
        RoomDirectory directory;
        FakeTransport transport;
        ClientSession session;
    };

    // A reader with a 1000-byte queue limit and a 50 ms grace period in "lobby", where Bo has
    // posted until more than `queued` bytes wait for it (the fake transport never drains).
    struct BacklogFixture
    {
        static SessionLimits limits()
        {
            SessionLimits limits;
            limits.maxQueuedBytes = 1000;
            limits.slowReaderGraceMs = 50;
            return limits;
        }
        explicit BacklogFixture(qint64 queued)
            : f(limits()), bo(u"Bo"_s, u"b"_s, &f.directory.connections())
        {
            f.login();
            f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
            f.directory.open(u"lobby"_s)->join(&bo);
            while (f.transport.queued <= queued)
                f.directory.open(u"lobby"_s)->post(&bo, u"text/plain"_s, QString(100, u'x'));
        }
        Fixture f;
        flack::test::FakeMember bo;
    };

private Q_SLOTS:
    void handshakeAndAuthentication()
    {
        Fixture f;
        QCOMPARE(f.session.state(), ClientSession::State::AwaitingHello);
        f.session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
        QCOMPARE(f.transport.lastRecord(), u"server_hello"_s);
        QCOMPARE(f.session.state(), ClientSession::State::AwaitingAuthentication);
        f.session.handleTextMessage(text(protocol::encodeAuthenticate(u"Ann")));
        QCOMPARE(f.transport.lastRecord(), u"authenticated"_s);
        const QString id = f.transport.sent.last().value(QLatin1StringView("user_id")).toString();
        QVERIFY(protocol::isGeneratedUserIdShape(id));
        QCOMPARE(f.session.userId(), id);
        QCOMPARE(f.session.userName(), u"Ann"_s);
        QCOMPARE(f.session.state(), ClientSession::State::Ready);
        QCOMPARE(f.transport.closeCode, -1);
    }

    void suppliedUserIdIsKept()
    {
        Fixture f;
        f.login(u"Ann"_s, u"my-old-id"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("user_id")).toString(),
                 u"my-old-id"_s);
    }

    void pingIsAnswered()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodePing()));
        QCOMPARE(f.transport.lastRecord(), u"ping_reply"_s);
        QCOMPARE(f.transport.sent.last().size(), 1);
    }

    void errors_data()
    {
        QTest::addColumn<int>("stage"); // 0: fresh, 1: after hello, 2: authenticated
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("code");

        QTest::newRow("first not hello") << 0 << protocol::encodePing() << u"CHAT-001"_s;
        QTest::newRow("first not json") << 0 << QByteArray("hello?") << u"CHAT-001"_s;
        QTest::newRow("hello without version")
            << 0 << QByteArray(R"({"record":"client_hello"})") << u"CHAT-001"_s;
        QTest::newRow("wrong version") << 0 << protocol::encodeClientHello(u"2.0") << u"CHAT-002"_s;
        QTest::newRow("malformed after hello") << 1 << QByteArray("[1]") << u"CHAT_PROTOCOL-001"_s;
        QTest::newRow("join before auth")
            << 1 << protocol::encodeJoinChat(u"x") << u"CHAT_PROTOCOL-002"_s;
        QTest::newRow("ping before auth") << 1 << protocol::encodePing() << u"CHAT_PROTOCOL-002"_s;
        QTest::newRow("auth twice")
            << 2 << protocol::encodeAuthenticate(u"Bo") << u"CHAT_PROTOCOL-003"_s;
        QTest::newRow("auth empty name")
            << 1 << QByteArray(R"({"record":"authenticate","user_name":""})")
            << u"CHAT_PROTOCOL-004"_s;
        QTest::newRow("join without name")
            << 2 << QByteArray(R"({"record":"join_chat"})") << u"CHAT_PROTOCOL-005"_s;
        QTest::newRow("message to unjoined chat")
            << 2 << protocol::encodeClientChatMessage(u"nowhere", u"hi") << u"CHAT_PROTOCOL-007"_s;
        QTest::newRow("leave unjoined chat")
            << 2 << protocol::encodeLeaveChat(u"nowhere") << u"CHAT_PROTOCOL-008"_s;
        QTest::newRow("unknown record")
            << 2 << QByteArray(R"({"record":"dance"})") << u"CHAT_PROTOCOL-001"_s;
        QTest::newRow("hello again")
            << 2 << protocol::encodeClientHello(u"1.0") << u"CHAT_PROTOCOL-001"_s;
    }

    void errors()
    {
        QFETCH(int, stage);
        QFETCH(QByteArray, message);
        QFETCH(QString, code);
        Fixture f;
        if (stage >= 1)
            f.session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
        if (stage >= 2)
            f.session.handleTextMessage(text(protocol::encodeAuthenticate(u"Ann")));
        f.session.handleTextMessage(QString::fromUtf8(message));
        QCOMPARE(f.transport.lastRecord(), u"protocol_error"_s);
        const QJsonObject error = f.transport.sent.last();
        QCOMPARE(error.value(QLatin1StringView("code")).toString(), code);
        QVERIFY(!error.value(QLatin1StringView("reason")).toString().isEmpty());
        QCOMPARE(error.keys(), QStringList({u"code"_s, u"reason"_s, u"record"_s}));
        QCOMPARE(f.session.state(), ClientSession::State::Closing);
        QCOMPARE(f.transport.closeCode, 1008);
        // Nothing more is answered once the error was sent.
        const qsizetype sent = f.transport.sent.size();
        f.session.handleTextMessage(text(protocol::encodePing()));
        QCOMPARE(f.transport.sent.size(), sent);
    }

    void unsupportedVersionReasonNamesIt()
    {
        Fixture f;
        f.session.handleTextMessage(text(protocol::encodeClientHello(u"7.3")));
        QVERIFY(f.transport.sent.last()
                    .value(QLatin1StringView("reason"))
                    .toString()
                    .contains(u"7.3"_s));
    }

    void binaryFrameIsChat003()
    {
        Fixture f;
        f.login();
        f.session.handleBinaryMessage();
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT-003"_s);
    }

    void joinTwiceIsChatProtocol006()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_PROTOCOL-006"_s);
    }

    void joinChatMessageLeave()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        QCOMPARE(f.transport.sent[2].value(QLatin1StringView("record")).toString(),
                 u"chat_state"_s);
        QCOMPARE(f.transport.lastRecord(), u"joined"_s);
        QCOMPARE(f.session.chatCount(), 1);
        f.session.handleTextMessage(text(protocol::encodeClientChatMessage(u"lobby", u"hi")));
        QCOMPARE(f.transport.lastRecord(), u"chat_message"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("message")).toString(), u"hi"_s);
        f.session.handleTextMessage(text(protocol::encodeLeaveChat(u"lobby")));
        QCOMPARE(f.transport.lastRecord(), u"left"_s);
        QCOMPARE(f.session.chatCount(), 0);
    }

    void goodbyeRepliesClosesAndOthersSeeLeft()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"lobby"_s)->join(&bo);
        f.session.handleTextMessage(text(protocol::encodeClientGoodbye()));
        QCOMPARE(f.transport.lastRecord(), u"server_goodbye"_s);
        QCOMPARE(f.transport.closeCode, 1000);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        QCOMPARE(bo.records.last().value(QLatin1StringView("user_id")).toString(),
                 f.session.userId());
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    void disconnectLeavesChatsAndFinishes()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"a")));
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"b")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"b"_s)->join(&bo);
        QSignalSpy finished(&f.session, &ClientSession::finished);
        f.session.handleDisconnected();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(f.session.state(), ClientSession::State::Closed);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        QCOMPARE(f.session.chatCount(), 0);
        f.directory.open(u"b"_s)->drop(&bo);
    }

    void errorLeavesChats()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"a")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"a"_s)->join(&bo);
        f.session.handleTextMessage(u"not json"_s);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        f.directory.open(u"a"_s)->drop(&bo);
    }

    void nameLimits_data()
    {
        QTest::addColumn<bool>("authenticateStage");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("user at limit") << true << QString(8, u'a') << true;
        QTest::newRow("user over limit") << true << QString(9, u'a') << false;
        // Four bytes in UTF-8 each: two fit in 8 bytes, three do not.
        QTest::newRow("user emoji at limit") << true << u"😀😀"_s << true;
        QTest::newRow("user emoji over limit") << true << u"😀😀😀"_s << false;
        QTest::newRow("chat at limit") << false << QString(8, u'c') << true;
        QTest::newRow("chat over limit") << false << u"ééééé"_s << false;
        // Measured as sent: a control character is 6 bytes of JSON, a quote 2.
        QTest::newRow("user control at limit") << true << u"\u0001ab"_s << true;
        QTest::newRow("user controls over limit") << true << u"\u0001\u0002"_s << false;
        QTest::newRow("chat quotes at limit") << false << u"\"\"\"\""_s << true;
        QTest::newRow("chat quotes over limit") << false << u"\"\"\"\"\""_s << false;
    }

    void nameLimits()
    {
        QFETCH(bool, authenticateStage);
        QFETCH(QString, name);
        QFETCH(bool, accepted);
        SessionLimits limits;
        limits.maxNameBytes = 8;
        Fixture f(limits);
        if (authenticateStage) {
            f.login(name);
            QCOMPARE(f.transport.lastRecord(), accepted ? u"authenticated"_s : u"protocol_error"_s);
        } else {
            f.login();
            f.session.handleTextMessage(text(protocol::encodeJoinChat(name)));
            QCOMPARE(f.transport.lastRecord(), accepted ? u"joined"_s : u"protocol_error"_s);
        }
        if (!accepted)
            QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                     u"CHAT_LIMIT-002"_s);
    }

    void chatsPerConnectionLimit()
    {
        SessionLimits limits;
        limits.maxChatsPerConnection = 3;
        Fixture f(limits);
        f.login();
        for (int i = 0; i < 3; ++i)
            f.session.handleTextMessage(text(protocol::encodeJoinChat(QString::number(i))));
        QCOMPARE(f.transport.lastRecord(), u"joined"_s);
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"one too many")));
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_LIMIT-003"_s);
    }

    void brokenRecordBeforeAuthenticationIs002()
    {
        Fixture f;
        f.session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
        f.session.handleTextMessage(u"{\"record\":\"join_chat\"}"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_PROTOCOL-002"_s);
    }

    void serverRoomCapIsChatLimit004()
    {
        Fixture f;
        RoomDirectory small(1);
        ClientSession session(&f.transport, &small, SessionLimits{});
        session.handleTextMessage(text(protocol::encodeClientHello(u"1.0")));
        session.handleTextMessage(text(protocol::encodeAuthenticate(u"Ann")));
        session.handleTextMessage(text(protocol::encodeJoinChat(u"first")));
        QCOMPARE(f.transport.lastRecord(), u"joined"_s);
        session.handleTextMessage(text(protocol::encodeJoinChat(u"second")));
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_LIMIT-004"_s);
    }

    // An owner elsewhere refusing the join after the fact: the same error as on one node, and
    // the session no longer counts the chat.
    void refusedJoinFailsWithTheOwnersCode()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        QCOMPARE(f.session.chatCount(), 1);
        f.session.joinRefused(u"elsewhere"_s, protocol::ErrorCode::TooManyRooms, u"full"_s);
        QCOMPARE(f.transport.closeCode, -1); // not a chat of ours: ignored
        f.session.joinRefused(u"lobby"_s, protocol::ErrorCode::TooManyRooms, u"full"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_LIMIT-004"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("reason")).toString(), u"full"_s);
        QCOMPARE(f.transport.closeCode, 1008);
        QCOMPARE(f.session.chatCount(), 0);
    }

    void connectionIdsAreUniqueAndRegistered()
    {
        Fixture f;
        ClientSession second(&f.transport, &f.directory, SessionLimits{});
        QVERIFY(f.session.connectionId() != second.connectionId());
        QCOMPARE(f.directory.connections().find(second.connectionId()), &second);
        QCOMPARE(f.directory.connections().count(), 2);
    }

    void kickSendsChatAdmin001WithTheReasonAndOthersSeeLeft()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        f.session.handleTextMessage(text(protocol::encodeClientChatMessage(u"lobby", u"hi")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"lobby"_s)->join(&bo);
        const auto details = f.session.details();
        QVERIFY(details.authenticated);
        QCOMPARE(details.remoteAddress, u"127.0.0.1:4242"_s);
        QCOMPARE(details.chats, QStringList({u"lobby"_s}));
        QCOMPARE(details.messagesSent, 1);
        QCOMPARE(details.connectedSince.size(), qsizetype(20)); // 2026-12-01T21:00:00Z
        f.session.kick(u"spamming"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_ADMIN-001"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("reason")).toString(),
                 u"spamming"_s);
        QCOMPARE(f.transport.closeCode, 1008);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        QCOMPARE(f.session.chatCount(), 0);
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    void abortLeavesChatsAndDropsTheConnection()
    {
        Fixture f;
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"a")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"a"_s)->join(&bo);
        f.session.abortConnection();
        QVERIFY(f.transport.aborted);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        f.directory.open(u"a"_s)->drop(&bo);
    }

    void slowReaderIsDropped()
    {
        SessionLimits limits;
        limits.maxQueuedBytes = 1000;
        Fixture f(limits);
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"lobby"_s)->join(&bo);
        // Bo keeps talking; our fake transport never drains its queue.
        for (int i = 0; i < 50 && !f.transport.aborted; ++i) {
            f.directory.open(u"lobby"_s)->post(&bo, u"text/plain"_s, QString(100, u'x'));
            QCoreApplication::processEvents();
        }
        QVERIFY(f.transport.aborted);
        QCOMPARE(f.session.state(), ClientSession::State::Closing);
        // Bo was told the dropped reader left.
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    void oversizedMessageIsChatLimit001()
    {
        SessionLimits limits;
        limits.maxMessageBytes = 300; // the whole record, ~60 bytes besides the text
        Fixture f(limits);
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"a")));
        f.session.handleTextMessage(text(protocol::encodeClientChatMessage(u"a", QString(150, u'x'))));
        QCOMPARE(f.transport.lastRecord(), u"chat_message"_s);
        f.session.handleTextMessage(text(protocol::encodeClientChatMessage(u"a", QString(300, u'x'))));
        QCOMPARE(f.transport.lastRecord(), u"protocol_error"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_LIMIT-001"_s);
        QCOMPARE(f.transport.closeCode, 1008);
    }

    // Over the queue limit is not slow yet: a reader that takes nothing over the grace
    // period is.
    void overTheQueueLimitAReaderGetsAGracePeriod()
    {
        BacklogFixture b(1200);
        Fixture &f = b.f;
        flack::test::FakeMember &bo = b.bo;
        QCoreApplication::processEvents();
        QVERIFY(!f.transport.aborted);
        QVERIFY(f.session.backlogUnderReview());
        // It takes nothing: dropped at the end of the grace period, and the room hears it.
        QTRY_VERIFY_WITH_TIMEOUT(f.transport.aborted, 10000);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    void aReaderThatDrainsItsBurstStays()
    {
        BacklogFixture b(1800);
        Fixture &f = b.f;
        flack::test::FakeMember &bo = b.bo;
        QVERIFY(f.session.backlogUnderReview());
        f.transport.queued = 300; // the socket wrote most of it
        QTRY_VERIFY_WITH_TIMEOUT(!f.session.backlogUnderReview(), 10000);
        QCoreApplication::processEvents();
        QVERIFY(!f.transport.aborted);
        QCOMPARE(f.session.state(), ClientSession::State::Ready);
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    // Whatever the session did not send itself counts too: pongs to pings, say.
    void whateverIsQueuedCountsBeforeAuthenticationToo()
    {
        SessionLimits limits;
        limits.maxQueuedBytes = 1000;
        Fixture f(limits);
        f.transport.queued = 2500; // the websocket layer queued pongs the client never reads
        f.session.handleInputProcessed();
        QTRY_VERIFY_WITH_TIMEOUT(f.transport.aborted, 10000);
    }

    // The joiner's chat_state arrives however big the chat is.
    void aChatStateLargerThanTheQueueLimitReachesItsJoiner()
    {
        SessionLimits limits;
        limits.maxQueuedBytes = 1000;
        Fixture f(limits);
        std::vector<std::unique_ptr<flack::test::FakeMember>> crowd;
        for (int i = 0; i < 40; ++i) {
            crowd.push_back(std::make_unique<flack::test::FakeMember>(
                QString(60, u'n') + QString::number(i), u"id"_s + QString::number(i),
                &f.directory.connections()));
            f.directory.open(u"big"_s)->join(crowd.back().get());
        }
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"big")));
        QCoreApplication::processEvents();
        QVERIFY2(f.transport.queued > 2 * limits.maxQueuedBytes, "the chat is not big enough");
        QVERIFY(!f.transport.aborted);
        const bool gotState = std::any_of(f.transport.sent.begin(), f.transport.sent.end(),
                                          [](const QJsonObject &record) {
                                              return record.value(QLatin1StringView("record")) ==
                                                     u"chat_state"_s;
                                          });
        QVERIFY(gotState);
        for (auto &member : crowd)
            f.directory.open(u"big"_s)->drop(member.get());
    }

    void framesOverTheRateWaitTheirTurnInOrder()
    {
        SessionLimits limits;
        limits.maxMessagesPerSecond = 500;
        limits.messageBurst = 3; // hello, authenticate, join
        Fixture f(limits);
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        flack::test::FakeMember bo(u"Bo"_s, u"b"_s, &f.directory.connections());
        f.directory.open(u"lobby"_s)->join(&bo);
        for (int i = 0; i < 10; ++i)
            f.session.handleTextMessage(
                text(protocol::encodeClientChatMessage(u"lobby", QString::number(i))));
        QVERIFY(f.transport.readingPaused);
        QTRY_COMPARE_WITH_TIMEOUT(bo.recordNames().count(u"chat_message"_s), 10, 10000);
        QStringList texts;
        for (const QJsonObject &record : bo.records) {
            if (record.value(QLatin1StringView("record")).toString() == u"chat_message")
                texts.append(record.value(QLatin1StringView("message")).toString());
        }
        QCOMPARE(texts, QStringList({u"0"_s, u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s,
                                     u"7"_s, u"8"_s, u"9"_s}));
        QVERIFY(!f.transport.readingPaused);
        QCOMPARE(f.session.state(), ClientSession::State::Ready);
        f.directory.open(u"lobby"_s)->drop(&bo);
    }

    void aSustainedFlooderIsChatLimit005()
    {
        SessionLimits limits;
        limits.maxMessagesPerSecond = 20;
        limits.messageBurst = 3;
        limits.floodMs = 200;
        Fixture f(limits);
        f.login();
        f.session.handleTextMessage(text(protocol::encodeJoinChat(u"lobby")));
        QDeadlineTimer deadline(10000);
        while (f.transport.closeCode < 0 && !deadline.hasExpired()) {
            f.session.handleTextMessage(
                text(protocol::encodeClientChatMessage(u"lobby", u"spam"_s)));
            QTest::qWait(1);
        }
        QCOMPARE(f.transport.lastRecord(), u"protocol_error"_s);
        QCOMPARE(f.transport.sent.last().value(QLatin1StringView("code")).toString(),
                 u"CHAT_LIMIT-005"_s);
        QCOMPARE(f.transport.closeCode, 1008);
        QVERIFY(!f.transport.readingPaused); // resumed, so the close handshake can complete
    }

    void signedIdsCanBeReclaimedButNotInvented()
    {
        const flack::server::sessions::UserIdSigner signer(QByteArrayLiteral("shared secret!!!"));
        Fixture first;
        first.session.setUserIdSigner(&signer);
        first.login(u"Ann"_s);
        const QString issued =
            first.transport.sent.last().value(QLatin1StringView("user_id")).toString();
        QVERIFY(signer.verify(issued));
        // Reconnecting with it: kept.
        Fixture again;
        again.session.setUserIdSigner(&signer);
        again.login(u"Ann"_s, issued);
        QCOMPARE(again.transport.sent.last().value(QLatin1StringView("user_id")).toString(),
                 issued);
        // An invented (or someone else's unsigned) id: a fresh one instead, no error.
        Fixture thief;
        thief.session.setUserIdSigner(&signer);
        thief.login(u"Mallory"_s, u"0123456789abcdef0123456789abcdef"_s);
        QCOMPARE(thief.transport.lastRecord(), u"authenticated"_s);
        const QString given =
            thief.transport.sent.last().value(QLatin1StringView("user_id")).toString();
        QVERIFY(given != u"0123456789abcdef0123456789abcdef"_s);
        QVERIFY(signer.verify(given));
    }

    void idleAndShutdownCloseCodes()
    {
        Fixture idle;
        idle.login();
        idle.session.closeIdle();
        QCOMPARE(idle.transport.closeCode, 1000);
        Fixture shutdown;
        shutdown.login();
        shutdown.session.closeForShutdown();
        QCOMPARE(shutdown.transport.closeCode, 1001);
    }
};

QTEST_GUILESS_MAIN(TestClientSession)
#include "tst_clientsession.moc"
