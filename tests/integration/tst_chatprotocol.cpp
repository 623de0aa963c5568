// The chat protocol against the real flack-server binary: the single-node walkthrough with the
// exact records of docs/protocol.md, membership changes, ordering and byte-exact strings.

#include "shared/clientrecordencoder.h"
#include "tests/support/crowd.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace flack::test;
using namespace flack::protocol;

namespace {

QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1StringView(key)).toString();
}

qint64 seq(const QJsonObject &object)
{
    return object.value(u"sequence").toInteger();
}

} // namespace

#define VERIFY_RECORD(object, name)                                                                \
    do {                                                                                           \
        const QString problem_ = recordProblem((object), u"" name);                                \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                        \
    } while (false)

class TestChatProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void walkthrough();
    void threeClientsInOneChat();
    void clientInTwoChats();
    void disconnectWithoutGoodbyeSendsLeft();
    void goodbyeClosesAndOthersGetLeft();
    void leaveChatReachesEveryoneIncludingLeaver();
    void reconnectKeepsSuppliedUserId();
    void emptyChatIsForgotten();
    void stringsRoundTripByteExact_data();
    void stringsRoundTripByteExact();
    void escapedInputDecodes();
    void burstArrivesInOrder();
    void twoHundredConcurrentClients();
    void idleConnectionIsClosed();

private:
    // A fresh client with a logged-in user; nullptr (and a test failure) otherwise.
    std::unique_ptr<WsTestClient> loggedIn(const QString &name, QString *userId = nullptr);

    ServerProcess *m_server = nullptr;
    int m_chatCounter = 0;
    QString freshChat() { return QStringLiteral("chat-%1").arg(++m_chatCounter); }
};

void TestChatProtocol::initTestCase()
{
    // burstArrivesInOrder sends 500 messages at once to check ordering; the rate limit that
    // would pace them is tested in tst_hardening.
    m_server = new ServerProcess({QStringLiteral("--max-messages-per-second"), QStringLiteral("0")});
    QVERIFY2(m_server->start(), m_server->output().constData());
}

void TestChatProtocol::cleanupTestCase()
{
    QCOMPARE(m_server->terminate(), 0);
    delete m_server;
}

std::unique_ptr<WsTestClient> TestChatProtocol::loggedIn(const QString &name, QString *userId)
{
    auto client = std::make_unique<WsTestClient>();
    if (!client->open(m_server->chatUrl()))
        return nullptr;
    const QString id = client->login(name);
    if (id.isEmpty())
        return nullptr;
    if (userId)
        *userId = id;
    return client;
}

void TestChatProtocol::walkthrough()
{
    // The original README's walkthrough, asserting every server record's exact shape.
    WsTestClient alice;
    QVERIFY(alice.open(m_server->chatUrl()));
    alice.sendText(R"({"record":"client_hello","protocol_version":"1.0"})");
    const QJsonObject hello = alice.next();
    VERIFY_RECORD(hello, "server_hello");
    QCOMPARE(str(hello, "protocol_version"), u"1.0");

    alice.sendText(R"({"record":"authenticate","user_name":"alice"})");
    const QJsonObject authenticated = alice.next();
    VERIFY_RECORD(authenticated, "authenticated");
    QVERIFY2(isGeneratedUserId(authenticated.value(u"user_id")),
             qPrintable(str(authenticated, "user_id")));
    const QString aliceId = str(authenticated, "user_id");

    alice.sendText(R"({"record":"join_chat","chat_name":"walk"})");
    const QJsonObject aliceState = alice.next();
    VERIFY_RECORD(aliceState, "chat_state");
    QCOMPARE(str(aliceState, "chat_name"), u"walk");
    QCOMPARE(aliceState.value(u"users").toArray().size(), 0); // not including the joiner
    const QJsonObject aliceJoined = alice.next();
    VERIFY_RECORD(aliceJoined, "joined");
    QCOMPARE(str(aliceJoined, "chat_name"), u"walk");
    QCOMPARE(str(aliceJoined, "user_name"), u"alice");
    QCOMPARE(str(aliceJoined, "user_id"), aliceId);

    WsTestClient bob;
    QVERIFY(bob.open(m_server->chatUrl()));
    const QString bobId = bob.login(QStringLiteral("bob"));
    QVERIFY(isGeneratedUserId(bobId));
    QVERIFY(bobId != aliceId);
    bob.sendText(encodeJoinChat(u"walk"));
    const QJsonObject bobState = bob.next();
    VERIFY_RECORD(bobState, "chat_state");
    const QJsonArray users = bobState.value(u"users").toArray();
    QCOMPARE(users.size(), 1);
    QCOMPARE(str(users[0].toObject(), "user_name"), u"alice");
    QCOMPARE(str(users[0].toObject(), "user_id"), aliceId);
    // Every member, joiner included, gets the same joined bytes.
    const QByteArray bobJoinedRaw = bob.nextRaw();
    QCOMPARE(alice.nextRaw(), bobJoinedRaw);
    const QJsonObject bobJoined = QJsonDocument::fromJson(bobJoinedRaw).object();
    VERIFY_RECORD(bobJoined, "joined");
    QCOMPARE(str(bobJoined, "user_name"), u"bob");
    QCOMPARE(str(bobJoined, "user_id"), bobId);
    QVERIFY(seq(bobJoined) > seq(aliceJoined));

    alice.sendText(
        R"({"record":"chat_message","chat_name":"walk","mime_type":"text/plain","message":"hi bob"})");
    const QByteArray messageRaw = alice.nextRaw();
    QCOMPARE(bob.nextRaw(), messageRaw);
    const QJsonObject message = QJsonDocument::fromJson(messageRaw).object();
    VERIFY_RECORD(message, "chat_message");
    QCOMPARE(str(message, "chat_name"), u"walk");
    QCOMPARE(str(message, "user_id"), aliceId);
    QCOMPARE(str(message, "mime_type"), u"text/plain");
    QCOMPARE(str(message, "message"), u"hi bob");
    QVERIFY(seq(message) > seq(bobJoined));

    bob.sendText(R"({"record":"ping"})");
    const QByteArray pingReply = bob.nextRaw();
    VERIFY_RECORD(QJsonDocument::fromJson(pingReply).object(), "ping_reply");

    bob.sendText(R"({"record":"leave_chat","chat_name":"walk"})");
    const QByteArray leftRaw = bob.nextRaw();
    QCOMPARE(alice.nextRaw(), leftRaw);
    const QJsonObject left = QJsonDocument::fromJson(leftRaw).object();
    VERIFY_RECORD(left, "left");
    QCOMPARE(str(left, "chat_name"), u"walk");
    QCOMPARE(str(left, "user_id"), bobId);
    QVERIFY(seq(left) > seq(message));

    alice.sendText(R"({"record":"client_goodbye"})");
    VERIFY_RECORD(alice.next(), "server_goodbye");
    QVERIFY(alice.waitForDisconnected());
    QCOMPARE(alice.pending(), 0);

    bob.sendText(encodeClientGoodbye());
    VERIFY_RECORD(bob.next(), "server_goodbye");
    QVERIFY(bob.waitForDisconnected());
}

void TestChatProtocol::threeClientsInOneChat()
{
    const QString chat = freshChat();
    QString ids[3];
    std::unique_ptr<WsTestClient> clients[3];
    for (int i = 0; i < 3; ++i) {
        clients[i] = loggedIn(QStringLiteral("user%1").arg(i), &ids[i]);
        QVERIFY(clients[i]);
        const QJsonObject state = clients[i]->join(chat);
        VERIFY_RECORD(state, "chat_state");
        // chat_state lists exactly the members already there, never the joiner.
        QStringList listed;
        for (const QJsonValue &user : state.value(u"users").toArray())
            listed.append(str(user.toObject(), "user_id"));
        listed.sort();
        QStringList expected(ids, ids + i);
        expected.sort();
        QCOMPARE(listed, expected);
        for (int earlier = 0; earlier < i; ++earlier) {
            const QJsonObject joined = clients[earlier]->next();
            VERIFY_RECORD(joined, "joined");
            QCOMPARE(str(joined, "user_id"), ids[i]);
        }
    }
    // Each member speaks once; all three see all three messages with identical sequences.
    for (int speaker = 0; speaker < 3; ++speaker) {
        clients[speaker]->sendText(
            encodeClientChatMessage(chat, QStringLiteral("from %1").arg(speaker)));
        const QByteArray raw = clients[0]->nextRaw();
        const QJsonObject message = QJsonDocument::fromJson(raw).object();
        VERIFY_RECORD(message, "chat_message");
        QCOMPARE(str(message, "user_id"), ids[speaker]);
        QCOMPARE(str(message, "message"), QStringLiteral("from %1").arg(speaker));
        QCOMPARE(clients[1]->nextRaw(), raw);
        QCOMPARE(clients[2]->nextRaw(), raw);
    }
}

void TestChatProtocol::clientInTwoChats()
{
    const QString first = freshChat();
    const QString second = freshChat();
    QString aliceId;
    auto alice = loggedIn(QStringLiteral("alice"), &aliceId);
    auto bob = loggedIn(QStringLiteral("bob"));
    auto carol = loggedIn(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    VERIFY_RECORD(alice->join(first), "chat_state");
    VERIFY_RECORD(alice->join(second), "chat_state");
    VERIFY_RECORD(bob->join(first), "chat_state");
    VERIFY_RECORD(carol->join(second), "chat_state");
    VERIFY_RECORD(alice->nextOf(u"joined"), "joined"); // bob in first
    VERIFY_RECORD(alice->nextOf(u"joined"), "joined"); // carol in second

    // Alice's frames are handled in order, so had the second chat's message leaked to bob it
    // would arrive before the first chat's one.
    alice->sendText(encodeClientChatMessage(second, u"to second"));
    alice->sendText(encodeClientChatMessage(first, u"to first"));
    const QJsonObject carolGot = carol->next();
    VERIFY_RECORD(carolGot, "chat_message");
    QCOMPARE(str(carolGot, "chat_name"), second);
    QCOMPARE(str(carolGot, "message"), u"to second");
    const QJsonObject bobGot = bob->next();
    VERIFY_RECORD(bobGot, "chat_message");
    QCOMPARE(str(bobGot, "chat_name"), first);
    QCOMPARE(str(bobGot, "message"), u"to first");
    QCOMPARE(str(alice->next(), "chat_name"), second);
    QCOMPARE(str(alice->next(), "chat_name"), first);

    // Sequences are per chat: each chat saw two joins then one message.
    QCOMPARE(seq(carolGot), seq(bobGot));

    // Dropping the connection leaves both chats.
    alice->socket().abort();
    const QJsonObject bobLeft = bob->next();
    const QJsonObject carolLeft = carol->next();
    VERIFY_RECORD(bobLeft, "left");
    VERIFY_RECORD(carolLeft, "left");
    QCOMPARE(str(bobLeft, "chat_name"), first);
    QCOMPARE(str(carolLeft, "chat_name"), second);
    QCOMPARE(str(bobLeft, "user_id"), aliceId);
    QCOMPARE(str(carolLeft, "user_id"), aliceId);
}

void TestChatProtocol::disconnectWithoutGoodbyeSendsLeft()
{
    const QString chat = freshChat();
    QString bobId;
    auto alice = loggedIn(QStringLiteral("alice"));
    auto bob = loggedIn(QStringLiteral("bob"), &bobId);
    QVERIFY(alice && bob);
    alice->join(chat);
    bob->join(chat);
    const QJsonObject joined = alice->next();
    bob->socket().abort(); // no close frame, just the TCP connection gone
    const QJsonObject left = alice->next();
    VERIFY_RECORD(left, "left");
    QCOMPARE(str(left, "user_id"), bobId);
    QCOMPARE(str(left, "chat_name"), chat);
    QVERIFY(seq(left) > seq(joined));
    // The remaining member is still served.
    alice->sendText(encodePing());
    VERIFY_RECORD(alice->next(), "ping_reply");
}

void TestChatProtocol::goodbyeClosesAndOthersGetLeft()
{
    const QString chat = freshChat();
    QString bobId;
    auto alice = loggedIn(QStringLiteral("alice"));
    auto bob = loggedIn(QStringLiteral("bob"), &bobId);
    QVERIFY(alice && bob);
    alice->join(chat);
    bob->join(chat);
    VERIFY_RECORD(alice->next(), "joined");
    bob->sendText(encodeClientGoodbye());
    VERIFY_RECORD(bob->next(), "server_goodbye");
    QVERIFY(bob->waitForDisconnected());
    QCOMPARE(bob->pending(), 0); // nothing after server_goodbye
    const QJsonObject left = alice->next();
    VERIFY_RECORD(left, "left");
    QCOMPARE(str(left, "user_id"), bobId);
}

void TestChatProtocol::leaveChatReachesEveryoneIncludingLeaver()
{
    const QString chat = freshChat();
    QString bobId;
    auto alice = loggedIn(QStringLiteral("alice"));
    auto bob = loggedIn(QStringLiteral("bob"), &bobId);
    QVERIFY(alice && bob);
    alice->join(chat);
    bob->join(chat);
    VERIFY_RECORD(alice->next(), "joined");
    bob->sendText(encodeLeaveChat(chat));
    const QByteArray raw = bob->nextRaw();
    QCOMPARE(alice->nextRaw(), raw);
    const QJsonObject left = QJsonDocument::fromJson(raw).object();
    VERIFY_RECORD(left, "left");
    QCOMPARE(str(left, "user_id"), bobId);
    // Bob no longer receives the chat, but his connection lives on and can rejoin.
    alice->sendText(encodeClientChatMessage(chat, u"after bob left"));
    VERIFY_RECORD(alice->next(), "chat_message");
    bob->sendText(encodePing());
    VERIFY_RECORD(bob->next(), "ping_reply");
    const QJsonObject state = bob->join(chat);
    VERIFY_RECORD(state, "chat_state");
    QCOMPARE(state.value(u"users").toArray().size(), 1);
}

void TestChatProtocol::reconnectKeepsSuppliedUserId()
{
    const QString chat = freshChat();
    QString firstId;
    auto first = loggedIn(QStringLiteral("dora"), &firstId);
    QVERIFY(first);
    first->sendText(encodeClientGoodbye());
    QVERIFY(first->waitForDisconnected());

    WsTestClient again;
    QVERIFY(again.open(m_server->chatUrl()));
    QCOMPARE(again.login(QStringLiteral("dora"), firstId), firstId);
    again.sendText(encodeJoinChat(chat));
    VERIFY_RECORD(again.next(), "chat_state");
    const QJsonObject joined = again.next();
    VERIFY_RECORD(joined, "joined");
    QCOMPARE(str(joined, "user_id"), firstId);

    // Any non-empty id the client supplies is used as is.
    WsTestClient custom;
    QVERIFY(custom.open(m_server->chatUrl()));
    QCOMPARE(custom.login(QStringLiteral("eve"), QStringLiteral("my-own-id")), u"my-own-id");
    // An empty user_id means "give me one".
    WsTestClient empty;
    QVERIFY(empty.open(m_server->chatUrl()));
    empty.sendText(encodeClientHello(u"1.0"));
    VERIFY_RECORD(empty.next(), "server_hello");
    empty.sendText(R"({"record":"authenticate","user_name":"fay","user_id":""})");
    const QJsonObject authenticated = empty.next();
    VERIFY_RECORD(authenticated, "authenticated");
    QVERIFY(isGeneratedUserId(authenticated.value(u"user_id")));
}

void TestChatProtocol::emptyChatIsForgotten()
{
    // After its last member leaves, a chat starts over: the next joiner sees nobody.
    const QString chat = freshChat();
    auto alice = loggedIn(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->join(chat);
    alice->sendText(encodeLeaveChat(chat));
    VERIFY_RECORD(alice->next(), "left");
    auto bob = loggedIn(QStringLiteral("bob"));
    QVERIFY(bob);
    const QJsonObject state = bob->join(chat);
    VERIFY_RECORD(state, "chat_state");
    QCOMPARE(state.value(u"users").toArray().size(), 0);
}

void TestChatProtocol::stringsRoundTripByteExact_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("ascii") << QStringLiteral("plain text");
    QTest::newRow("emoji") << QStringLiteral(
        "party \U0001F389 family \U0001F468\u200D\U0001F469\u200D\U0001F467");
    QTest::newRow("rtl") << QStringLiteral(
        "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 \u202Eabc");
    QTest::newRow("cjk") << QStringLiteral(
        "\u4F60\u597D\u4E16\u754C \u3053\u3093\u306B\u3061\u306F \uD55C\uAD6D\uC5B4");
    QTest::newRow("quotes") << QStringLiteral("she said \"hi\" and 'bye' `x`");
    QTest::newRow("backslashes") << QStringLiteral("C:\\path\\to\\file \\\" \\\\ \\n \\u0041");
    QTest::newRow("newlines") << QStringLiteral("line1\nline2\r\nline3\rend\n");
    QTest::newRow("tabs") << QStringLiteral("a\tb\t\tc");
    QString controls;
    for (char16_t c = 1; c < 0x20; ++c)
        controls.append(QChar(c));
    controls.append(QChar(0x7F));
    QTest::newRow("control chars") << controls;
    QTest::newRow("nul inside") << QString(QStringLiteral("before") + QChar(0) +
                                           QStringLiteral("after"));
    QTest::newRow("json-looking") << QStringLiteral("{\"record\":\"ping\"}");
    QTest::newRow("slash and html") << QStringLiteral("</script><b>&amp;</b> a/b");
    QTest::newRow("leading bom") << QStringLiteral("\uFEFFstarts with a BOM");
    QTest::newRow("line separators") << QStringLiteral("a\u2028b\u2029c");
    QTest::newRow("combining") << QStringLiteral("e\u0301 n\u0303 \u00E9");
    QTest::newRow("noncharacters") << QStringLiteral("\uFFFE \uFFFF \U0010FFFF");
    QTest::newRow("long") << QString(QStringLiteral("\u00E9x\U0001F600").repeated(2000));
}

void TestChatProtocol::stringsRoundTripByteExact()
{
    QFETCH(QString, text);
    // The same string as user name, chat name and message.
    const QString name = text.left(60);
    const QString chat = name + QStringLiteral(" #") + QString::number(++m_chatCounter);
    WsTestClient alice;
    WsTestClient bob;
    QVERIFY(alice.open(m_server->chatUrl()));
    QVERIFY(bob.open(m_server->chatUrl()));
    QVERIFY(!alice.login(name).isEmpty());
    QVERIFY(!bob.login(QStringLiteral("bob")).isEmpty());
    alice.join(chat);
    const QJsonObject state = bob.join(chat);
    VERIFY_RECORD(state, "chat_state");
    QCOMPARE(str(state, "chat_name").toUtf8(), chat.toUtf8());
    QCOMPARE(str(state.value(u"users").toArray().at(0).toObject(), "user_name").toUtf8(),
             name.toUtf8());
    VERIFY_RECORD(alice.next(), "joined");

    alice.sendText(encodeClientChatMessage(chat, text));
    for (WsTestClient *client : {&alice, &bob}) {
        const QByteArray raw = client->nextRaw();
        QJsonParseError error;
        const QJsonObject message = QJsonDocument::fromJson(raw, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        VERIFY_RECORD(message, "chat_message");
        QCOMPARE(str(message, "chat_name").toUtf8(), chat.toUtf8());
        QCOMPARE(str(message, "message").toUtf8(), text.toUtf8());
    }
}

void TestChatProtocol::escapedInputDecodes()
{
    // Clients may escape anything JSON allows; the server must deliver the decoded text.
    const QString chat = freshChat();
    auto alice = loggedIn(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->join(chat);
    alice->sendText(
        QByteArray(R"({"message":"\u00e9\/\"\\\ud83d\ude00\n","mime_type":"text/plain",)") +
        R"("chat_name":")" + chat.toUtf8() + R"(","record":"chat_message"})");
    const QJsonObject message = alice->next();
    VERIFY_RECORD(message, "chat_message");
    QCOMPARE(str(message, "message"), QStringLiteral("\u00E9/\"\\\U0001F600\n"));
}

void TestChatProtocol::burstArrivesInOrder()
{
    constexpr int kCount = 500;
    const QString chat = freshChat();
    auto alice = loggedIn(QStringLiteral("alice"));
    auto bob = loggedIn(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->join(chat);
    bob->join(chat);
    VERIFY_RECORD(alice->next(), "joined");
    for (int i = 0; i < kCount; ++i)
        alice->sendText(encodeClientChatMessage(chat, QStringLiteral("burst %1").arg(i)));
    QList<qint64> sequences[2];
    int index = 0;
    for (WsTestClient *client : {alice.get(), bob.get()}) {
        for (int i = 0; i < kCount; ++i) {
            const QJsonObject message = client->next(20000);
            VERIFY_RECORD(message, "chat_message");
            QCOMPARE(str(message, "message"), QStringLiteral("burst %1").arg(i));
            sequences[index].append(seq(message));
            if (i > 0)
                QVERIFY2(sequences[index][i] > sequences[index][i - 1],
                         qPrintable(QStringLiteral("sequence not increasing at %1").arg(i)));
        }
        ++index;
    }
    QCOMPARE(sequences[0], sequences[1]);
}

void TestChatProtocol::twoHundredConcurrentClients()
{
    constexpr size_t kClients = 200;
    constexpr size_t kRooms = 4;
    Crowd crowd(m_server->chatUrl());
    QVERIFY(crowd.open(kClients, kClients, 20000)); // all handshakes at once
    const QString base = freshChat();
    auto roomOf = [&](size_t i) { return QStringLiteral("%1-room%2").arg(base).arg(i % kRooms); };
    for (size_t i = 0; i < kClients; ++i)
        crowd.loginAndJoin(i, QStringLiteral("u%1").arg(i), roomOf(i));
    QTRY_COMPARE_WITH_TIMEOUT(
        crowd.countWhere([](const Crowd::Member &m) { return m.authenticated && m.gotChatState; }),
        kClients, 20000);
    // Everyone has at least seen their own joined; then everyone speaks once.
    QTRY_COMPARE_WITH_TIMEOUT(
        crowd.countWhere([](const Crowd::Member &m) { return m.joinedSeen > 0; }), kClients, 20000);
    for (size_t i = 0; i < kClients; ++i)
        crowd[i].socket->sendTextMessage(
            QString::fromUtf8(encodeClientChatMessage(roomOf(i), QStringLiteral("m%1").arg(i))));
    constexpr qsizetype kPerRoom = kClients / kRooms;
    QTRY_COMPARE_WITH_TIMEOUT(
        crowd.countWhere([&](const Crowd::Member &m) { return m.messages.size() >= kPerRoom; }),
        kClients, 30000);
    QVERIFY2(crowd.allProblems().isEmpty(), qPrintable(crowd.allProblems().join(u'\n')));
    for (size_t i = 0; i < kClients; ++i) {
        const Crowd::Member &member = crowd[i];
        QCOMPARE(member.messages.size(), kPerRoom);
        QStringList expected;
        for (size_t j = i % kRooms; j < kClients; j += kRooms)
            expected.append(QStringLiteral("m%1").arg(j));
        QStringList got = member.messages;
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
        QVERIFY(std::is_sorted(member.messageSequences.begin(), member.messageSequences.end()));
        // Same room, same order and same sequences for every member.
        const Crowd::Member &first = crowd[i % kRooms];
        QCOMPARE(member.messages, first.messages);
        QCOMPARE(member.messageSequences, first.messageSequences);
        QVERIFY(!member.disconnected);
    }
}

void TestChatProtocol::idleConnectionIsClosed()
{
    ServerProcess server({QStringLiteral("--idle-timeout"), QStringLiteral("2")});
    QVERIFY2(server.start(), server.output().constData());
    WsTestClient idle;
    WsTestClient pinger;
    QVERIFY(idle.open(server.chatUrl()));
    QVERIFY(pinger.open(server.chatUrl()));
    QElapsedTimer sinceLastIdleFrame;
    const QString idleId = idle.login(QStringLiteral("idle"));
    QVERIFY(!idleId.isEmpty());
    QVERIFY(!pinger.login(QStringLiteral("pinger")).isEmpty());
    pinger.join(QStringLiteral("idle-room"));
    idle.join(QStringLiteral("idle-room"));
    sinceLastIdleFrame.start();
    VERIFY_RECORD(pinger.next(), "joined");

    // The pinger sends a ping every 500 ms and counts replies as they come.
    int pingReplies = 0;
    bool idleLeftSeen = false;
    QStringList unexpected;
    connect(&pinger.socket(), &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        if (object.value(u"record").toString() == u"ping_reply")
            ++pingReplies;
        else if (object.value(u"record").toString() == u"left" && str(object, "user_id") == idleId)
            idleLeftSeen = true;
        else
            unexpected.append(text);
    });
    QSignalSpy pingerClosed(&pinger.socket(), &QWebSocket::disconnected);
    QTimer pingTimer;
    connect(&pingTimer, &QTimer::timeout, this, [&] { pinger.sendText(encodePing()); });
    pingTimer.start(500);

    QVERIFY(idle.waitForDisconnected(8000));
    const qint64 idleAfterMs = sinceLastIdleFrame.elapsed();
    QVERIFY2(idleAfterMs >= 1900, qPrintable(QString::number(idleAfterMs))); // not before 2 s
    QTRY_VERIFY_WITH_TIMEOUT(idleLeftSeen, 5000);
    // Keep pinging for well over two more timeouts: the active client must stay.
    const int repliesSoFar = pingReplies;
    QTRY_VERIFY_WITH_TIMEOUT(pingReplies >= repliesSoFar + 10, 10000);
    QCOMPARE(pingerClosed.count(), 0);
    QVERIFY(pinger.isConnected());
    QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected.join(u'\n')));
    pingTimer.stop();
    QCOMPARE(server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestChatProtocol)
#include "tst_chatprotocol.moc"
