#include "shared/serverrecordencoder.h"

#include "shared/jsonwriter.h"

namespace flack::protocol {

QByteArray encodeServerHello()
{
    return JsonWriter()
        .fieldUtf8("record", "server_hello")
        .field("protocol_version", kProtocolVersion)
        .finish();
}

QByteArray encodeProtocolError(ErrorCode code, QStringView reason)
{
    JsonWriter writer;
    writer.fieldUtf8("record", "protocol_error").field("code", errorCodeString(code));
    if (reason.isEmpty())
        writer.field("reason", defaultReason(code));
    else
        writer.field("reason", reason);
    return writer.finish();
}

QByteArray encodeAuthenticated(QStringView userId)
{
    return JsonWriter().fieldUtf8("record", "authenticated").field("user_id", userId).finish();
}

QByteArray encodeChatUser(QStringView userName, QStringView userId)
{
    return JsonWriter()
        .fieldUtf8("record", "chat_user")
        .field("user_name", userName)
        .field("user_id", userId)
        .finish();
}

QByteArray encodeChatState(QStringView chatName, const QList<ChatUser> &users)
{
    QByteArray list;
    list.append('[');
    for (qsizetype i = 0; i < users.size(); ++i) {
        if (i > 0)
            list.append(',');
        list.append(encodeChatUser(users[i].userName, users[i].userId));
    }
    list.append(']');
    return encodeChatStateWithEncodedUsers(chatName, list);
}

QByteArray encodeChatStateWithEncodedUsers(QStringView chatName, QByteArrayView usersArray)
{
    // Sized for the whole record up front: a big chat's users are kilobytes.
    return JsonWriter(64 + 3 * chatName.size() + usersArray.size())
        .fieldUtf8("record", "chat_state")
        .field("chat_name", chatName)
        .rawField("users", usersArray)
        .finish();
}

QByteArray encodeJoined(QStringView chatName, QStringView userName, QStringView userId,
                        QByteArrayView timestamp, qint64 sequence)
{
    return JsonWriter()
        .fieldUtf8("record", "joined")
        .field("chat_name", chatName)
        .field("user_name", userName)
        .field("user_id", userId)
        .fieldUtf8("timestamp", timestamp)
        .field("sequence", sequence)
        .finish();
}

QByteArray encodeChatMessage(QStringView chatName, QStringView userId, QStringView mimeType,
                             QStringView message, QByteArrayView timestamp, qint64 sequence)
{
    return JsonWriter()
        .fieldUtf8("record", "chat_message")
        .field("chat_name", chatName)
        .field("user_id", userId)
        .field("mime_type", mimeType)
        .field("message", message)
        .fieldUtf8("timestamp", timestamp)
        .field("sequence", sequence)
        .finish();
}

QByteArray encodeLeft(QStringView chatName, QStringView userId, QByteArrayView timestamp,
                      qint64 sequence)
{
    return JsonWriter()
        .fieldUtf8("record", "left")
        .field("chat_name", chatName)
        .field("user_id", userId)
        .fieldUtf8("timestamp", timestamp)
        .field("sequence", sequence)
        .finish();
}

QByteArray encodePingReply()
{
    return JsonWriter().fieldUtf8("record", "ping_reply").finish();
}

QByteArray encodeServerGoodbye()
{
    return JsonWriter().fieldUtf8("record", "server_goodbye").finish();
}

} // namespace flack::protocol
