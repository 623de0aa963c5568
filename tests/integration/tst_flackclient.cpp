// flack-client end to end: the reference conversation against the real flack-server, usage
// errors, and, against a scripted fake server in this process, that every kind of protocol
// violation ends the run with exit code 2 and names the violation (and that the fake's
// conforming script passes, so the rows really test the client).

#include "shared/serverrecordencoder.h"
#include "shared/timestamp.h"
#include "tests/support/serverprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace flack;

namespace {

QString clientBinary()
{
    return QStringLiteral(FLACK_CLIENT_BINARY);
}

using Replies = QMap<QString, QByteArrayList>; // client record -> what the fake answers

QByteArray now()
{
    return protocol::formatTimestamp(QDateTime::currentDateTimeUtc());
}

Replies conformingReplies()
{
    const QByteArray ts = now();
    return {
        {QStringLiteral("client_hello"), {protocol::encodeServerHello()}},
        {QStringLiteral("authenticate"), {protocol::encodeAuthenticated(u"u1")}},
        {QStringLiteral("join_chat"),
         {protocol::encodeChatState(u"foobar", {}),
          protocol::encodeJoined(u"foobar", u"hoser", u"u1", ts, 1)}},
        {QStringLiteral("chat_message"),
         {protocol::encodeChatMessage(u"foobar", u"u1", u"text/plain", u"I like cats", ts, 2)}},
        {QStringLiteral("ping"), {protocol::encodePingReply()}},
        {QStringLiteral("leave_chat"), {protocol::encodeLeft(u"foobar", u"u1", ts, 3)}},
        {QStringLiteral("client_goodbye"), {protocol::encodeServerGoodbye()}},
    };
}

// A websocket server that answers each client record with the scripted replies.
class FakeServer : public QObject
{
public:
    explicit FakeServer(Replies replies)
        : m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode),
          m_replies(std::move(replies))
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            connect(socket, &QWebSocket::textMessageReceived, this,
                    [this, socket](const QString &text) {
                        const QString record = QJsonDocument::fromJson(text.toUtf8())
                                                   .object()
                                                   .value(QLatin1StringView("record"))
                                                   .toString();
                        for (const QByteArray &reply : m_replies.value(record))
                            socket->sendTextMessage(QString::fromUtf8(reply));
                        if (record == u"client_goodbye")
                            socket->close();
                    });
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const
    {
        return QStringLiteral("ws://127.0.0.1:%1/chat-server").arg(m_server.serverPort());
    }

private:
    QWebSocketServer m_server;
    Replies m_replies;
};

} // namespace

class TestFlackClient : public QObject
{
    Q_OBJECT
private slots:
    void referenceConversationAgainstServer();
    void usageErrors_data();
    void usageErrors();
    void strictValidation_data();
    void strictValidation();
};

void TestFlackClient::referenceConversationAgainstServer()
{
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    QProcess client;
    client.start(clientBinary(),
                 {QStringLiteral("--url=") + server.chatUrl().toString(), QStringLiteral("--count"),
                  QStringLiteral("3"), QStringLiteral("--delay"), QStringLiteral("10")});
    QVERIFY(client.waitForFinished(30000));
    const QString output = QString::fromUtf8(client.readAllStandardOutput());
    const QString errors = QString::fromUtf8(client.readAllStandardError());
    QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0,
             qPrintable(output + errors));
    QVERIFY2(output.contains(QStringLiteral("hoser joined foobar")), qPrintable(output));
    static const QRegularExpression line(QStringLiteral("^hoser: \\(\\d\\d:\\d\\d\\) I like cats$"),
                                         QRegularExpression::MultilineOption);
    QCOMPARE(output.count(line), 3);
    QVERIFY2(output.contains(QStringLiteral("hoser left foobar")), qPrintable(output));
    QCOMPARE(server.terminate(), 0);
}

void TestFlackClient::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no url") << QStringList{} << QStringLiteral("--url is required");
    QTest::newRow("bad count") << QStringList{QStringLiteral("--url=ws://127.0.0.1:1/"),
                                              QStringLiteral("--count=many")}
                               << QStringLiteral("--count");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
}

void TestFlackClient::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    QProcess client;
    client.start(clientBinary(), arguments);
    QVERIFY(client.waitForFinished(10000));
    QCOMPARE(client.exitCode(), 1);
    const QString errors = QString::fromUtf8(client.readAllStandardError());
    QVERIFY2(errors.contains(mentions), qPrintable(errors));
    QVERIFY(errors.contains(QStringLiteral("Usage:")));
}

void TestFlackClient::strictValidation_data()
{
    QTest::addColumn<QString>("clientRecord");
    QTest::addColumn<QByteArrayList>("replies");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mentions");
    const QByteArray ts = now();
    const auto row = [](const char *name, const char *record, QByteArrayList replies, int code,
                        const char *mentions) {
        QTest::newRow(name) << QString::fromLatin1(record) << replies << code
                            << QString::fromUtf8(mentions);
    };
    row("conforming fake server", "", {}, 0, "");
    row("server_hello extra key", "client_hello",
        {R"({"record":"server_hello","protocol_version":"1.0","node":"n1"})"}, 2,
        "unknown key \"node\"");
    row("server_hello wrong version", "client_hello",
        {R"({"record":"server_hello","protocol_version":"1.1"})"}, 2, "\"1.1\"");
    row("authenticated empty id", "authenticate", {R"({"record":"authenticated","user_id":""})"}, 2,
        "\"user_id\" is empty");
    row("joined with fractional seconds", "join_chat",
        {protocol::encodeChatState(u"foobar", {}),
         R"({"record":"joined","chat_name":"foobar","user_name":"hoser","user_id":"u1","timestamp":"2024-01-01T00:00:00.250Z","sequence":1})"},
        2, "YYYY-MM-DDTHH:MM:SSZ");
    row("chat_state lists the joiner", "join_chat",
        {protocol::encodeChatState(
             u"foobar", {protocol::ChatUser{QStringLiteral("hoser"), QStringLiteral("u1")}}),
         protocol::encodeJoined(u"foobar", u"hoser", u"u1", ts, 1)},
        2, "lists the joiner");
    row("sequence does not increase", "chat_message",
        {protocol::encodeChatMessage(u"foobar", u"u1", u"text/plain", u"I like cats", ts, 1)}, 2,
        "not above the previous 1");
    row("message for a chat not joined", "chat_message",
        {protocol::encodeChatMessage(u"elsewhere", u"u9", u"text/plain", u"hi", ts, 2)}, 2,
        "\"elsewhere\" which this client has not joined");
    row("ping_reply nobody asked for", "chat_message",
        {protocol::encodeChatMessage(u"foobar", u"u1", u"text/plain", u"I like cats", ts, 2),
         protocol::encodePingReply(), protocol::encodePingReply()},
        2, "ping_reply without a ping");
    row("server_goodbye too early", "authenticate",
        {protocol::encodeAuthenticated(u"u1"), protocol::encodeServerGoodbye()}, 2,
        "server_goodbye before the client sent client_goodbye");
    row("sequence is a string", "leave_chat",
        {R"({"record":"left","chat_name":"foobar","user_id":"u1","timestamp":"2024-01-01T00:00:00Z","sequence":"3"})"},
        2, "not an integer");
    row("protocol_error ends the run", "client_hello",
        {protocol::encodeProtocolError(protocol::ErrorCode::InvalidHello, u"go away")}, 3,
        "CHAT-001");
}

void TestFlackClient::strictValidation()
{
    QFETCH(QString, clientRecord);
    QFETCH(QByteArrayList, replies);
    QFETCH(int, exitCode);
    QFETCH(QString, mentions);

    Replies script = conformingReplies();
    if (!clientRecord.isEmpty())
        script.insert(clientRecord, replies);
    FakeServer server(script);
    QVERIFY(server.listen());

    QProcess client;
    client.start(clientBinary(), {QStringLiteral("--url=") + server.url(),
                                  QStringLiteral("--count=1"), QStringLiteral("--delay=0")});
    QVERIFY(client.waitForStarted(10000));
    // The fake server lives in this thread: wait by spinning the event loop, not by blocking.
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == QProcess::NotRunning, 20000);
    const QString errors = QString::fromUtf8(client.readAllStandardError());
    QVERIFY2(client.exitStatus() == QProcess::NormalExit, qPrintable(errors));
    QVERIFY2(client.exitCode() == exitCode,
             qPrintable(QStringLiteral("exit %1: ").arg(client.exitCode()) + errors));
    QVERIFY2(errors.contains(mentions), qPrintable(errors));
    if (exitCode == 2)
        QVERIFY2(errors.contains(QStringLiteral("protocol violation")), qPrintable(errors));
}

QTEST_GUILESS_MAIN(TestFlackClient)
#include "tst_flackclient.moc"
