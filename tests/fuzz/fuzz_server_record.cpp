// The strict server record decoder that flack-client (and the tests) run over everything a
// server sends. Beyond "no crash, no leak, no UB": a rejection names its violation, and an
// accepted record is exactly what the server's encoder writes for the same fields
// (decode(encode(decode(x))) == decode(x), and the encoding is stable).

#include "fuzzcommon.h"
#include "shared/errorcode.h"
#include "shared/serverrecord.h"
#include "shared/serverrecordencoder.h"

#include <optional>

using namespace flack::protocol;

namespace {

std::optional<ErrorCode> errorCodeFromString(const QString &text)
{
    for (int i = 0; i <= int(ErrorCode::KickedByAdmin); ++i) {
        if (errorCodeString(ErrorCode(i)) == text)
            return ErrorCode(i);
    }
    return std::nullopt;
}

// Empty when the record has a field the encoders can't express (an unknown error code: the
// decoder accepts any non-empty one, so that a newer server's codes don't break old clients).
QByteArray encode(const ServerRecord &r)
{
    switch (r.type) {
    case ServerRecordType::ServerHello:
        return encodeServerHello();
    case ServerRecordType::ProtocolError: {
        const std::optional<ErrorCode> code = errorCodeFromString(r.code);
        return code ? encodeProtocolError(*code, r.reason) : QByteArray();
    }
    case ServerRecordType::Authenticated:
        return encodeAuthenticated(r.userId);
    case ServerRecordType::ChatState:
        return encodeChatState(r.chatName, r.users);
    case ServerRecordType::Joined:
        return encodeJoined(r.chatName, r.userName, r.userId, r.timestamp.toLatin1(), r.sequence);
    case ServerRecordType::ChatMessage:
        return encodeChatMessage(r.chatName, r.userId, r.mimeType, r.message,
                                 r.timestamp.toLatin1(), r.sequence);
    case ServerRecordType::Left:
        return encodeLeft(r.chatName, r.userId, r.timestamp.toLatin1(), r.sequence);
    case ServerRecordType::PingReply:
        return encodePingReply();
    case ServerRecordType::ServerGoodbye:
        return encodeServerGoodbye();
    }
    FUZZ_CHECK(false && "unknown record type");
    return {};
}

bool same(const ServerRecord &a, const ServerRecord &b)
{
    return a.type == b.type && a.protocolVersion == b.protocolVersion && a.code == b.code &&
           a.reason == b.reason && a.userId == b.userId && a.userName == b.userName &&
           a.chatName == b.chatName && a.users == b.users && a.mimeType == b.mimeType &&
           a.message == b.message && a.timestamp == b.timestamp && a.sequence == b.sequence;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const QByteArray ts("2026-01-02T03:04:05Z");
    flack::fuzz::writeSeedsIfAsked({
        {"server_hello.json", encodeServerHello()},
        {"protocol_error.json", encodeProtocolError(ErrorCode::NotJoined, u"not \"joined\"")},
        {"authenticated.json", encodeAuthenticated(u"u-1")},
        {"chat_state.json",
         encodeChatState(u"general", {{QStringLiteral("alice"), QStringLiteral("u-1")},
                                      {QStringLiteral("b\u00f6b"), QStringLiteral("u-2")}})},
        {"chat_state_empty.json", encodeChatState(u"general", {})},
        {"joined.json", encodeJoined(u"general", u"alice", u"u-1", ts, 1)},
        {"chat_message.json",
         encodeChatMessage(u"general", u"u-1", u"text/plain", u"hi\t\u2603", ts, 9007199254740992)},
        {"left.json", encodeLeft(u"general", u"u-1", ts, 3)},
        {"ping_reply.json", encodePingReply()},
        {"server_goodbye.json", encodeServerGoodbye()},
        {"edge_unknown_code.json",
         QByteArray("{\"record\":\"protocol_error\",\"code\":\"CHAT-999\",\"reason\":\"x\"}")},
        {"edge_sequence_float.json",
         QByteArray("{\"record\":\"left\",\"chat_name\":\"c\",\"user_id\":\"u\","
                    "\"timestamp\":\"2024-02-29T23:59:60Z\",\"sequence\":1.5e300}")},
        {"edge_extra_key.json", QByteArray("{\"record\":\"ping_reply\",\"x\":\"\\ud800\"}")},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const ServerDecodeResult result = decodeServerRecord(flack::fuzz::bytesOf(data, size));
    if (!result.ok) {
        FUZZ_CHECK(!result.violation.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!serverRecordName(result.record.type).isEmpty());
    const QByteArray encoded = encode(result.record);
    if (encoded.isEmpty())
        return 0;
    const ServerDecodeResult again = decodeServerRecord(encoded);
    FUZZ_CHECK(again.ok);
    FUZZ_CHECK(same(again.record, result.record));
    FUZZ_CHECK(encode(again.record) == encoded);
    return 0;
}
