// decodeClientRecord is the server's only gate for client input: every malformed frame must map
// to exactly the protocol_error code docs/protocol.md documents (clients switch on the codes), and
// every valid one must decode to exactly the fields sent, byte-exact.

#include "shared/clientrecord.h"
#include "shared/errorcode.h"

#include <QTest>

using namespace flack::protocol;

Q_DECLARE_METATYPE(flack::protocol::ErrorCode)
Q_DECLARE_METATYPE(flack::protocol::ClientRecordType)

namespace {

QString fromUtf16(std::initializer_list<char16_t> units)
{
    return QString(reinterpret_cast<const QChar *>(units.begin()), qsizetype(units.size()));
}

// JSON values of every type but string, for "wrong-typed field" rows.
const QList<std::pair<const char *, QByteArray>> &nonStrings()
{
    static const QList<std::pair<const char *, QByteArray>> values{
        {"number", "1"},
        {"float", "1.0"},
        {"null", "null"},
        {"empty array", "[]"},
        {"string array", "[\"x\"]"},
        {"object", "{}"},
        {"bool true", "true"},
        {"bool false", "false"},
    };
    return values;
}

// Adds rows for one field: missing, every wrong type and (when names must be non-empty) "".
// `prefix` holds the record and its other fields, all valid, so only this field is at fault.
void addFieldRows(const char *label, const QByteArray &prefix, const QByteArray &key,
                  ErrorCode expected, bool emptyIsInvalid)
{
    QTest::addRow("%s: %s missing", label, key.constData()) << QByteArray(prefix + '}') << expected;
    for (const auto &[typeName, value] : nonStrings()) {
        QTest::addRow("%s: %s is %s", label, key.constData(), typeName)
            << QByteArray(prefix + ",\"" + key + "\":" + value + '}') << expected;
    }
    if (emptyIsInvalid) {
        QTest::addRow("%s: %s empty", label, key.constData())
            << QByteArray(prefix + ",\"" + key + "\":\"\"}") << expected;
    }
}

} // namespace

class TestClientRecord : public QObject
{
    Q_OBJECT

private slots:
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("expected");

        // Not a JSON object with a string "record": CHAT_PROTOCOL-001.
        const ErrorCode malformed = ErrorCode::Malformed;
        QTest::newRow("empty") << QByteArray() << malformed;
        QTest::newRow("whitespace only") << QByteArray(" \n\t") << malformed;
        QTest::newRow("not JSON") << QByteArray("hello") << malformed;
        QTest::newRow("single quotes") << QByteArray("{'record':'ping'}") << malformed;
        QTest::newRow("truncated after value") << QByteArray("{\"record\":\"ping\"") << malformed;
        QTest::newRow("truncated in string") << QByteArray("{\"record\":\"pi") << malformed;
        QTest::newRow("truncated after colon") << QByteArray("{\"record\":") << malformed;
        QTest::newRow("open brace only") << QByteArray("{") << malformed;
        QTest::newRow("trailing comma") << QByteArray("{\"record\":\"ping\",}") << malformed;
        QTest::newRow("garbage after object") << QByteArray("{\"record\":\"ping\"}x") << malformed;
        QTest::newRow("two objects")
            << QByteArray("{\"record\":\"ping\"}{\"record\":\"ping\"}") << malformed;
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"record\":\"ping\",\"x\":\"\xff\xfe\"}") << malformed;
        QTest::newRow("BOM between tokens")
            << QByteArray("{\"record\":\xEF\xBB\xBF\"ping\"}") << malformed;
        QTest::newRow("JSON array") << QByteArray("[{\"record\":\"ping\"}]") << malformed;
        QTest::newRow("empty array") << QByteArray("[]") << malformed;
        QTest::newRow("JSON string") << QByteArray("\"ping\"") << malformed;
        QTest::newRow("JSON number") << QByteArray("42") << malformed;
        QTest::newRow("JSON null") << QByteArray("null") << malformed;
        QTest::newRow("JSON bool") << QByteArray("true") << malformed;
        QTest::newRow("empty object") << QByteArray("{}") << malformed;
        QTest::newRow("object without record")
            << QByteArray("{\"protocol_version\":\"1.0\"}") << malformed;
        QTest::newRow("record key with other case")
            << QByteArray("{\"Record\":\"ping\"}") << malformed;
        for (const auto &[typeName, value] : nonStrings()) {
            QTest::addRow("record is %s", typeName)
                << QByteArray("{\"record\":" + value + '}') << malformed;
        }
        QTest::newRow("record empty") << QByteArray("{\"record\":\"\"}") << malformed;
        QTest::newRow("unknown record") << QByteArray("{\"record\":\"hello\"}") << malformed;
        QTest::newRow("record in upper case") << QByteArray("{\"record\":\"PING\"}") << malformed;
        QTest::newRow("record with trailing space")
            << QByteArray("{\"record\":\"ping \"}") << malformed;
        QTest::newRow("server record from a client")
            << QByteArray("{\"record\":\"server_hello\",\"protocol_version\":\"1.0\"}")
            << malformed;
        QTest::newRow("ping_reply from a client")
            << QByteArray("{\"record\":\"ping_reply\"}") << malformed;
        QTest::newRow("very long unknown record")
            << QByteArray("{\"record\":\"" + QByteArray(10000, 'x') + "\"}") << malformed;

        // client_hello without a string protocol_version: CHAT-001.
        addFieldRows("client_hello", "{\"record\":\"client_hello\"", "protocol_version",
                     ErrorCode::InvalidHello, false);

        // authenticate without a valid user_name: CHAT_PROTOCOL-004.
        addFieldRows("authenticate", "{\"record\":\"authenticate\"", "user_name",
                     ErrorCode::InvalidUserName, true);
        addFieldRows("authenticate with id", "{\"record\":\"authenticate\",\"user_id\":\"abc\"",
                     "user_name", ErrorCode::InvalidUserName, true);
        // user_id is optional but, when present, a string; any other type is malformed.
        for (const auto &[typeName, value] : nonStrings()) {
            QTest::addRow("authenticate: user_id is %s", typeName)
                << QByteArray("{\"record\":\"authenticate\",\"user_name\":\"bob\",\"user_id\":" +
                              value + '}')
                << malformed;
        }

        // join_chat without a valid chat_name: CHAT_PROTOCOL-005.
        addFieldRows("join_chat", "{\"record\":\"join_chat\"", "chat_name",
                     ErrorCode::InvalidChatName, true);

        // chat_message with an invalid chat_name, mime_type or message: CHAT_PROTOCOL-007.
        const ErrorCode badMessage = ErrorCode::InvalidChatMessage;
        addFieldRows("chat_message",
                     "{\"record\":\"chat_message\",\"mime_type\":\"text/plain\",\"message\":\"hi\"",
                     "chat_name", badMessage, true);
        addFieldRows("chat_message",
                     "{\"record\":\"chat_message\",\"chat_name\":\"c\",\"message\":\"hi\"",
                     "mime_type", badMessage, true);
        addFieldRows(
            "chat_message",
            "{\"record\":\"chat_message\",\"chat_name\":\"c\",\"mime_type\":\"text/plain\"",
            "message", badMessage, true);
        const QList<QByteArray> wrongMimeTypes{"text/html",
                                               "TEXT/PLAIN",
                                               "text/plain ",
                                               " text/plain",
                                               "text/plain; charset=utf-8",
                                               "application/json",
                                               "text"};
        for (const QByteArray &mime : wrongMimeTypes) {
            QTest::addRow("chat_message: mime_type \"%s\"", mime.constData())
                << QByteArray("{\"record\":\"chat_message\",\"chat_name\":\"c\",\"mime_type\":\"" +
                              mime + "\",\"message\":\"hi\"}")
                << badMessage;
        }

        // leave_chat without a valid chat_name cannot name a joined chat: CHAT_PROTOCOL-008.
        addFieldRows("leave_chat", "{\"record\":\"leave_chat\"", "chat_name", ErrorCode::NotJoined,
                     true);

        // Found by tests/fuzz (fuzz_client_record): Qt's parser makes a lone \ud800 escape an
        // unpaired surrogate, which the server relayed as U+FFFD (another name than the stored).
        const QList<std::pair<QByteArray, ErrorCode>> unpaired{
            {R"({"record":"client_hello","protocol_version":"1.0\ud800"})",
             ErrorCode::InvalidHello},
            {R"({"record":"authenticate","user_name":"\udc00"})", ErrorCode::InvalidUserName},
            {R"({"record":"authenticate","user_name":"a","user_id":"x\ud83d"})", malformed},
            {R"({"record":"join_chat","chat_name":"\ud83dx"})", ErrorCode::InvalidChatName},
            {R"({"record":"chat_message","chat_name":"\ude00\ud83d","mime_type":"text/plain",)"
             R"("message":"hi"})",
             badMessage},
            {R"({"record":"chat_message","chat_name":"c","mime_type":"text/plain",)"
             R"("message":"\ud800\ud800"})",
             badMessage},
            {R"({"record":"leave_chat","chat_name":"\udfff"})", ErrorCode::NotJoined},
        };
        for (const auto &[json, code] : unpaired)
            QTest::addRow("unpaired surrogate: %s", json.constData()) << json << code;
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, expected);
        const ClientDecodeResult result = decodeClientRecord(json);
        QVERIFY2(!result.ok, json.left(200).constData());
        QCOMPARE(errorCodeString(result.error), errorCodeString(expected));
        QVERIFY(!result.reason.isEmpty());
        // Reasons go back to the client in protocol_error; an attacker-sized record name must
        // not be echoed in full.
        QVERIFY(result.reason.size() < 500);
    }

    void valid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ClientRecordType>("type");
        QTest::addColumn<QString>("protocolVersion");
        QTest::addColumn<QString>("userName");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QString>("chatName");
        QTest::addColumn<QString>("mimeType");
        QTest::addColumn<QString>("message");
        const QString none;
        const QString plain = QStringLiteral("text/plain");

        QTest::newRow("client_hello 1.0")
            << QByteArray("{\"record\":\"client_hello\",\"protocol_version\":\"1.0\"}")
            << ClientRecordType::ClientHello << QStringLiteral("1.0") << none << none << none
            << none << none;
        // The version's value is the session's call (CHAT-002), not the decoder's.
        QTest::newRow("client_hello 2.0")
            << QByteArray("{\"protocol_version\":\"2.0\",\"record\":\"client_hello\"}")
            << ClientRecordType::ClientHello << QStringLiteral("2.0") << none << none << none
            << none << none;
        QTest::newRow("client_hello empty version")
            << QByteArray("{\"record\":\"client_hello\",\"protocol_version\":\"\"}")
            << ClientRecordType::ClientHello << QString() << none << none << none << none << none;
        QTest::newRow("authenticate without user_id")
            << QByteArray("{\"record\":\"authenticate\",\"user_name\":\"alice\"}")
            << ClientRecordType::Authenticate << none << QStringLiteral("alice") << none << none
            << none << none;
        QTest::newRow("authenticate with user_id")
            << QByteArray("{\"record\":\"authenticate\",\"user_name\":\"alice\","
                          "\"user_id\":\"0123456789abcdef0123456789abcdef\"}")
            << ClientRecordType::Authenticate << none << QStringLiteral("alice")
            << QStringLiteral("0123456789abcdef0123456789abcdef") << none << none << none;
        QTest::newRow("authenticate with empty user_id")
            << QByteArray("{\"record\":\"authenticate\",\"user_name\":\"alice\",\"user_id\":\"\"}")
            << ClientRecordType::Authenticate << none << QStringLiteral("alice") << QString()
            << none << none << none;
        QTest::newRow("authenticate unicode name, raw UTF-8")
            << QByteArray("{\"record\":\"authenticate\",\"user_name\":\"\xf0\x9f\x98\x80 "
                          "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xe4\xbd\xa0\"}")
            << ClientRecordType::Authenticate << none
            << fromUtf16({0xd83d, 0xde00, 0x20, 0x05e9, 0x05dc, 0x05d5, 0x05dd, 0x20, 0x4f60})
            << none << none << none << none;
        QTest::newRow("authenticate unicode name, escaped")
            << QByteArray(
                   "{\"record\":\"authenticate\",\"user_name\":\"\\ud83d\\ude00\\u00e9\\\"\"}")
            << ClientRecordType::Authenticate << none << fromUtf16({0xd83d, 0xde00, 0xe9, 0x22})
            << none << none << none << none;
        QTest::newRow("join_chat")
            << QByteArray("{\"record\":\"join_chat\",\"chat_name\":\"lobby\"}")
            << ClientRecordType::JoinChat << none << none << none << QStringLiteral("lobby") << none
            << none;
        QTest::newRow("join_chat whitespace name")
            << QByteArray("{\"record\":\"join_chat\",\"chat_name\":\" \"}")
            << ClientRecordType::JoinChat << none << none << none << QStringLiteral(" ") << none
            << none;
        QTest::newRow("chat_message")
            << QByteArray("{\"record\":\"chat_message\",\"chat_name\":\"lobby\","
                          "\"mime_type\":\"text/plain\",\"message\":\"hi \\\"all\\\"\\n\\\\\"}")
            << ClientRecordType::ChatMessage << none << none << none << QStringLiteral("lobby")
            << plain << QStringLiteral("hi \"all\"\n\\");
        QTest::newRow("chat_message controls escaped")
            << QByteArray("{\"record\":\"chat_message\",\"chat_name\":\"c\","
                          "\"mime_type\":\"text/plain\",\"message\":\"\\u0001\\t\\u001f\"}")
            << ClientRecordType::ChatMessage << none << none << none << QStringLiteral("c") << plain
            << (QChar(0x01) + QStringLiteral("\t") + QChar(0x1f));
        // A message starting with U+FEFF keeps it: Qt's parser alone would drop it.
        QTest::newRow("chat_message leading raw BOM")
            << QByteArray(
                   "{\"record\":\"chat_message\",\"chat_name\":\"\xEF\xBB\xBF"
                   "c\","
                   "\"mime_type\":\"text/plain\",\"message\":\"\xEF\xBB\xBFhi\xEF\xBB\xBF\"}")
            << ClientRecordType::ChatMessage << none << none << none << fromUtf16({0xfeff, 0x63})
            << plain << fromUtf16({0xfeff, 0x68, 0x69, 0xfeff});
        QTest::newRow("leave_chat")
            << QByteArray("{\"record\":\"leave_chat\",\"chat_name\":\"\xe4\xbd\xa0\"}")
            << ClientRecordType::LeaveChat << none << none << none << fromUtf16({0x4f60}) << none
            << none;
        QTest::newRow("ping") << QByteArray("{\"record\":\"ping\"}") << ClientRecordType::Ping
                              << none << none << none << none << none << none;
        QTest::newRow("client_goodbye")
            << QByteArray("{\"record\":\"client_goodbye\"}") << ClientRecordType::ClientGoodbye
            << none << none << none << none << none << none;
        // The original server ignored unknown keys; so do we.
        QTest::newRow("extra keys ignored")
            << QByteArray("{\"record\":\"join_chat\",\"chat_name\":\"x\",\"user_id\":5,"
                          "\"extra\":{\"a\":[1,2]},\"timestamp\":null}")
            << ClientRecordType::JoinChat << none << none << none << QStringLiteral("x") << none
            << none;
        QTest::newRow("whitespace around tokens")
            << QByteArray(" \r\n{ \"record\" :\t\"ping\" }\n") << ClientRecordType::Ping << none
            << none << none << none << none << none;
        QTest::newRow("leading document BOM")
            << QByteArray("\xEF\xBB\xBF{\"record\":\"ping\"}") << ClientRecordType::Ping << none
            << none << none << none << none << none;
    }

    void valid()
    {
        QFETCH(QByteArray, json);
        QFETCH(ClientRecordType, type);
        QFETCH(QString, protocolVersion);
        QFETCH(QString, userName);
        QFETCH(QString, userId);
        QFETCH(QString, chatName);
        QFETCH(QString, mimeType);
        QFETCH(QString, message);
        const ClientDecodeResult result = decodeClientRecord(json);
        QVERIFY2(result.ok, qPrintable(result.reason));
        QCOMPARE(clientRecordName(result.record.type), clientRecordName(type));
        QCOMPARE(result.record.protocolVersion, protocolVersion);
        QCOMPARE(result.record.userName, userName);
        QCOMPARE(result.record.userId, userId);
        QCOMPARE(result.record.chatName, chatName);
        QCOMPARE(result.record.mimeType, mimeType);
        QCOMPARE(result.record.message, message);
        // Byte-exact, not just equal after normalisation.
        QCOMPARE(result.record.message.toUtf8(), message.toUtf8());
        QCOMPARE(result.record.chatName.toUtf8(), chatName.toUtf8());
    }

    void decodesFromAView()
    {
        // The frame is passed as a view into a larger buffer; only the viewed bytes count.
        const QByteArray buffer("{\"record\":\"ping\"}{\"record\":\"nonsense\"}");
        const ClientDecodeResult result = decodeClientRecord(QByteArrayView(buffer).first(17));
        QVERIFY2(result.ok, qPrintable(result.reason));
        QCOMPARE(clientRecordName(result.record.type), QLatin1StringView("ping"));
    }

    void recordNames_data()
    {
        QTest::addColumn<ClientRecordType>("type");
        QTest::addColumn<QString>("name");
        QTest::newRow("client_hello")
            << ClientRecordType::ClientHello << QStringLiteral("client_hello");
        QTest::newRow("authenticate")
            << ClientRecordType::Authenticate << QStringLiteral("authenticate");
        QTest::newRow("join_chat") << ClientRecordType::JoinChat << QStringLiteral("join_chat");
        QTest::newRow("chat_message")
            << ClientRecordType::ChatMessage << QStringLiteral("chat_message");
        QTest::newRow("leave_chat") << ClientRecordType::LeaveChat << QStringLiteral("leave_chat");
        QTest::newRow("ping") << ClientRecordType::Ping << QStringLiteral("ping");
        QTest::newRow("client_goodbye")
            << ClientRecordType::ClientGoodbye << QStringLiteral("client_goodbye");
    }

    void recordNames()
    {
        QFETCH(ClientRecordType, type);
        QFETCH(QString, name);
        QCOMPARE(QString(clientRecordName(type)), name);
        // The wire name decodes back to the same type (with its required fields supplied).
        const QByteArray json =
            "{\"record\":\"" + name.toLatin1() +
            "\",\"protocol_version\":\"1.0\",\"user_name\":\"u\",\"chat_name\":\"c\","
            "\"mime_type\":\"text/plain\",\"message\":\"m\"}";
        const ClientDecodeResult result = decodeClientRecord(json);
        QVERIFY2(result.ok, qPrintable(result.reason));
        QCOMPARE(result.record.type, type);
    }
};

QTEST_APPLESS_MAIN(TestClientRecord)
#include "tst_clientrecord.moc"
