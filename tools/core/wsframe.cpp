#include "tools/core/wsframe.h"

#include <cstring>

namespace flack::tools {

namespace {

void appendHeader(std::string &out, std::uint8_t opcode, std::size_t length, bool fin, bool masked)
{
    const char maskBit = masked ? char(0x80) : char(0);
    out.push_back(char((fin ? 0x80 : 0) | (opcode & 0x0F)));
    if (length < 126) {
        out.push_back(char(maskBit | char(length)));
    } else if (length <= 0xFFFF) {
        out.push_back(char(maskBit | 126));
        out.push_back(char(length >> 8));
        out.push_back(char(length & 0xFF));
    } else {
        out.push_back(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.push_back(char((std::uint64_t(length) >> shift) & 0xFF));
    }
}

} // namespace

WsFrame::Status WsFrame::parse(std::string_view data, Header &header)
{
    if (data.size() < 2)
        return Status::Incomplete;
    const auto b0 = std::uint8_t(data[0]);
    const auto b1 = std::uint8_t(data[1]);
    if (b0 & 0x70)
        return Status::Error; // no extensions negotiated, so reserved bits must be clear
    header.fin = (b0 & 0x80) != 0;
    header.opcode = b0 & 0x0F;
    switch (header.opcode) {
    case Continuation:
    case Text:
    case Binary:
        break;
    case Close:
    case Ping:
    case Pong:
        if (!header.fin || (b1 & 0x7F) > 125)
            return Status::Error;
        break;
    default:
        return Status::Error;
    }
    header.masked = (b1 & 0x80) != 0;
    std::size_t offset = 2;
    std::uint64_t length = b1 & 0x7F;
    if (length == 126) {
        if (data.size() < 4)
            return Status::Incomplete;
        length = (std::uint64_t(std::uint8_t(data[2])) << 8) | std::uint8_t(data[3]);
        offset = 4;
    } else if (length == 127) {
        if (data.size() < 10)
            return Status::Incomplete;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | std::uint8_t(data[2 + i]);
        if (length >> 63)
            return Status::Error;
        offset = 10;
    }
    if (header.masked) {
        if (data.size() < offset + 4)
            return Status::Incomplete;
        std::memcpy(&header.maskKey, data.data() + offset, 4);
        offset += 4;
    }
    header.headerLength = offset;
    header.payloadLength = length;
    if (std::uint64_t(data.size() - offset) < length)
        return Status::Incomplete;
    return Status::Complete;
}

void WsFrame::applyMask(char *data, std::size_t size, std::uint32_t maskKey)
{
    // Eight bytes at a time: the bench masks every frame it sends.
    const std::uint64_t wide = (std::uint64_t(maskKey) << 32) | maskKey;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, data + i, 8);
        chunk ^= wide;
        std::memcpy(data + i, &chunk, 8);
    }
    const auto *maskBytes = reinterpret_cast<const unsigned char *>(&maskKey);
    for (; i < size; ++i)
        data[i] = char(data[i] ^ maskBytes[i & 3]);
}

void WsFrame::appendMasked(std::string &out, std::uint8_t opcode, std::string_view payload,
                           std::uint32_t maskKey, bool fin)
{
    appendHeader(out, opcode, payload.size(), fin, true);
    char key[4];
    std::memcpy(key, &maskKey, 4);
    out.append(key, 4);
    const std::size_t start = out.size();
    out.append(payload);
    applyMask(out.data() + start, payload.size(), maskKey);
}

void WsFrame::appendUnmasked(std::string &out, std::uint8_t opcode, std::string_view payload,
                             bool fin)
{
    appendHeader(out, opcode, payload.size(), fin, false);
    out.append(payload);
}

} // namespace flack::tools
