#include "shared/errorcode.h"

namespace flack::protocol {

QLatin1StringView errorCodeString(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidHello:
        return QLatin1StringView("CHAT-001");
    case ErrorCode::UnsupportedVersion:
        return QLatin1StringView("CHAT-002");
    case ErrorCode::UnexpectedFrameType:
        return QLatin1StringView("CHAT-003");
    case ErrorCode::Malformed:
        return QLatin1StringView("CHAT_PROTOCOL-001");
    case ErrorCode::NotAuthenticated:
        return QLatin1StringView("CHAT_PROTOCOL-002");
    case ErrorCode::AlreadyAuthenticated:
        return QLatin1StringView("CHAT_PROTOCOL-003");
    case ErrorCode::InvalidUserName:
        return QLatin1StringView("CHAT_PROTOCOL-004");
    case ErrorCode::InvalidChatName:
        return QLatin1StringView("CHAT_PROTOCOL-005");
    case ErrorCode::AlreadyJoined:
        return QLatin1StringView("CHAT_PROTOCOL-006");
    case ErrorCode::InvalidChatMessage:
        return QLatin1StringView("CHAT_PROTOCOL-007");
    case ErrorCode::NotJoined:
        return QLatin1StringView("CHAT_PROTOCOL-008");
    case ErrorCode::MessageTooLarge:
        return QLatin1StringView("CHAT_LIMIT-001");
    case ErrorCode::NameTooLong:
        return QLatin1StringView("CHAT_LIMIT-002");
    case ErrorCode::TooManyChats:
        return QLatin1StringView("CHAT_LIMIT-003");
    case ErrorCode::TooManyRooms:
        return QLatin1StringView("CHAT_LIMIT-004");
    case ErrorCode::Flooding:
        return QLatin1StringView("CHAT_LIMIT-005");
    case ErrorCode::KickedByAdmin:
        return QLatin1StringView("CHAT_ADMIN-001");
    case ErrorCode::AuthenticationTimeout:
        return QLatin1StringView("CHAT_LIMIT-006");
    }
    return QLatin1StringView("CHAT_PROTOCOL-001");
}

QLatin1StringView defaultReason(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidHello:
        return QLatin1StringView("first message must be client_hello");
    case ErrorCode::UnsupportedVersion:
        return QLatin1StringView("unsupported protocol_version");
    case ErrorCode::UnexpectedFrameType:
        return QLatin1StringView("binary frames are not accepted");
    case ErrorCode::Malformed:
        return QLatin1StringView("unrecognized or malformed message");
    case ErrorCode::NotAuthenticated:
        return QLatin1StringView("must authenticate first");
    case ErrorCode::AlreadyAuthenticated:
        return QLatin1StringView("already authenticated");
    case ErrorCode::InvalidUserName:
        return QLatin1StringView("user_name must be a non-empty string");
    case ErrorCode::InvalidChatName:
        return QLatin1StringView("chat_name must be a non-empty string");
    case ErrorCode::AlreadyJoined:
        return QLatin1StringView("chat already joined");
    case ErrorCode::InvalidChatMessage:
        return QLatin1StringView("chat not joined, or invalid mime_type or message");
    case ErrorCode::NotJoined:
        return QLatin1StringView("chat not joined");
    case ErrorCode::MessageTooLarge:
        return QLatin1StringView("message exceeds the size limit");
    case ErrorCode::NameTooLong:
        return QLatin1StringView("name exceeds the length limit");
    case ErrorCode::TooManyChats:
        return QLatin1StringView("too many chats joined on this connection");
    case ErrorCode::TooManyRooms:
        return QLatin1StringView("the server holds its maximum number of chats");
    case ErrorCode::Flooding:
        return QLatin1StringView("sending faster than the message rate limit");
    case ErrorCode::KickedByAdmin:
        return QLatin1StringView("kicked by an administrator");
    case ErrorCode::AuthenticationTimeout:
        return QLatin1StringView("not authenticated in time");
    }
    return QLatin1StringView("error");
}

} // namespace flack::protocol
