// Every server record must carry exactly its documented key set (docs/protocol.md): the original
// reference client rejects a record with an unknown key, and a missing key breaks every client.
// The encoder's output is judged by QJsonDocument, independently of the writer that produced it.

#include "shared/errorcode.h"
#include "shared/serverrecordencoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace flack::protocol;

Q_DECLARE_METATYPE(flack::protocol::ErrorCode)

namespace {

QString fromUtf16(std::initializer_list<char16_t> units)
{
    return QString(reinterpret_cast<const QChar *>(units.begin()), qsizetype(units.size()));
}

QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// Strings the protocol says must survive byte-exact: quotes, backslashes, newlines, controls,
// emoji outside the BMP, right-to-left text, CJK, and a leading U+FEFF.
QString nastyString()
{
    return QStringLiteral("q\"b\\n\n\tc") + QChar(0x01) + QChar(0x1f) +
           fromUtf16({0xd83d, 0xde00, 0x20, 0x05e9, 0x05dc, 0x05d5, 0x05dd, 0x20, 0x4f60, 0x597d});
}

} // namespace

// Parses one encoded record, failing the calling test unless it is a compact JSON object.
#define PARSE_RECORD(json, RESULT_)                                                                \
    QJsonObject RESULT_;                                                                           \
    do {                                                                                           \
        QJsonParseError error_;                                                                    \
        const QJsonDocument doc_ = QJsonDocument::fromJson(json, &error_);                         \
        QVERIFY2(                                                                                  \
            error_.error == QJsonParseError::NoError,                                              \
            qPrintable(error_.errorString() + QLatin1String(": ") + QString::fromUtf8(json)));     \
        QVERIFY2(doc_.isObject(), (json).constData());                                             \
        /* One websocket text frame per record: no raw newlines, no pretty-printing. */            \
        QVERIFY(!(json).contains('\n'));                                                           \
        RESULT_ = doc_.object();                                                                   \
    } while (false)

#define VERIFY_STRING(object, key, expected)                                                       \
    do {                                                                                           \
        const QJsonValue v_ = (object).value(QLatin1StringView(key));                              \
        QVERIFY2(v_.isString(), key);                                                              \
        QCOMPARE(v_.toString(), expected);                                                         \
        QCOMPARE(v_.toString().toUtf8(), QString(expected).toUtf8());                              \
    } while (false)

#define VERIFY_INTEGER(object, key, expected)                                                      \
    do {                                                                                           \
        const QJsonValue v_ = (object).value(QLatin1StringView(key));                              \
        QVERIFY2(v_.isDouble(), key);                                                              \
        QCOMPARE(v_.toInteger(-1), qint64(expected));                                              \
    } while (false)

class TestServerRecordEncoder : public QObject
{
    Q_OBJECT

private slots:
    void serverHello()
    {
        const QByteArray json = encodeServerHello();
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object),
                 sorted({QStringLiteral("record"), QStringLiteral("protocol_version")}));
        VERIFY_STRING(object, "record", QStringLiteral("server_hello"));
        VERIFY_STRING(object, "protocol_version", QStringLiteral("1.0"));
        // docs/protocol.md quotes this record verbatim.
        QCOMPARE(json, QByteArray("{\"record\":\"server_hello\",\"protocol_version\":\"1.0\"}"));
    }

    void protocolError_data()
    {
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("codeString");
        QTest::newRow("CHAT-001") << ErrorCode::InvalidHello << QStringLiteral("CHAT-001");
        QTest::newRow("CHAT-002") << ErrorCode::UnsupportedVersion << QStringLiteral("CHAT-002");
        QTest::newRow("CHAT-003") << ErrorCode::UnexpectedFrameType << QStringLiteral("CHAT-003");
        QTest::newRow("CHAT_PROTOCOL-001")
            << ErrorCode::Malformed << QStringLiteral("CHAT_PROTOCOL-001");
        QTest::newRow("CHAT_PROTOCOL-005")
            << ErrorCode::InvalidChatName << QStringLiteral("CHAT_PROTOCOL-005");
        QTest::newRow("CHAT_PROTOCOL-008")
            << ErrorCode::NotJoined << QStringLiteral("CHAT_PROTOCOL-008");
        QTest::newRow("CHAT_LIMIT-001")
            << ErrorCode::MessageTooLarge << QStringLiteral("CHAT_LIMIT-001");
        QTest::newRow("CHAT_LIMIT-004")
            << ErrorCode::TooManyRooms << QStringLiteral("CHAT_LIMIT-004");
    }

    void protocolError()
    {
        QFETCH(ErrorCode, code);
        QFETCH(QString, codeString);
        const QStringList keys =
            sorted({QStringLiteral("record"), QStringLiteral("code"), QStringLiteral("reason")});

        // A specific reason is sent as given (CHAT-002's reason names the version, say).
        const QString reason =
            QStringLiteral("protocol_version \"2.0\" is not supported\n") + nastyString();
        const QByteArray json = encodeProtocolError(code, reason);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), keys);
        VERIFY_STRING(object, "record", QStringLiteral("protocol_error"));
        VERIFY_STRING(object, "code", codeString);
        VERIFY_STRING(object, "reason", reason);

        // No reason given: the default one, never an empty string (keys are non-empty).
        const QByteArray fallback = encodeProtocolError(code, {});
        PARSE_RECORD(fallback, defaulted);
        QCOMPARE(sortedKeys(defaulted), keys);
        VERIFY_STRING(defaulted, "code", codeString);
        VERIFY_STRING(defaulted, "reason", QString(defaultReason(code)));
        QVERIFY(!defaulted.value(QLatin1StringView("reason")).toString().isEmpty());
    }

    void authenticated_data()
    {
        QTest::addColumn<QString>("userId");
        QTest::newRow("generated shape") << QStringLiteral("0123456789abcdef0123456789abcdef");
        QTest::newRow("client-chosen") << QStringLiteral("alice-42");
        QTest::newRow("unicode") << nastyString();
    }

    void authenticated()
    {
        QFETCH(QString, userId);
        const QByteArray json = encodeAuthenticated(userId);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), sorted({QStringLiteral("record"), QStringLiteral("user_id")}));
        VERIFY_STRING(object, "record", QStringLiteral("authenticated"));
        VERIFY_STRING(object, "user_id", userId);
    }

    void chatState_data()
    {
        QTest::addColumn<QString>("chatName");
        QTest::addColumn<QList<ChatUser>>("users");
        QTest::newRow("no users") << QStringLiteral("lobby") << QList<ChatUser>{};
        QTest::newRow("one user") << QStringLiteral("lobby")
                                  << QList<ChatUser>{
                                         {QStringLiteral("alice"), QStringLiteral("aaaa")}};
        QTest::newRow("several users, order kept")
            << fromUtf16({0x804a, 0x5929, 0x5ba4})
            << QList<ChatUser>{{QStringLiteral("carol"), QStringLiteral("c1")},
                               {QStringLiteral("alice"), QStringLiteral("a1")},
                               {nastyString(), QStringLiteral("0123456789abcdef0123456789abcdef")},
                               {QStringLiteral("bob \"the\" builder"), QStringLiteral("b\\1")}};
        QTest::newRow("nasty chat name")
            << nastyString() << QList<ChatUser>{{QStringLiteral("x"), QStringLiteral("y")}};
    }

    void chatState()
    {
        QFETCH(QString, chatName);
        QFETCH(QList<ChatUser>, users);
        const QByteArray json = encodeChatState(chatName, users);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), sorted({QStringLiteral("record"), QStringLiteral("chat_name"),
                                             QStringLiteral("users")}));
        VERIFY_STRING(object, "record", QStringLiteral("chat_state"));
        VERIFY_STRING(object, "chat_name", chatName);
        QVERIFY(object.value(QLatin1StringView("users")).isArray());
        const QJsonArray list = object.value(QLatin1StringView("users")).toArray();
        QCOMPARE(list.size(), users.size());
        const QStringList userKeys = sorted(
            {QStringLiteral("record"), QStringLiteral("user_name"), QStringLiteral("user_id")});
        for (qsizetype i = 0; i < users.size(); ++i) {
            QVERIFY(list.at(i).isObject());
            const QJsonObject user = list.at(i).toObject();
            QCOMPARE(sortedKeys(user), userKeys);
            VERIFY_STRING(user, "record", QStringLiteral("chat_user"));
            VERIFY_STRING(user, "user_name", users.at(i).userName);
            VERIFY_STRING(user, "user_id", users.at(i).userId);
        }
    }

    // The owner's way (entries encoded one by one, kept as an array) writes the same bytes.
    void chatStateFromEncodedUsersIsTheSameRecord_data() { chatState_data(); }
    void chatStateFromEncodedUsersIsTheSameRecord()
    {
        QFETCH(QString, chatName);
        QFETCH(QList<ChatUser>, users);
        QByteArray array = "[";
        for (const ChatUser &user : users) {
            if (array.size() > 1)
                array.append(',');
            array.append(encodeChatUser(user.userName, user.userId));
        }
        array.append(']');
        QCOMPARE(encodeChatStateWithEncodedUsers(chatName, array),
                 encodeChatState(chatName, users));
    }

    void joined_data()
    {
        QTest::addColumn<QString>("chatName");
        QTest::addColumn<QString>("userName");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QByteArray>("timestamp");
        QTest::addColumn<qint64>("sequence");
        QTest::newRow("plain") << QStringLiteral("lobby") << QStringLiteral("alice")
                               << QStringLiteral("0123456789abcdef0123456789abcdef")
                               << QByteArray("2024-05-17T13:45:09Z") << qint64(1);
        QTest::newRow("unicode, zero sequence")
            << nastyString() << fromUtf16({0xd83e, 0xdd16, 0x0639, 0x0644, 0x064a})
            << QStringLiteral("id") << QByteArray("1970-01-01T00:00:00Z") << qint64(0);
        QTest::newRow("large sequence")
            << QStringLiteral("c") << QStringLiteral("u") << QStringLiteral("i")
            << QByteArray("2099-12-31T23:59:59Z") << qint64(4503599627370496); // 2^52
    }

    void joined()
    {
        QFETCH(QString, chatName);
        QFETCH(QString, userName);
        QFETCH(QString, userId);
        QFETCH(QByteArray, timestamp);
        QFETCH(qint64, sequence);
        const QByteArray json = encodeJoined(chatName, userName, userId, timestamp, sequence);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object),
                 sorted({QStringLiteral("record"), QStringLiteral("chat_name"),
                         QStringLiteral("user_name"), QStringLiteral("user_id"),
                         QStringLiteral("timestamp"), QStringLiteral("sequence")}));
        VERIFY_STRING(object, "record", QStringLiteral("joined"));
        VERIFY_STRING(object, "chat_name", chatName);
        VERIFY_STRING(object, "user_name", userName);
        VERIFY_STRING(object, "user_id", userId);
        VERIFY_STRING(object, "timestamp", QString::fromLatin1(timestamp));
        VERIFY_INTEGER(object, "sequence", sequence);
        // An integer literal, not "1.0" or a quoted number.
        QVERIFY(json.contains(",\"sequence\":" + QByteArray::number(sequence)));
    }

    void chatMessage_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("sequence");
        QTest::newRow("plain") << QStringLiteral("hello") << qint64(7);
        QTest::newRow("empty message") << QString() << qint64(8);
        QTest::newRow("nasty") << nastyString() << qint64(9);
        QTest::newRow("multi-line json-looking text")
            << QStringLiteral("{\"record\":\"left\"}\n}\"],") << qint64(10);
        QTest::newRow("leading BOM") << fromUtf16({0xfeff, 0x68, 0x69}) << qint64(11);
        QTest::newRow("large") << QString(100000, QChar(0x00e9)) << qint64(12);
    }

    void chatMessage()
    {
        QFETCH(QString, message);
        QFETCH(qint64, sequence);
        const QString chatName = fromUtf16({0x05e9, 0x05dc, 0x05d5, 0x05dd});
        const QString userId = QStringLiteral("fedcba9876543210fedcba9876543210");
        const QByteArray timestamp("2024-02-29T23:59:59Z");
        const QByteArray json = encodeChatMessage(chatName, userId, QStringLiteral("text/plain"),
                                                  message, timestamp, sequence);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), sorted({QStringLiteral("record"), QStringLiteral("chat_name"),
                                             QStringLiteral("user_id"), QStringLiteral("mime_type"),
                                             QStringLiteral("message"), QStringLiteral("timestamp"),
                                             QStringLiteral("sequence")}));
        VERIFY_STRING(object, "record", QStringLiteral("chat_message"));
        VERIFY_STRING(object, "chat_name", chatName);
        VERIFY_STRING(object, "user_id", userId);
        VERIFY_STRING(object, "mime_type", QStringLiteral("text/plain"));
        VERIFY_STRING(object, "message", message);
        VERIFY_STRING(object, "timestamp", QStringLiteral("2024-02-29T23:59:59Z"));
        VERIFY_INTEGER(object, "sequence", sequence);
    }

    void left_data()
    {
        QTest::addColumn<QString>("chatName");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<qint64>("sequence");
        QTest::newRow("plain") << QStringLiteral("lobby") << QStringLiteral("u1") << qint64(3);
        QTest::newRow("nasty") << nastyString() << nastyString() << qint64(123456789012);
    }

    void left()
    {
        QFETCH(QString, chatName);
        QFETCH(QString, userId);
        QFETCH(qint64, sequence);
        const QByteArray json = encodeLeft(chatName, userId, "2000-01-02T03:04:05Z", sequence);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), sorted({QStringLiteral("record"), QStringLiteral("chat_name"),
                                             QStringLiteral("user_id"), QStringLiteral("timestamp"),
                                             QStringLiteral("sequence")}));
        VERIFY_STRING(object, "record", QStringLiteral("left"));
        VERIFY_STRING(object, "chat_name", chatName);
        VERIFY_STRING(object, "user_id", userId);
        VERIFY_STRING(object, "timestamp", QStringLiteral("2000-01-02T03:04:05Z"));
        VERIFY_INTEGER(object, "sequence", sequence);
    }

    void recordOnlyRecords_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("record");
        QTest::newRow("ping_reply") << encodePingReply() << QStringLiteral("ping_reply");
        QTest::newRow("server_goodbye")
            << encodeServerGoodbye() << QStringLiteral("server_goodbye");
    }

    void recordOnlyRecords()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, record);
        PARSE_RECORD(json, object);
        QCOMPARE(sortedKeys(object), QStringList{QStringLiteral("record")});
        VERIFY_STRING(object, "record", record);
        // docs/protocol.md quotes these verbatim.
        QCOMPARE(json, "{\"record\":\"" + record.toLatin1() + "\"}");
    }

    void constants()
    {
        QCOMPARE(QString(kProtocolVersion), QStringLiteral("1.0"));
        QCOMPARE(QString(kTextPlain), QStringLiteral("text/plain"));
    }
};

QTEST_APPLESS_MAIN(TestServerRecordEncoder)
#include "tst_serverrecordencoder.moc"
