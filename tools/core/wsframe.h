#pragma once
// RFC 6455 framing for flack-bench's own minimal websocket client: parses the (unmasked) frames
// a server sends straight out of a receive buffer, and appends masked client frames to a send
// buffer. Pure functions over bytes, no allocation of their own, so the bench's hot path stays
// cheap and the codec is unit-testable.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flack::tools {

class WsFrame
{
public:
    enum Opcode : std::uint8_t {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA,
    };
    enum class Status { Incomplete, Complete, Error };

    struct Header
    {
        bool fin = false;
        std::uint8_t opcode = 0;
        bool masked = false;
        std::uint32_t maskKey = 0; // in wire byte order (first mask byte in the low byte)
        std::size_t headerLength = 0;
        std::uint64_t payloadLength = 0;
        std::size_t frameLength() const { return headerLength + std::size_t(payloadLength); }
    };

    // Parses the frame at the start of data. Complete only when the whole frame (header and
    // payload) is in data; Error for reserved bits, unknown opcodes or oversized control frames.
    static Status parse(std::string_view data, Header &header);

    // Appends one frame, masked with maskKey (client-to-server frames must be masked).
    static void appendMasked(std::string &out, std::uint8_t opcode, std::string_view payload,
                             std::uint32_t maskKey, bool fin = true);

    // Appends one unmasked frame, as a server would send it (for tests and fakes).
    static void appendUnmasked(std::string &out, std::uint8_t opcode, std::string_view payload,
                               bool fin = true);

    // XORs data in place with the 4-byte mask, starting at mask byte offset 0.
    static void applyMask(char *data, std::size_t size, std::uint32_t maskKey);
};

} // namespace flack::tools
