#pragma once
// The protocol's error codes (docs/protocol.md, "Errors"): the original CHAT-*/CHAT_PROTOCOL-*
// codes that existing clients switch on, plus the CHAT_LIMIT-* codes for limits the original never
// had. Used by the server to build protocol_error records and by tools to recognise them.

#include <QByteArray>
#include <QLatin1StringView>

namespace flack::protocol {

enum class ErrorCode {
    InvalidHello,          // CHAT-001
    UnsupportedVersion,    // CHAT-002
    UnexpectedFrameType,   // CHAT-003
    Malformed,             // CHAT_PROTOCOL-001
    NotAuthenticated,      // CHAT_PROTOCOL-002
    AlreadyAuthenticated,  // CHAT_PROTOCOL-003
    InvalidUserName,       // CHAT_PROTOCOL-004
    InvalidChatName,       // CHAT_PROTOCOL-005
    AlreadyJoined,         // CHAT_PROTOCOL-006
    InvalidChatMessage,    // CHAT_PROTOCOL-007
    NotJoined,             // CHAT_PROTOCOL-008
    MessageTooLarge,       // CHAT_LIMIT-001
    NameTooLong,           // CHAT_LIMIT-002
    TooManyChats,          // CHAT_LIMIT-003
    TooManyRooms,          // CHAT_LIMIT-004
    Flooding,              // CHAT_LIMIT-005
    KickedByAdmin,         // CHAT_ADMIN-001
    AuthenticationTimeout, // CHAT_LIMIT-006
};

// The wire form, e.g. "CHAT_PROTOCOL-001".
QLatin1StringView errorCodeString(ErrorCode code);

// A default English reason for the code; callers may pass a more specific one.
QLatin1StringView defaultReason(ErrorCode code);

} // namespace flack::protocol
