#include "shared/clientrecord.h"

#include "shared/serverrecordencoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace flack::protocol {

namespace {

ClientDecodeResult fail(ErrorCode code, QString reason)
{
    ClientDecodeResult result;
    result.error = code;
    result.reason = std::move(reason);
    return result;
}

// Reads a required non-empty string field; false when absent, wrong-typed or empty.
bool nonEmptyString(const QJsonObject &object, QLatin1StringView key, QString &out)
{
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return false;
    out = value.toString();
    return !out.isEmpty();
}

// Qt's parser turns a lone "\ud800"-style escape into an unpaired surrogate, which no UTF-8
// record can carry: every record relaying the text would spell it U+FFFD instead, naming a chat
// or user other than the one stored. Such text is refused as an invalid value of its field.
QString unpairedSurrogate(QLatin1StringView record, QLatin1StringView field)
{
    return record + u' ' + field + QStringLiteral(" has an unpaired surrogate (\\uD800-\\uDFFF)");
}

} // namespace

QLatin1StringView clientRecordName(ClientRecordType type)
{
    switch (type) {
    case ClientRecordType::ClientHello:
        return QLatin1StringView("client_hello");
    case ClientRecordType::Authenticate:
        return QLatin1StringView("authenticate");
    case ClientRecordType::JoinChat:
        return QLatin1StringView("join_chat");
    case ClientRecordType::ChatMessage:
        return QLatin1StringView("chat_message");
    case ClientRecordType::LeaveChat:
        return QLatin1StringView("leave_chat");
    case ClientRecordType::Ping:
        return QLatin1StringView("ping");
    case ClientRecordType::ClientGoodbye:
        return QLatin1StringView("client_goodbye");
    }
    return QLatin1StringView("unknown");
}

ClientDecodeResult decodeClientRecord(QByteArrayView utf8Json)
{
    QByteArray input = QByteArray::fromRawData(utf8Json.data(), utf8Json.size());
    // Qt's JSON parser silently drops a raw U+FEFF (EF BB BF) that directly follows an opening
    // quote, so a message or name starting with it would not round-trip. Spell every such
    // character after a leading document BOM (which Qt skips, as RFC 8259 allows) as \ufeff:
    // inside a string that is the same character; outside one it was, and stays, invalid JSON.
    static constexpr QByteArrayView bom("\xEF\xBB\xBF");
    const qsizetype skip = input.startsWith(bom) ? bom.size() : 0;
    if (input.indexOf(bom, skip) >= 0)
        input = input.left(skip) + input.mid(skip).replace(bom, QByteArrayView("\\ufeff"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(ErrorCode::Malformed,
                    QStringLiteral("message is not valid JSON: ") + parseError.errorString());
    if (!document.isObject())
        return fail(ErrorCode::Malformed, QStringLiteral("message is not a JSON object"));
    const QJsonObject object = document.object();
    const QJsonValue recordValue = object.value(QLatin1StringView("record"));
    if (!recordValue.isString())
        return fail(ErrorCode::Malformed, QStringLiteral("message has no string field 'record'"));
    const QString name = recordValue.toString();

    ClientDecodeResult result;
    result.ok = true;
    ClientRecord &record = result.record;
    if (name == u"client_hello") {
        record.type = ClientRecordType::ClientHello;
        const QJsonValue version = object.value(QLatin1StringView("protocol_version"));
        if (!version.isString())
            return fail(ErrorCode::InvalidHello,
                        QStringLiteral("client_hello needs a string protocol_version"));
        record.protocolVersion = version.toString();
        if (!record.protocolVersion.isValidUtf16())
            return fail(ErrorCode::InvalidHello,
                        unpairedSurrogate(QLatin1StringView("client_hello"),
                                          QLatin1StringView("protocol_version")));
    } else if (name == u"authenticate") {
        record.type = ClientRecordType::Authenticate;
        if (!nonEmptyString(object, QLatin1StringView("user_name"), record.userName))
            return fail(ErrorCode::InvalidUserName,
                        QStringLiteral("authenticate needs a non-empty string user_name"));
        const QJsonValue id = object.value(QLatin1StringView("user_id"));
        if (!id.isUndefined() && !id.isString())
            return fail(ErrorCode::Malformed,
                        QStringLiteral("authenticate user_id must be a string"));
        record.userId = id.toString();
        if (!record.userName.isValidUtf16())
            return fail(ErrorCode::InvalidUserName,
                        unpairedSurrogate(QLatin1StringView("authenticate"),
                                          QLatin1StringView("user_name")));
        if (!record.userId.isValidUtf16())
            return fail(ErrorCode::Malformed, unpairedSurrogate(QLatin1StringView("authenticate"),
                                                                QLatin1StringView("user_id")));
    } else if (name == u"join_chat") {
        record.type = ClientRecordType::JoinChat;
        if (!nonEmptyString(object, QLatin1StringView("chat_name"), record.chatName))
            return fail(ErrorCode::InvalidChatName,
                        QStringLiteral("join_chat needs a non-empty string chat_name"));
        if (!record.chatName.isValidUtf16())
            return fail(
                ErrorCode::InvalidChatName,
                unpairedSurrogate(QLatin1StringView("join_chat"), QLatin1StringView("chat_name")));
    } else if (name == u"chat_message") {
        record.type = ClientRecordType::ChatMessage;
        if (!nonEmptyString(object, QLatin1StringView("chat_name"), record.chatName))
            return fail(ErrorCode::InvalidChatMessage,
                        QStringLiteral("chat_message needs a non-empty string chat_name"));
        const QJsonValue mime = object.value(QLatin1StringView("mime_type"));
        if (!mime.isString() || mime.toString() != kTextPlain)
            return fail(ErrorCode::InvalidChatMessage,
                        QStringLiteral("chat_message mime_type must be \"text/plain\""));
        record.mimeType = mime.toString();
        // Non-empty: the chat_message the server relays may have no empty value (docs/protocol.md,
        // "Exact records"), and strict clients reject one that does.
        if (!nonEmptyString(object, QLatin1StringView("message"), record.message))
            return fail(ErrorCode::InvalidChatMessage,
                        QStringLiteral("chat_message needs a non-empty string message"));
        if (!record.chatName.isValidUtf16() || !record.message.isValidUtf16())
            return fail(
                ErrorCode::InvalidChatMessage,
                unpairedSurrogate(
                    QLatin1StringView("chat_message"),
                    QLatin1StringView(record.chatName.isValidUtf16() ? "message" : "chat_name")));
    } else if (name == u"leave_chat") {
        record.type = ClientRecordType::LeaveChat;
        if (!nonEmptyString(object, QLatin1StringView("chat_name"), record.chatName))
            return fail(
                ErrorCode::NotJoined,
                QStringLiteral("leave_chat needs the non-empty chat_name of a joined chat"));
        if (!record.chatName.isValidUtf16())
            return fail(ErrorCode::NotJoined, unpairedSurrogate(QLatin1StringView("leave_chat"),
                                                                QLatin1StringView("chat_name")));
    } else if (name == u"ping") {
        record.type = ClientRecordType::Ping;
    } else if (name == u"client_goodbye") {
        record.type = ClientRecordType::ClientGoodbye;
    } else {
        return fail(ErrorCode::Malformed, QStringLiteral("unknown record '%1'").arg(name.left(64)));
    }
    return result;
}

} // namespace flack::protocol
