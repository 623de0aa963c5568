// The client encoder feeds flack-client, flack-bench and the integration tests: what it writes
// must have exactly the keys docs/protocol.md gives each client record, and must decode back
// through the server's own decoder to the same values, byte-exact.

#include "shared/clientrecord.h"
#include "shared/clientrecordencoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace flack::protocol;

namespace {

QString fromUtf16(std::initializer_list<char16_t> units)
{
    return QString(reinterpret_cast<const QChar *>(units.begin()), qsizetype(units.size()));
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

// A string holding everything that must survive the trip: JSON syntax, controls, emoji outside
// the BMP, right-to-left text, CJK and a leading U+FEFF.
QString nasty()
{
    return fromUtf16({0xfeff}) + QStringLiteral("{\"q\":\"\\\"}\n\r\t") + QChar(0x01) +
           QChar(0x1f) + fromUtf16({0xd83d, 0xde80, 0x0627, 0x0644, 0x0639, 0x6f22, 0x5b57});
}

} // namespace

// Parses json as an object and checks its exact (sorted) key set and "record" value.
#define VERIFY_KEYS(json, record, ...)                                                             \
    do {                                                                                           \
        QJsonParseError error_;                                                                    \
        const QJsonDocument doc_ = QJsonDocument::fromJson(json, &error_);                         \
        QVERIFY2(error_.error == QJsonParseError::NoError, (json).constData());                    \
        QVERIFY(doc_.isObject());                                                                  \
        QStringList keys_ = doc_.object().keys();                                                  \
        keys_.sort();                                                                              \
        QCOMPARE(keys_, sorted({__VA_ARGS__}));                                                    \
        QCOMPARE(doc_.object().value(QLatin1StringView("record")).toString(),                      \
                 QStringLiteral(record));                                                          \
    } while (false)

#define DECODE(json, result)                                                                       \
    const ClientDecodeResult result = decodeClientRecord(json);                                    \
    QVERIFY2(result.ok, qPrintable(result.reason + QLatin1String(": ") + QString::fromUtf8(json)))

class TestClientRecordEncoder : public QObject
{
    Q_OBJECT

private slots:
    void clientHello_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("1.0") << QStringLiteral("1.0");
        QTest::newRow("other version") << QStringLiteral("2.1");
        QTest::newRow("empty") << QString();
    }

    void clientHello()
    {
        QFETCH(QString, version);
        const QByteArray json = encodeClientHello(version);
        VERIFY_KEYS(json, "client_hello", QStringLiteral("record"),
                    QStringLiteral("protocol_version"));
        DECODE(json, result);
        QCOMPARE(result.record.type, ClientRecordType::ClientHello);
        QCOMPARE(result.record.protocolVersion, version);
    }

    void authenticate_data()
    {
        QTest::addColumn<QString>("userName");
        QTest::addColumn<QString>("userId");
        QTest::newRow("name only") << QStringLiteral("alice") << QString();
        QTest::newRow("name and id")
            << QStringLiteral("alice") << QStringLiteral("0123456789abcdef0123456789abcdef");
        QTest::newRow("unicode name and id") << nasty() << nasty();
    }

    void authenticate()
    {
        QFETCH(QString, userName);
        QFETCH(QString, userId);
        const QByteArray json = encodeAuthenticate(userName, userId);
        // user_id is optional: an empty one is left out rather than sent as "".
        if (userId.isEmpty()) {
            VERIFY_KEYS(json, "authenticate", QStringLiteral("record"),
                        QStringLiteral("user_name"));
        } else {
            VERIFY_KEYS(json, "authenticate", QStringLiteral("record"), QStringLiteral("user_name"),
                        QStringLiteral("user_id"));
        }
        DECODE(json, result);
        QCOMPARE(result.record.type, ClientRecordType::Authenticate);
        QCOMPARE(result.record.userName.toUtf8(), userName.toUtf8());
        QCOMPARE(result.record.userId.toUtf8(), userId.toUtf8());
    }

    void authenticateDefaultIdIsOmitted()
    {
        const QByteArray json = encodeAuthenticate(QStringLiteral("bob"));
        VERIFY_KEYS(json, "authenticate", QStringLiteral("record"), QStringLiteral("user_name"));
    }

    void chatNameRecords_data()
    {
        QTest::addColumn<QString>("chatName");
        QTest::newRow("plain") << QStringLiteral("lobby");
        QTest::newRow("space") << QStringLiteral(" ");
        QTest::newRow("nasty") << nasty();
    }

    void chatNameRecords()
    {
        QFETCH(QString, chatName);

        const QByteArray join = encodeJoinChat(chatName);
        VERIFY_KEYS(join, "join_chat", QStringLiteral("record"), QStringLiteral("chat_name"));
        DECODE(join, joined);
        QCOMPARE(joined.record.type, ClientRecordType::JoinChat);
        QCOMPARE(joined.record.chatName.toUtf8(), chatName.toUtf8());

        const QByteArray leave = encodeLeaveChat(chatName);
        VERIFY_KEYS(leave, "leave_chat", QStringLiteral("record"), QStringLiteral("chat_name"));
        DECODE(leave, left);
        QCOMPARE(left.record.type, ClientRecordType::LeaveChat);
        QCOMPARE(left.record.chatName.toUtf8(), chatName.toUtf8());
    }

    void chatMessage_data()
    {
        QTest::addColumn<QString>("chatName");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain") << QStringLiteral("lobby") << QStringLiteral("I like cats");
        QTest::newRow("nasty") << nasty() << nasty();
        QTest::newRow("json-looking message")
            << QStringLiteral("c")
            << QStringLiteral("{\"record\":\"leave_chat\",\"chat_name\":\"c\"}");
        QTest::newRow("large") << QStringLiteral("c") << QString(65536, QChar(0x4e00));
    }

    void chatMessage()
    {
        QFETCH(QString, chatName);
        QFETCH(QString, message);
        const QByteArray json = encodeClientChatMessage(chatName, message);
        // Clients omit user_id, timestamp and sequence; the server adds them.
        VERIFY_KEYS(json, "chat_message", QStringLiteral("record"), QStringLiteral("chat_name"),
                    QStringLiteral("mime_type"), QStringLiteral("message"));
        DECODE(json, result);
        QCOMPARE(result.record.type, ClientRecordType::ChatMessage);
        QCOMPARE(result.record.chatName.toUtf8(), chatName.toUtf8());
        QCOMPARE(result.record.mimeType, QStringLiteral("text/plain"));
        QCOMPARE(result.record.message.toUtf8(), message.toUtf8());
    }

    void recordOnly_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("record");
        QTest::addColumn<int>("type");
        QTest::newRow("ping") << encodePing() << QStringLiteral("ping")
                              << int(ClientRecordType::Ping);
        QTest::newRow("client_goodbye") << encodeClientGoodbye() << QStringLiteral("client_goodbye")
                                        << int(ClientRecordType::ClientGoodbye);
    }

    void recordOnly()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, record);
        QFETCH(int, type);
        QCOMPARE(json, "{\"record\":\"" + record.toLatin1() + "\"}");
        DECODE(json, result);
        QCOMPARE(int(result.record.type), type);
    }

    void emptyNamesAreEncodedButRejected()
    {
        // The encoder does not police names (tests use it to send bad input on purpose); the
        // decoder maps the result to the documented codes.
        const ClientDecodeResult auth = decodeClientRecord(encodeAuthenticate(QString()));
        QVERIFY(!auth.ok);
        QCOMPARE(auth.error, ErrorCode::InvalidUserName);
        const ClientDecodeResult join = decodeClientRecord(encodeJoinChat(QString()));
        QVERIFY(!join.ok);
        QCOMPARE(join.error, ErrorCode::InvalidChatName);
        const ClientDecodeResult message =
            decodeClientRecord(encodeClientChatMessage(QString(), QStringLiteral("m")));
        QVERIFY(!message.ok);
        QCOMPARE(message.error, ErrorCode::InvalidChatMessage);
        const ClientDecodeResult leave = decodeClientRecord(encodeLeaveChat(QString()));
        QVERIFY(!leave.ok);
        QCOMPARE(leave.error, ErrorCode::NotJoined);
    }
};

QTEST_APPLESS_MAIN(TestClientRecordEncoder)
#include "tst_clientrecordencoder.moc"
