// Strict decoding of server records: every record in its exact form passes; each way of
// breaking the rules (missing/unknown key, wrong type, empty string, bad timestamp, fractional
// sequence, malformed chat_user) is rejected with a message naming what broke.

#include "shared/serverrecord.h"
#include "shared/serverrecordencoder.h"

#include <QTest>

using namespace flack::protocol;

class TestServerRecord : public QObject
{
    Q_OBJECT
private slots:
    void acceptsExactRecords_data();
    void acceptsExactRecords();
    void rejectsViolations_data();
    void rejectsViolations();
    void decodesFields();
    void roundTripsEncoder();
};

void TestServerRecord::acceptsExactRecords_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("type");
    const auto row = [](const char *name, const char *json, ServerRecordType type) {
        QTest::newRow(name) << QByteArray(json) << int(type);
    };
    row("server_hello", R"({"record":"server_hello","protocol_version":"1.0"})",
        ServerRecordType::ServerHello);
    row("protocol_error", R"({"record":"protocol_error","code":"CHAT-001","reason":"no"})",
        ServerRecordType::ProtocolError);
    row("authenticated", R"({"record":"authenticated","user_id":"abc"})",
        ServerRecordType::Authenticated);
    row("chat_state empty", R"({"record":"chat_state","chat_name":"c","users":[]})",
        ServerRecordType::ChatState);
    row("chat_state two",
        R"({"record":"chat_state","chat_name":"c","users":[{"record":"chat_user","user_name":"a","user_id":"1"},{"user_id":"2","record":"chat_user","user_name":"b"}]})",
        ServerRecordType::ChatState);
    row("joined",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-02-29T23:59:59Z","sequence":1})",
        ServerRecordType::Joined);
    row("chat_message key order free",
        R"({"sequence":7,"timestamp":"2024-01-01T00:00:00Z","message":"hi \"you\"\n","mime_type":"text/plain","user_id":"1","chat_name":"c","record":"chat_message"})",
        ServerRecordType::ChatMessage);
    row("left",
        R"({"record":"left","chat_name":"c","user_id":"1","timestamp":"2024-01-01T00:00:00Z","sequence":3})",
        ServerRecordType::Left);
    row("ping_reply", R"({"record":"ping_reply"})", ServerRecordType::PingReply);
    row("server_goodbye", R"( { "record" : "server_goodbye" } )", ServerRecordType::ServerGoodbye);
}

void TestServerRecord::acceptsExactRecords()
{
    QFETCH(QByteArray, json);
    QFETCH(int, type);
    const ServerDecodeResult result = decodeServerRecord(json);
    QVERIFY2(result.ok, qPrintable(result.violation));
    QCOMPARE(int(result.record.type), type);
}

void TestServerRecord::rejectsViolations_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    const auto row = [](const char *name, const char *json, const char *mentions) {
        QTest::newRow(name) << QByteArray(json) << QString::fromUtf8(mentions);
    };
    row("not json", "{nope", "not valid JSON");
    row("array", "[1,2]", "not a JSON object");
    row("no record", R"({"code":"x"})", "record");
    row("record not string", R"({"record":5})", "record");
    row("unknown record", R"({"record":"hello"})", "unknown record \"hello\"");
    row("client record", R"({"record":"ping"})", "unknown record \"ping\"");
    row("extra key", R"({"record":"ping_reply","x":1})", "unknown key \"x\"");
    // Found by tests/fuzz (fuzz_server_record): a lone \ud800 escape decoded to an unpaired
    // surrogate, which re-encodes as U+FFFD.
    row("unpaired surrogate", R"({"record":"authenticated","user_id":"u\ud800"})",
        "unpaired surrogate");
    row("unpaired surrogate in chat_user",
        R"({"record":"chat_state","chat_name":"c","users":[)"
        R"({"record":"chat_user","user_name":"\udc00","user_id":"u"}]})",
        "unpaired surrogate");
    row("hello missing version", R"({"record":"server_hello"})",
        "missing key \"protocol_version\"");
    row("hello wrong version", R"({"record":"server_hello","protocol_version":"2.0"})", "\"2.0\"");
    row("hello version number", R"({"record":"server_hello","protocol_version":1.0})",
        "not a string");
    // docs/protocol.md: no server value is empty unless stated, and a message's text is not.
    row("chat_message empty text",
        R"({"record":"chat_message","chat_name":"c","user_id":"1","mime_type":"text/plain","message":"","timestamp":"2024-01-01T00:00:00Z","sequence":0})",
        "\"message\" is empty");
    row("error empty code", R"({"record":"protocol_error","code":"","reason":"r"})",
        "\"code\" is empty");
    row("authenticated empty id", R"({"record":"authenticated","user_id":""})",
        "\"user_id\" is empty");
    row("authenticated null id", R"({"record":"authenticated","user_id":null})", "null");
    row("chat_state users object", R"({"record":"chat_state","chat_name":"c","users":{}})",
        "not a list");
    row("chat_state user without record",
        R"({"record":"chat_state","chat_name":"c","users":[{"user_name":"a","user_id":"1"}]})",
        "users\"[0]");
    row("chat_state user extra key",
        R"({"record":"chat_state","chat_name":"c","users":[{"record":"chat_user","user_name":"a","user_id":"1","x":2}]})",
        "unknown key \"x\"");
    row("chat_state user empty name",
        R"({"record":"chat_state","chat_name":"c","users":[{"record":"chat_user","user_name":"","user_id":"1"}]})",
        "user_name");
    row("chat_state empty chat", R"({"record":"chat_state","chat_name":"","users":[]})",
        "\"chat_name\" is empty");
    row("joined fractional seconds",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-01-01T00:00:00.5Z","sequence":1})",
        "YYYY-MM-DDTHH:MM:SSZ");
    row("joined offset timestamp",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-01-01T00:00:00+00:00","sequence":1})",
        "timestamp");
    row("joined impossible date",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2023-02-29T00:00:00Z","sequence":1})",
        "timestamp");
    row("joined sequence string",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-01-01T00:00:00Z","sequence":"1"})",
        "not an integer");
    row("joined sequence fraction",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-01-01T00:00:00Z","sequence":1.5})",
        "not an integer");
    row("joined missing sequence",
        R"({"record":"joined","chat_name":"c","user_name":"a","user_id":"1","timestamp":"2024-01-01T00:00:00Z"})",
        "missing key \"sequence\"");
    row("message wrong mime",
        R"({"record":"chat_message","chat_name":"c","user_id":"1","mime_type":"text/html","message":"m","timestamp":"2024-01-01T00:00:00Z","sequence":1})",
        "text/plain");
    row("message text number",
        R"({"record":"chat_message","chat_name":"c","user_id":"1","mime_type":"text/plain","message":5,"timestamp":"2024-01-01T00:00:00Z","sequence":1})",
        "\"message\" is a number");
    row("message extra user_name",
        R"({"record":"chat_message","chat_name":"c","user_id":"1","user_name":"a","mime_type":"text/plain","message":"m","timestamp":"2024-01-01T00:00:00Z","sequence":1})",
        "unknown key \"user_name\"");
    row("left empty user",
        R"({"record":"left","chat_name":"c","user_id":"","timestamp":"2024-01-01T00:00:00Z","sequence":1})",
        "\"user_id\" is empty");
}

void TestServerRecord::rejectsViolations()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const ServerDecodeResult result = decodeServerRecord(json);
    QVERIFY(!result.ok);
    QVERIFY2(result.violation.contains(mentions),
             qPrintable(result.violation + QStringLiteral(" / expected to mention: ") + mentions));
}

void TestServerRecord::decodesFields()
{
    const ServerDecodeResult result = decodeServerRecord(
        R"({"record":"chat_state","chat_name":"ch\u00e4t","users":[{"record":"chat_user","user_name":"a","user_id":"1"}]})");
    QVERIFY(result.ok);
    QCOMPARE(result.record.chatName, QStringLiteral("ch\u00e4t"));
    QCOMPARE(result.record.users.size(), 1);
    QCOMPARE(result.record.users.first().userName, QStringLiteral("a"));
    QCOMPARE(result.record.users.first().userId, QStringLiteral("1"));
}

void TestServerRecord::roundTripsEncoder()
{
    // The server's encoder and this decoder are two halves of one protocol: they must agree.
    const QByteArray ts = "2024-05-06T07:08:09Z";
    const QString text = QStringLiteral("quote \" backslash \\ newline \n \u00e9");
    const QList<QByteArray> records{
        encodeServerHello(),
        encodeProtocolError(ErrorCode::Malformed, u"bad"),
        encodeAuthenticated(u"0123456789abcdef0123456789abcdef"),
        encodeChatState(u"c", {ChatUser{QStringLiteral("a"), QStringLiteral("1")}}),
        encodeJoined(u"c", u"a", u"1", ts, 1),
        encodeChatMessage(u"c", u"1", u"text/plain", text, ts, 2),
        encodeLeft(u"c", u"1", ts, 3),
        encodePingReply(),
        encodeServerGoodbye(),
    };
    for (const QByteArray &json : records) {
        const ServerDecodeResult result = decodeServerRecord(json);
        QVERIFY2(result.ok, qPrintable(result.violation + u' ' + QString::fromUtf8(json)));
    }
    const ServerDecodeResult message = decodeServerRecord(records.at(5));
    QCOMPARE(message.record.message, text);
    QCOMPARE(message.record.sequence, 2);
    QCOMPARE(message.record.timestamp, QString::fromLatin1(ts));
}

QTEST_GUILESS_MAIN(TestServerRecord)
#include "tst_serverrecord.moc"
