// flack-bench's own websocket frame parser and what it does with a frame's payload, driven the
// way its receive loop drives them: frames are parsed one after the other out of the buffer,
// masked payloads unmasked, text payloads scanned for the fields the bench reads
// (RecordScanner) and for its own payload format (BenchPayload). Beyond "no crash, no leak,
// no UB" (a server's bytes are not to be trusted by a load generator either):
// - a Complete frame fits in the buffer, and every shorter prefix of it is Incomplete;
// - re-encoding a frame's fields with appendMasked/appendUnmasked parses back to the same
//   header and payload, and to the same bytes when the input used the shortest length form;
// - a scanned string field lies inside the record; a parsed BenchPayload round-trips.

#include "fuzzcommon.h"
#include "tools/core/benchpayload.h"
#include "tools/core/recordscanner.h"
#include "tools/core/wsframe.h"

#include <string>
#include <string_view>

using flack::tools::BenchPayload;
using flack::tools::RecordScanner;
using flack::tools::WsFrame;

namespace {

std::size_t shortestHeaderLength(std::uint64_t payloadLength, bool masked)
{
    const std::size_t base = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    return base + (masked ? 4 : 0);
}

void scanRecord(std::string_view json)
{
    for (std::string_view key : {"record", "user_id", "code", "message", "chat_name"}) {
        std::string_view value;
        if (RecordScanner::stringField(json, key, value)) {
            FUZZ_CHECK(value.data() >= json.data() &&
                       value.data() + value.size() <= json.data() + json.size());
        }
    }
    std::int64_t sequence = 0;
    RecordScanner::integerField(json, "sequence", sequence);

    BenchPayload payload;
    if (BenchPayload::parse(json, payload)) {
        std::string text;
        payload.appendTo(text, json.size());
        BenchPayload again;
        FUZZ_CHECK(BenchPayload::parse(text, again));
        FUZZ_CHECK(again.sender == payload.sender && again.counter == payload.counter &&
                   again.sendTimeNs == payload.sendTimeNs);
    }
}

void checkFrame(std::string_view frameBytes, const WsFrame::Header &h)
{
    FUZZ_CHECK(h.headerLength == shortestHeaderLength(0, h.masked) ||
               h.headerLength == shortestHeaderLength(126, h.masked) ||
               h.headerLength == shortestHeaderLength(0x10000, h.masked));
    FUZZ_CHECK(h.frameLength() == frameBytes.size());
    FUZZ_CHECK(h.opcode <= WsFrame::Binary ||
               (h.opcode >= WsFrame::Close && h.opcode <= WsFrame::Pong));
    if (h.opcode >= WsFrame::Close)
        FUZZ_CHECK(h.fin && h.payloadLength <= 125);

    // Every shorter prefix is still waiting for bytes (the bench's loop relies on it).
    WsFrame::Header partial;
    FUZZ_CHECK(WsFrame::parse(frameBytes.substr(0, frameBytes.size() - 1), partial) ==
               WsFrame::Status::Incomplete);

    std::string payload(frameBytes.substr(h.headerLength));
    if (h.masked) {
        std::string twice = payload;
        WsFrame::applyMask(twice.data(), twice.size(), h.maskKey);
        WsFrame::applyMask(twice.data(), twice.size(), h.maskKey);
        FUZZ_CHECK(twice == payload);
        WsFrame::applyMask(payload.data(), payload.size(), h.maskKey);
    }

    std::string rebuilt;
    if (h.masked)
        WsFrame::appendMasked(rebuilt, h.opcode, payload, h.maskKey, h.fin);
    else
        WsFrame::appendUnmasked(rebuilt, h.opcode, payload, h.fin);
    WsFrame::Header again;
    FUZZ_CHECK(WsFrame::parse(rebuilt, again) == WsFrame::Status::Complete);
    FUZZ_CHECK(again.fin == h.fin && again.opcode == h.opcode && again.masked == h.masked &&
               again.payloadLength == h.payloadLength && again.frameLength() == rebuilt.size());
    if (h.masked)
        FUZZ_CHECK(again.maskKey == h.maskKey);
    if (h.headerLength == shortestHeaderLength(h.payloadLength, h.masked))
        FUZZ_CHECK(rebuilt == frameBytes);

    if (h.opcode == WsFrame::Text || h.opcode == WsFrame::Continuation)
        scanRecord(payload);
}

std::string frames(std::initializer_list<std::string> parts)
{
    std::string out;
    for (const std::string &part : parts)
        out += part;
    return out;
}

std::string unmasked(std::uint8_t opcode, std::string_view payload, bool fin = true)
{
    std::string out;
    WsFrame::appendUnmasked(out, opcode, payload, fin);
    return out;
}

std::string masked(std::uint8_t opcode, std::string_view payload, std::uint32_t key)
{
    std::string out;
    WsFrame::appendMasked(out, opcode, payload, key);
    return out;
}

QByteArray bytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    std::string bench;
    BenchPayload{7, 42, 1234567890123}.appendTo(bench, 64);
    const std::string message = R"({"record":"chat_message","chat_name":"bench","user_id":"u-7",)"
                                R"("mime_type":"text/plain","message":")" +
                                bench + R"(","timestamp":"2026-01-02T03:04:05Z","sequence":17})";
    flack::fuzz::writeSeedsIfAsked({
        {"text_record", bytes(unmasked(WsFrame::Text, message))},
        {"fragmented_record", bytes(frames({unmasked(WsFrame::Text, message.substr(0, 40), false),
                                            unmasked(WsFrame::Ping, "p"),
                                            unmasked(WsFrame::Continuation, message.substr(40))}))},
        {"masked_client_frame", bytes(masked(WsFrame::Text, R"({"record":"ping"})", 0x37fa213d))},
        {"length16", bytes(unmasked(WsFrame::Binary, std::string(300, 'b')))},
        {"length64_header",
         bytes(unmasked(WsFrame::Text, std::string(0x10000, 'x')).substr(0, 10) + "partial")},
        {"close_pong", bytes(frames({unmasked(WsFrame::Pong, ""),
                                     unmasked(WsFrame::Close, std::string("\x03\xe8", 2))}))},
        {"edge_reserved_bits", QByteArray("\xf1\x00", 2)},
        {"edge_nonminimal_length", QByteArray("\x81\x7e\x00\x03"
                                              "abc",
                                              7)},
        {"edge_huge_length", QByteArray("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10)},
        {"edge_scanner", bytes(unmasked(WsFrame::Text, R"({"x":"\"sequence\":1","sequence": -17,)"
                                                       R"("user_id":"a\\","code":"\)"))},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view buffer(reinterpret_cast<const char *>(data), size);
    std::size_t pos = 0;
    while (pos < buffer.size()) {
        WsFrame::Header header;
        const WsFrame::Status status = WsFrame::parse(buffer.substr(pos), header);
        if (status != WsFrame::Status::Complete)
            break;
        FUZZ_CHECK(header.frameLength() <= buffer.size() - pos);
        checkFrame(buffer.substr(pos, header.frameLength()), header);
        pos += header.frameLength();
    }
    // The scanner also reads records that arrived whole, whatever their framing.
    scanRecord(buffer);
    return 0;
}
