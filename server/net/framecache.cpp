#include "server/net/framecache.h"

#include <utility>

namespace flack::server::net {

int FrameCache::textFrameHeader(qint64 payloadBytes, char *out)
{
    // RFC 6455 5.2: FIN + text opcode, then the length in 7 bits, or 126 + 16 bits, or
    // 127 + 64 bits, big-endian; no mask bit from a server.
    out[0] = char(0x81);
    if (payloadBytes < 126) {
        out[1] = char(payloadBytes);
        return 2;
    }
    if (payloadBytes <= 0xFFFF) {
        out[1] = char(126);
        out[2] = char(payloadBytes >> 8);
        out[3] = char(payloadBytes & 0xFF);
        return 4;
    }
    out[1] = char(127);
    for (int i = 0; i < 8; ++i)
        out[2 + i] = char((quint64(payloadBytes) >> (56 - 8 * i)) & 0xFF);
    return kMaxFrameHeader;
}

void FrameCache::frame(const QByteArray &utf8)
{
    char header[kMaxFrameHeader];
    const int headerBytes = textFrameHeader(utf8.size(), header);
    QByteArray frame;
    frame.reserve(headerBytes + utf8.size());
    frame.append(header, headerBytes);
    frame.append(utf8);
    m_frame = std::move(frame);
    m_payload = utf8;
}

} // namespace flack::server::net
