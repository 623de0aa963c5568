#include "shared/serverrecord.h"

#include "shared/jsonwords.h"
#include "shared/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <array>
#include <cmath>
#include <span>

namespace flack::protocol {

namespace {

// What a key's value must be. Kept as data so every record's exact key set is one table row.
enum class Kind {
    NonEmptyString,
    Timestamp,    // YYYY-MM-DDTHH:MM:SSZ
    Integer,      // sequence
    ChatUserList, // chat_state's users
    Version,      // "1.0"
    TextPlain,    // "text/plain"
};

struct KeySpec
{
    QLatin1StringView key;
    Kind kind;
};

using L = QLatin1StringView;

constexpr std::array kServerHello{KeySpec{L("protocol_version"), Kind::Version}};
constexpr std::array kProtocolError{KeySpec{L("code"), Kind::NonEmptyString},
                                    KeySpec{L("reason"), Kind::NonEmptyString}};
constexpr std::array kAuthenticated{KeySpec{L("user_id"), Kind::NonEmptyString}};
constexpr std::array kChatState{KeySpec{L("chat_name"), Kind::NonEmptyString},
                                KeySpec{L("users"), Kind::ChatUserList}};
constexpr std::array kJoined{
    KeySpec{L("chat_name"), Kind::NonEmptyString}, KeySpec{L("user_name"), Kind::NonEmptyString},
    KeySpec{L("user_id"), Kind::NonEmptyString}, KeySpec{L("timestamp"), Kind::Timestamp},
    KeySpec{L("sequence"), Kind::Integer}};
constexpr std::array kChatMessage{
    KeySpec{L("chat_name"), Kind::NonEmptyString}, KeySpec{L("user_id"), Kind::NonEmptyString},
    KeySpec{L("mime_type"), Kind::TextPlain},      KeySpec{L("message"), Kind::NonEmptyString},
    KeySpec{L("timestamp"), Kind::Timestamp},      KeySpec{L("sequence"), Kind::Integer}};
constexpr std::array kLeft{
    KeySpec{L("chat_name"), Kind::NonEmptyString}, KeySpec{L("user_id"), Kind::NonEmptyString},
    KeySpec{L("timestamp"), Kind::Timestamp}, KeySpec{L("sequence"), Kind::Integer}};
constexpr std::array<KeySpec, 0> kNoKeys{};

struct RecordSpec
{
    ServerRecordType type;
    QLatin1StringView name;
    std::span<const KeySpec> keys;
};

const std::array kRecords{
    RecordSpec{ServerRecordType::ServerHello, L("server_hello"), kServerHello},
    RecordSpec{ServerRecordType::ProtocolError, L("protocol_error"), kProtocolError},
    RecordSpec{ServerRecordType::Authenticated, L("authenticated"), kAuthenticated},
    RecordSpec{ServerRecordType::ChatState, L("chat_state"), kChatState},
    RecordSpec{ServerRecordType::Joined, L("joined"), kJoined},
    RecordSpec{ServerRecordType::ChatMessage, L("chat_message"), kChatMessage},
    RecordSpec{ServerRecordType::Left, L("left"), kLeft},
    RecordSpec{ServerRecordType::PingReply, L("ping_reply"), kNoKeys},
    RecordSpec{ServerRecordType::ServerGoodbye, L("server_goodbye"), kNoKeys},
};

// Exact key set: every expected key present, nothing else. Empty string when it holds.
QString checkKeySet(const QJsonObject &object, QLatin1StringView recordName,
                    std::span<const KeySpec> keys)
{
    for (const KeySpec &spec : keys) {
        if (!object.contains(spec.key))
            return recordName + QStringLiteral(": missing key ") + quoted(QString(spec.key));
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == u"record")
            continue;
        bool known = false;
        for (const KeySpec &spec : keys)
            known = known || it.key() == spec.key;
        if (!known)
            return recordName + QStringLiteral(": unknown key ") + quoted(it.key());
    }
    return {};
}

QString checkChatUsers(const QJsonValue &value, QLatin1StringView recordName,
                       QList<ChatUser> &users)
{
    const QString where = recordName + QStringLiteral(": \"users\"");
    if (!value.isArray())
        return where + QStringLiteral(" is ") + jsonTypeName(value) +
               QStringLiteral(", not a list");
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString item = where + QStringLiteral("[%1]").arg(i);
        const QJsonValue entry = array.at(i);
        if (!entry.isObject())
            return item + QStringLiteral(" is ") + jsonTypeName(entry) +
                   QStringLiteral(", not a chat_user record");
        const QJsonObject user = entry.toObject();
        const QJsonValue record = user.value(L("record"));
        if (!record.isString() || record.toString() != u"chat_user")
            return item + QStringLiteral(" has no \"record\":\"chat_user\"");
        static constexpr std::array kUserKeys{KeySpec{L("user_name"), Kind::NonEmptyString},
                                              KeySpec{L("user_id"), Kind::NonEmptyString}};
        QString keyProblem = checkKeySet(user, L("chat_user"), kUserKeys);
        if (!keyProblem.isEmpty())
            return item + QStringLiteral(" ") + keyProblem;
        ChatUser chatUser;
        for (const KeySpec &spec : kUserKeys) {
            const QJsonValue field = user.value(spec.key);
            if (!field.isString() || field.toString().isEmpty())
                return item + QStringLiteral(" chat_user: ") + quoted(QString(spec.key)) +
                       QStringLiteral(" must be a non-empty string");
            if (!field.toString().isValidUtf16())
                return item + QStringLiteral(" chat_user: ") + quoted(QString(spec.key)) +
                       QStringLiteral(" has an unpaired surrogate");
        }
        chatUser.userName = user.value(L("user_name")).toString();
        chatUser.userId = user.value(L("user_id")).toString();
        users.append(chatUser);
    }
    return {};
}

// Checks one value against its kind and stores it in the record.
QString checkValue(const KeySpec &spec, const QJsonValue &value, QLatin1StringView recordName,
                   ServerRecord &record)
{
    const QString where = recordName + QStringLiteral(": ") + quoted(QString(spec.key));
    if (spec.kind == Kind::ChatUserList)
        return checkChatUsers(value, recordName, record.users);
    if (spec.kind == Kind::Integer) {
        if (!value.isDouble())
            return where + QStringLiteral(" is ") + jsonTypeName(value) +
                   QStringLiteral(", not an integer");
        const double number = value.toDouble();
        // JSON numbers are doubles: beyond 2^53 an "integer" is no longer exact.
        if (std::trunc(number) != number || std::fabs(number) > 9007199254740992.0)
            return where + QStringLiteral(" is not an integer: %1").arg(number);
        record.sequence = qint64(number);
        return {};
    }
    if (!value.isString())
        return where + QStringLiteral(" is ") + jsonTypeName(value) +
               QStringLiteral(", not a string");
    const QString text = value.toString();
    // A lone "\ud800" escape decodes to an unpaired surrogate, which no UTF-8 text (and so no
    // record our server sends) holds: re-encoded it would be U+FFFD, another value.
    if (!text.isValidUtf16())
        return where + QStringLiteral(" has an unpaired surrogate");
    switch (spec.kind) {
    case Kind::NonEmptyString:
        if (text.isEmpty())
            return where + QStringLiteral(" is empty");
        break;
    case Kind::Timestamp:
        if (!isValidTimestamp(text))
            return where + QStringLiteral(" is not of the form YYYY-MM-DDTHH:MM:SSZ: ") +
                   quoted(text);
        break;
    case Kind::Version:
        if (text != kProtocolVersion)
            return where + QStringLiteral(" is ") + quoted(text) + QStringLiteral(", not \"1.0\"");
        break;
    case Kind::TextPlain:
        if (text != kTextPlain)
            return where + QStringLiteral(" is ") + quoted(text) +
                   QStringLiteral(", not \"text/plain\"");
        break;
    case Kind::Integer:
    case Kind::ChatUserList:
        break;
    }
    if (spec.key == u"protocol_version")
        record.protocolVersion = text;
    else if (spec.key == u"code")
        record.code = text;
    else if (spec.key == u"reason")
        record.reason = text;
    else if (spec.key == u"user_id")
        record.userId = text;
    else if (spec.key == u"user_name")
        record.userName = text;
    else if (spec.key == u"chat_name")
        record.chatName = text;
    else if (spec.key == u"mime_type")
        record.mimeType = text;
    else if (spec.key == u"message")
        record.message = text;
    else if (spec.key == u"timestamp")
        record.timestamp = text;
    return {};
}

ServerDecodeResult fail(QString violation)
{
    ServerDecodeResult result;
    result.violation = std::move(violation);
    return result;
}

} // namespace

QLatin1StringView serverRecordName(ServerRecordType type)
{
    for (const RecordSpec &spec : kRecords) {
        if (spec.type == type)
            return spec.name;
    }
    return L("unknown");
}

bool isChatEvent(ServerRecordType type)
{
    return type == ServerRecordType::Joined || type == ServerRecordType::ChatMessage ||
           type == ServerRecordType::Left;
}

ServerDecodeResult decodeServerRecord(QByteArrayView utf8Json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(utf8Json.data(), utf8Json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not valid JSON (") + parseError.errorString() +
                    QStringLiteral(" at offset %1)").arg(parseError.offset));
    if (!document.isObject())
        return fail(QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();
    const QJsonValue recordValue = object.value(L("record"));
    if (!recordValue.isString())
        return fail(QStringLiteral("no string \"record\" field"));
    const QString recordName = recordValue.toString();
    const RecordSpec *spec = nullptr;
    for (const RecordSpec &candidate : kRecords) {
        if (recordName == candidate.name)
            spec = &candidate;
    }
    if (!spec)
        return fail(QStringLiteral("unknown record ") + quoted(recordName));

    ServerDecodeResult result;
    result.record.type = spec->type;
    QString problem = checkKeySet(object, spec->name, spec->keys);
    if (!problem.isEmpty())
        return fail(problem);
    for (const KeySpec &key : spec->keys) {
        problem = checkValue(key, object.value(key.key), spec->name, result.record);
        if (!problem.isEmpty())
            return fail(problem);
    }
    result.ok = true;
    return result;
}

} // namespace flack::protocol
