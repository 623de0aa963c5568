#pragma once
// A decoded message from a client (docs/protocol.md, "Conversation"), and the pure decoder that
// turns the bytes of one text frame into it or into the protocol error it deserves.

#include "shared/errorcode.h"

#include <QByteArrayView>
#include <QString>

namespace flack::protocol {

enum class ClientRecordType {
    ClientHello,
    Authenticate,
    JoinChat,
    ChatMessage,
    LeaveChat,
    Ping,
    ClientGoodbye,
};

struct ClientRecord
{
    ClientRecordType type = ClientRecordType::Ping;
    QString protocolVersion; // client_hello
    QString userName;        // authenticate
    QString userId;          // authenticate (optional; empty when absent)
    QString chatName;        // join_chat, chat_message, leave_chat
    QString mimeType;        // chat_message
    QString message;         // chat_message
};

struct ClientDecodeResult
{
    bool ok = false;
    ClientRecord record;                    // valid when ok
    ErrorCode error = ErrorCode::Malformed; // valid when !ok
    QString reason;                         // valid when !ok
};

// Decodes one text frame. Checks shape and types only (which record, which fields, their
// types, non-empty names, mime type): whether the record is allowed now is the session's call.
// Unknown extra keys are ignored: the original server accepted them.
ClientDecodeResult decodeClientRecord(QByteArrayView utf8Json);

// The wire name of a record type, e.g. "join_chat".
QLatin1StringView clientRecordName(ClientRecordType type);

} // namespace flack::protocol
