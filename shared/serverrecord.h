#pragma once
// Strict decoding of the records the server sends (docs/protocol.md, "Exact records sent by the
// server"): exact key set, value types, non-empty strings, the timestamp form, integer sequence,
// chat_user lists. A pure function over the bytes of one text frame: flack-client checks every
// record it receives with it, and server tests can check what a server emits.
// Whether a record may come *now* is a conversation question (tools' ConversationValidator).

#include "shared/serverrecordencoder.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace flack::protocol {

enum class ServerRecordType {
    ServerHello,
    ProtocolError,
    Authenticated,
    ChatState,
    Joined,
    ChatMessage,
    Left,
    PingReply,
    ServerGoodbye,
};

struct ServerRecord
{
    ServerRecordType type = ServerRecordType::PingReply;
    QString protocolVersion; // server_hello
    QString code;            // protocol_error
    QString reason;          // protocol_error
    QString userId;          // authenticated, joined, chat_message, left
    QString userName;        // joined
    QString chatName;        // chat_state, joined, chat_message, left
    QList<ChatUser> users;   // chat_state
    QString mimeType;        // chat_message
    QString message;         // chat_message
    QString timestamp;       // joined, chat_message, left
    qint64 sequence = 0;     // joined, chat_message, left
};

struct ServerDecodeResult
{
    bool ok = false;
    ServerRecord record; // valid when ok
    QString violation;   // when !ok: the first rule broken, in words
};

// Decodes one text frame strictly; the first violation found is named in the result.
ServerDecodeResult decodeServerRecord(QByteArrayView utf8Json);

// The wire name of a record type, e.g. "chat_state".
QLatin1StringView serverRecordName(ServerRecordType type);

// True for the chat events that carry a per-chat sequence (joined, chat_message, left).
bool isChatEvent(ServerRecordType type);

} // namespace flack::protocol
