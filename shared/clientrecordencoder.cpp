#include "shared/clientrecordencoder.h"

#include "shared/jsonwriter.h"
#include "shared/serverrecordencoder.h"

namespace flack::protocol {

QByteArray encodeClientHello(QStringView protocolVersion)
{
    return JsonWriter()
        .fieldUtf8("record", "client_hello")
        .field("protocol_version", protocolVersion)
        .finish();
}

QByteArray encodeAuthenticate(QStringView userName, QStringView userId)
{
    JsonWriter writer;
    writer.fieldUtf8("record", "authenticate").field("user_name", userName);
    if (!userId.isEmpty())
        writer.field("user_id", userId);
    return writer.finish();
}

QByteArray encodeJoinChat(QStringView chatName)
{
    return JsonWriter().fieldUtf8("record", "join_chat").field("chat_name", chatName).finish();
}

QByteArray encodeClientChatMessage(QStringView chatName, QStringView message)
{
    return JsonWriter()
        .fieldUtf8("record", "chat_message")
        .field("chat_name", chatName)
        .field("mime_type", kTextPlain)
        .field("message", message)
        .finish();
}

QByteArray encodeLeaveChat(QStringView chatName)
{
    return JsonWriter().fieldUtf8("record", "leave_chat").field("chat_name", chatName).finish();
}

QByteArray encodePing()
{
    return JsonWriter().fieldUtf8("record", "ping").finish();
}

QByteArray encodeClientGoodbye()
{
    return JsonWriter().fieldUtf8("record", "client_goodbye").finish();
}

} // namespace flack::protocol
