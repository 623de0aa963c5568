// The client record decoder: every text frame a client sends goes through it first, before
// the client has authenticated. Beyond "no crash, no leak, no UB": a failure always names an
// error and a reason, and a decoded record survives the client encoder's round trip
// (decode(encode(decode(x))) == decode(x)), which is what flack-client and the bench rely on.

#include "fuzzcommon.h"
#include "shared/clientrecord.h"
#include "shared/clientrecordencoder.h"

using namespace flack::protocol;

namespace {

QByteArray encode(const ClientRecord &r)
{
    switch (r.type) {
    case ClientRecordType::ClientHello:
        return encodeClientHello(r.protocolVersion);
    case ClientRecordType::Authenticate:
        return encodeAuthenticate(r.userName, r.userId);
    case ClientRecordType::JoinChat:
        return encodeJoinChat(r.chatName);
    case ClientRecordType::ChatMessage:
        return encodeClientChatMessage(r.chatName, r.message);
    case ClientRecordType::LeaveChat:
        return encodeLeaveChat(r.chatName);
    case ClientRecordType::Ping:
        return encodePing();
    case ClientRecordType::ClientGoodbye:
        return encodeClientGoodbye();
    }
    FUZZ_CHECK(false && "unknown record type");
    return {};
}

bool same(const ClientRecord &a, const ClientRecord &b)
{
    return a.type == b.type && a.protocolVersion == b.protocolVersion && a.userName == b.userName &&
           a.userId == b.userId && a.chatName == b.chatName && a.mimeType == b.mimeType &&
           a.message == b.message;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    flack::fuzz::writeSeedsIfAsked({
        {"client_hello.json", encodeClientHello(u"1.0")},
        {"authenticate.json", encodeAuthenticate(u"alice")},
        {"authenticate_id.json", encodeAuthenticate(u"b\u00f6b \"q\"\n", u"u-1234")},
        {"join_chat.json", encodeJoinChat(u"general")},
        {"chat_message.json", encodeClientChatMessage(u"general", u"hi \\ \u2603 \U0001F600")},
        {"leave_chat.json", encodeLeaveChat(u"general")},
        {"ping.json", encodePing()},
        {"client_goodbye.json", encodeClientGoodbye()},
        {"edge_bom_escapes.json",
         QByteArray("\xEF\xBB\xBF{\"record\":\"join_chat\",\"chat_name\":\"\\ud83d\\ude00\\u0000"
                    "\xEF\xBB\xBF\",\"extra\":[1,{\"a\":null}]}")},
        {"edge_wrong_types.json",
         QByteArray("{\"record\":\"chat_message\",\"chat_name\":7,\"mime_type\":\"text/html\","
                    "\"message\":true}")},
        {"edge_duplicate_keys.json",
         QByteArray("{\"record\":\"authenticate\",\"user_name\":\"a\",\"user_name\":\"\","
                    "\"user_id\":null}")},
        {"edge_not_object.json", QByteArray("[\"record\",1e999,-0]")},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const ClientDecodeResult result = decodeClientRecord(flack::fuzz::bytesOf(data, size));
    if (!result.ok) {
        FUZZ_CHECK(!result.reason.isEmpty());
        return 0;
    }
    const QByteArray encoded = encode(result.record);
    const ClientDecodeResult again = decodeClientRecord(encoded);
    FUZZ_CHECK(again.ok);
    FUZZ_CHECK(same(again.record, result.record));
    // The encoder's output is canonical: encoding what it produced gives the same bytes.
    FUZZ_CHECK(encode(again.record) == encoded);
    return 0;
}
