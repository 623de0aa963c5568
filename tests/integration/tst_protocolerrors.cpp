// Every protocol error code of docs/protocol.md (and our CHAT_LIMIT-* additions) against the real
// server: one protocol_error with exactly {record, code, reason}, then the close, and the
// other members of the offender's chats get left. Plus oversized frames and raw garbage.

#include "shared/clientrecordencoder.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>

using namespace flack::test;
using namespace flack::protocol;

namespace {

// How far the offending client gets before it sends the bad frame.
enum class Stage {
    Connected,     // websocket open, nothing sent
    Hello,         // server_hello received
    Authenticated, // authenticated received
    InChat,        // joined the row's chat (an observer is in it too)
    InTwoChats,    // also joined a second chat
};

constexpr qsizetype kMaxNameBytes = 16;
constexpr int kMaxMessageBytes = 1024;

} // namespace

Q_DECLARE_METATYPE(Stage)

class TestProtocolErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void errorThenClose_data();
    void errorThenClose();
    void oversizedFrameIsRefused_data();
    void oversizedFrameIsRefused();
    void messageAtTheLimitIsAccepted();
    void rawGarbageDoesNotHurt_data();
    void rawGarbageDoesNotHurt();

private:
    // A new client that completes hello, login, join and one message round trip.
    void verifyFreshClientServed();

    ServerProcess *m_server = nullptr;
    int m_counter = 0;
};

void TestProtocolErrors::initTestCase()
{
    m_server = new ServerProcess(
        {QStringLiteral("--max-name-bytes"), QString::number(kMaxNameBytes),
         QStringLiteral("--max-chats-per-connection"), QStringLiteral("2"),
         QStringLiteral("--max-message-bytes"), QString::number(kMaxMessageBytes)});
    QVERIFY2(m_server->start(), m_server->output().constData());
}

void TestProtocolErrors::cleanupTestCase()
{
    // Still alive after everything thrown at it, and it shuts down cleanly.
    QCOMPARE(m_server->process().state(), QProcess::Running);
    QCOMPARE(m_server->terminate(), 0);
    delete m_server;
}

void TestProtocolErrors::verifyFreshClientServed()
{
    WsTestClient client;
    QVERIFY(client.open(m_server->chatUrl()));
    QVERIFY(!client.login(QStringLiteral("fresh")).isEmpty());
    const QString chat = QStringLiteral("fresh%1").arg(++m_counter);
    QCOMPARE(client.join(chat).value(u"record").toString(), u"chat_state");
    client.sendText(encodeClientChatMessage(chat, u"still here"));
    const QJsonObject message = client.next();
    QCOMPARE(recordProblem(message, u"chat_message"), QString());
    QCOMPARE(message.value(u"message").toString(), u"still here");
}

void TestProtocolErrors::errorThenClose_data()
{
    QTest::addColumn<Stage>("stage");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("reasonContains");

    const auto text = [](const char *tag, Stage stage, const QByteArray &frame, const char *code,
                         const char *reasonContains = "") {
        QTest::newRow(tag) << stage << false << frame << QString::fromLatin1(code)
                           << QString::fromUtf8(reasonContains);
    };
    // CHAT-001: the first message is not a valid client_hello.
    text("001 authenticate first", Stage::Connected, R"({"record":"authenticate","user_name":"a"})",
         "CHAT-001");
    text("001 ping first", Stage::Connected, R"({"record":"ping"})", "CHAT-001");
    text("001 not json first", Stage::Connected, "hello server", "CHAT-001");
    text("001 array first", Stage::Connected, "[]", "CHAT-001");
    text("001 no record first", Stage::Connected, R"({"protocol_version":"1.0"})", "CHAT-001");
    text("001 hello without version", Stage::Connected, R"({"record":"client_hello"})", "CHAT-001");
    text("001 hello numeric version", Stage::Connected,
         R"({"record":"client_hello","protocol_version":1.0})", "CHAT-001");
    text("001 unknown record first", Stage::Connected, R"({"record":"bogus"})", "CHAT-001");
    // CHAT-002: unsupported version, named in the reason.
    text("002 version 2.0", Stage::Connected,
         R"({"record":"client_hello","protocol_version":"2.0"})", "CHAT-002", "2.0");
    text("002 version 0.9", Stage::Connected,
         R"({"record":"client_hello","protocol_version":"0.9"})", "CHAT-002", "0.9");
    // CHAT-003: binary frames, at any stage.
    QTest::newRow("003 binary first") << Stage::Connected << true << QByteArray("\x01\x02")
                                      << QStringLiteral("CHAT-003") << QString();
    QTest::newRow("003 binary json in chat")
        << Stage::InChat << true << QByteArray(R"({"record":"ping"})") << QStringLiteral("CHAT-003")
        << QString();
    // CHAT_PROTOCOL-001: unrecognized or malformed.
    text("P001 not json", Stage::InChat, "{not json", "CHAT_PROTOCOL-001");
    text("P001 json string", Stage::InChat, R"("ping")", "CHAT_PROTOCOL-001");
    text("P001 json number", Stage::InChat, "42", "CHAT_PROTOCOL-001");
    text("P001 no record", Stage::InChat, R"({"chat_name":"x"})", "CHAT_PROTOCOL-001");
    text("P001 record not string", Stage::InChat, R"({"record":7})", "CHAT_PROTOCOL-001");
    text("P001 unknown record", Stage::InChat, R"({"record":"shout","chat_name":"x"})",
         "CHAT_PROTOCOL-001");
    text("P001 second hello", Stage::InChat,
         R"({"record":"client_hello","protocol_version":"1.0"})", "CHAT_PROTOCOL-001");
    text("P001 empty text", Stage::Authenticated, "", "CHAT_PROTOCOL-001");
    // CHAT_PROTOCOL-002: anything but authenticate before authenticating.
    text("P002 join before auth", Stage::Hello, R"({"record":"join_chat","chat_name":"x"})",
         "CHAT_PROTOCOL-002");
    text("P002 ping before auth", Stage::Hello, R"({"record":"ping"})", "CHAT_PROTOCOL-002");
    text("P002 goodbye before auth", Stage::Hello, R"({"record":"client_goodbye"})",
         "CHAT_PROTOCOL-002");
    // CHAT_PROTOCOL-003: authenticate twice.
    text("P003 authenticate again", Stage::InChat,
         R"({"record":"authenticate","user_name":"again"})", "CHAT_PROTOCOL-003");
    // CHAT_PROTOCOL-004: authenticate without a valid user_name.
    text("P004 no user_name", Stage::Hello, R"({"record":"authenticate"})", "CHAT_PROTOCOL-004");
    text("P004 empty user_name", Stage::Hello, R"({"record":"authenticate","user_name":""})",
         "CHAT_PROTOCOL-004");
    text("P004 numeric user_name", Stage::Hello, R"({"record":"authenticate","user_name":5})",
         "CHAT_PROTOCOL-004");
    text("P004 null user_name", Stage::Hello, R"({"record":"authenticate","user_name":null})",
         "CHAT_PROTOCOL-004");
    // CHAT_PROTOCOL-005: join_chat without a valid chat_name.
    text("P005 no chat_name", Stage::Authenticated, R"({"record":"join_chat"})",
         "CHAT_PROTOCOL-005");
    text("P005 empty chat_name", Stage::InChat, R"({"record":"join_chat","chat_name":""})",
         "CHAT_PROTOCOL-005");
    text("P005 array chat_name", Stage::Authenticated,
         R"({"record":"join_chat","chat_name":["x"]})", "CHAT_PROTOCOL-005");
    // CHAT_PROTOCOL-006: join a chat already joined (the row's chat is named by the test).
    text("P006 join again", Stage::InChat, "JOIN_OWN_CHAT", "CHAT_PROTOCOL-006");
    // CHAT_PROTOCOL-007: chat_message to a chat not joined, or bad mime_type / message.
    text(
        "P007 not joined", Stage::InChat,
        R"({"record":"chat_message","chat_name":"elsewhere","mime_type":"text/plain","message":"x"})",
        "CHAT_PROTOCOL-007");
    text("P007 html mime", Stage::InChat, "MESSAGE_OWN_CHAT text/html", "CHAT_PROTOCOL-007");
    text("P007 missing mime", Stage::InChat, "MESSAGE_OWN_CHAT", "CHAT_PROTOCOL-007");
    text("P007 numeric message", Stage::InChat, "MESSAGE_OWN_CHAT text/plain 42",
         "CHAT_PROTOCOL-007");
    text("P007 empty message", Stage::InChat, "MESSAGE_OWN_CHAT text/plain EMPTY",
         "CHAT_PROTOCOL-007");
    text("P007 missing message", Stage::InChat, "MESSAGE_OWN_CHAT text/plain", "CHAT_PROTOCOL-007");
    text("P007 no chat_name", Stage::InChat,
         R"({"record":"chat_message","mime_type":"text/plain","message":"x"})",
         "CHAT_PROTOCOL-007");
    // CHAT_PROTOCOL-008: leave_chat of a chat not joined.
    text("P008 leave other chat", Stage::InChat,
         R"({"record":"leave_chat","chat_name":"elsewhere"})", "CHAT_PROTOCOL-008");
    text("P008 leave without name", Stage::InChat, R"({"record":"leave_chat"})",
         "CHAT_PROTOCOL-008");
    text("P008 leave before any join", Stage::Authenticated,
         R"({"record":"leave_chat","chat_name":"x"})", "CHAT_PROTOCOL-008");
    // CHAT_LIMIT-002: names longer than --max-name-bytes (16), counted in UTF-8 bytes.
    text("L002 user_name 17 bytes", Stage::Hello,
         R"({"record":"authenticate","user_name":"abcdefghijklmnopq"})", "CHAT_LIMIT-002");
    // 9 characters, 18 bytes: a character count would let it through.
    text("L002 user_name 9 chars 18 bytes", Stage::Hello,
         "{\"record\":\"authenticate\",\"user_name\":"
         "\"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\"}",
         "CHAT_LIMIT-002");
    text("L002 chat_name too long", Stage::InChat,
         R"({"record":"join_chat","chat_name":"0123456789abcdefg"})", "CHAT_LIMIT-002");
    // CHAT_LIMIT-003: a third chat with --max-chats-per-connection 2.
    text("L003 third chat", Stage::InTwoChats, R"({"record":"join_chat","chat_name":"third"})",
         "CHAT_LIMIT-003");
}

void TestProtocolErrors::errorThenClose()
{
    QFETCH(Stage, stage);
    QFETCH(bool, binary);
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    QFETCH(QString, reasonContains);

    const QString chat = QStringLiteral("err%1").arg(++m_counter);
    // Placeholders for frames that name the row's own chat.
    if (frame == "JOIN_OWN_CHAT") {
        frame = encodeJoinChat(chat);
    } else if (frame.startsWith("MESSAGE_OWN_CHAT")) {
        const QList<QByteArray> parts = frame.split(' ');
        QJsonObject object{{QStringLiteral("record"), QStringLiteral("chat_message")},
                           {QStringLiteral("chat_name"), chat}};
        if (parts.size() > 1)
            object.insert(u"mime_type", QString::fromLatin1(parts[1]));
        if (parts.size() > 2 && parts[2] == "EMPTY")
            object.insert(u"message", QString());
        else if (parts.size() > 2)
            object.insert(u"message", parts[2].toInt());
        frame = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }

    WsTestClient observer;
    QString observerId;
    if (stage >= Stage::InChat) {
        QVERIFY(observer.open(m_server->chatUrl()));
        observerId = observer.login(QStringLiteral("observer"));
        QVERIFY(!observerId.isEmpty());
        QCOMPARE(observer.join(chat).value(u"record").toString(), u"chat_state");
    }

    WsTestClient client;
    QVERIFY(client.open(m_server->chatUrl()));
    QString clientId;
    if (stage >= Stage::Hello) {
        client.sendText(encodeClientHello(u"1.0"));
        QCOMPARE(recordProblem(client.next(), u"server_hello"), QString());
    }
    if (stage >= Stage::Authenticated) {
        client.sendText(encodeAuthenticate(u"offender"));
        const QJsonObject authenticated = client.next();
        QCOMPARE(recordProblem(authenticated, u"authenticated"), QString());
        clientId = authenticated.value(u"user_id").toString();
    }
    if (stage >= Stage::InChat) {
        QCOMPARE(client.join(chat).value(u"record").toString(), u"chat_state");
        QCOMPARE(observer.next().value(u"user_id").toString(), clientId); // its joined
    }
    if (stage >= Stage::InTwoChats)
        QCOMPARE(client.join(chat + QStringLiteral("b")).value(u"record").toString(),
                 u"chat_state");

    if (binary)
        client.sendBinary(frame);
    else
        client.sendText(frame);

    const QJsonObject error = client.next();
    QCOMPARE(recordProblem(error, u"protocol_error"), QString());
    QCOMPARE(error.value(u"code").toString(), code);
    const QString reason = error.value(u"reason").toString();
    QVERIFY2(reason.contains(reasonContains), qPrintable(reason));
    // Then the close, with nothing after the error.
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(client.pending(), 0);

    if (stage >= Stage::InChat) {
        const QJsonObject left = observer.next();
        QCOMPARE(recordProblem(left, u"left"), QString());
        QCOMPARE(left.value(u"user_id").toString(), clientId);
        QCOMPARE(left.value(u"chat_name").toString(), chat);
        // The observer itself is unaffected.
        observer.sendText(encodePing());
        QCOMPARE(recordProblem(observer.next(), u"ping_reply"), QString());
    }
}

void TestProtocolErrors::oversizedFrameIsRefused_data()
{
    QTest::addColumn<int>("bytes");
    QTest::newRow("just over the limit") << kMaxMessageBytes + 1;
    QTest::newRow("one MiB") << 1024 * 1024;
}

void TestProtocolErrors::oversizedFrameIsRefused()
{
    QFETCH(int, bytes);
    const QString chat = QStringLiteral("big%1").arg(++m_counter);
    WsTestClient observer;
    QVERIFY(observer.open(m_server->chatUrl()));
    QVERIFY(!observer.login(QStringLiteral("observer")).isEmpty());
    observer.join(chat);
    WsTestClient client;
    QVERIFY(client.open(m_server->chatUrl()));
    const QString clientId = client.login(QStringLiteral("big"));
    QVERIFY(!clientId.isEmpty());
    client.join(chat);
    QCOMPARE(observer.next().value(u"record").toString(), u"joined");

    // A valid chat_message whose frame is exactly `bytes` long.
    const QByteArray empty = encodeClientChatMessage(chat, u"");
    QVERIFY(bytes > empty.size());
    client.sendText(encodeClientChatMessage(chat, QString(bytes - empty.size(), u'x')));

    // Refused: either close code 1009 or a CHAT_LIMIT-001 protocol_error (then the close).
    QVERIFY(client.waitForDisconnected());
    if (client.pending() > 0) {
        const QJsonObject error = client.next();
        QCOMPARE(recordProblem(error, u"protocol_error"), QString());
        QCOMPARE(error.value(u"code").toString(), u"CHAT_LIMIT-001");
        QCOMPARE(client.pending(), 0);
    } else {
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    }
    // The message was never delivered; the others see the sender leave.
    const QJsonObject left = observer.next();
    QCOMPARE(recordProblem(left, u"left"), QString());
    QCOMPARE(left.value(u"user_id").toString(), clientId);
    verifyFreshClientServed();
}

void TestProtocolErrors::messageAtTheLimitIsAccepted()
{
    const QString chat = QStringLiteral("limit%1").arg(++m_counter);
    WsTestClient client;
    QVERIFY(client.open(m_server->chatUrl()));
    QVERIFY(!client.login(QStringLiteral("edge")).isEmpty());
    client.join(chat);
    const QByteArray empty = encodeClientChatMessage(chat, u"");
    const QString text(kMaxMessageBytes - empty.size(), u'y');
    QCOMPARE(encodeClientChatMessage(chat, text).size(), kMaxMessageBytes);
    client.sendText(encodeClientChatMessage(chat, text));
    const QJsonObject message = client.next();
    QCOMPARE(recordProblem(message, u"chat_message"), QString());
    QCOMPARE(message.value(u"message").toString(), text);
}

void TestProtocolErrors::rawGarbageDoesNotHurt_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("expectHttpAnswer"); // a complete request must get a status line

    QRandomGenerator random(20240601); // fixed seed: the same garbage every run
    QByteArray noise(4096, '\0');
    for (char &c : noise)
        c = char(random.bounded(256));
    QTest::newRow("random bytes") << noise << false;
    QTest::newRow("random bytes after a blank line") << QByteArray("\r\n\r\n" + noise) << false;
    QTest::newRow("half a handshake")
        << QByteArray("GET /chat-server HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConn")
        << false;
    const QByteArray upgradeHeaders("Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    const QByteArray handshake =
        "GET /chat-server HTTP/1.1\r\n" + upgradeHeaders + "Sec-WebSocket-Version: 13\r\n\r\n";
    QTest::newRow("handshake to wrong path")
        << QByteArray("GET /not-chat HTTP/1.1\r\n" + upgradeHeaders +
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << true;
    QTest::newRow("handshake with bad version")
        << QByteArray("GET /chat-server HTTP/1.1\r\n" + upgradeHeaders +
                      "Sec-WebSocket-Version: 7\r\n\r\n")
        << true;
    QTest::newRow("handshake then random bytes") << QByteArray(handshake + noise) << true;
    // An unmasked text frame: clients must mask, so the server must refuse it.
    QTest::newRow("handshake then unmasked frame")
        << QByteArray(handshake + QByteArray("\x81\x05hello", 7)) << true;
    // A masked (mask 0) text frame whose payload is invalid UTF-8.
    QTest::newRow("handshake then invalid utf-8 text")
        << QByteArray(handshake + QByteArray("\x81\x84\x00\x00\x00\x00\xff\xfe\xc3\x28", 10))
        << true;
    // A frame header announcing a 2^63-1 byte payload.
    QTest::newRow("handshake then huge length")
        << QByteArray(handshake +
                      QByteArray("\x81\xff\x7f\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00", 14))
        << true;
}

void TestProtocolErrors::rawGarbageDoesNotHurt()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, expectHttpAnswer);
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write(bytes);
        QVERIFY(socket.waitForBytesWritten(5000));
        if (expectHttpAnswer) {
            // Bounded, event-driven: the server answers (HTTP status or 101) promptly.
            QVERIFY(socket.waitForReadyRead(5000));
            QVERIFY2(socket.peek(9).startsWith("HTTP/1.1 "), socket.peek(64).constData());
        }
        socket.abort(); // and then vanish mid-conversation
    }
    verifyFreshClientServed();
    QCOMPARE(m_server->process().state(), QProcess::Running);
}

QTEST_GUILESS_MAIN(TestProtocolErrors)
#include "tst_protocolerrors.moc"
