#pragma once
// Frames a room's event once for all the members it goes to. Server frames are unmasked, so
// an event's websocket frame is the same bytes for every member: the first member's transport
// frames it (header + payload, one allocation), the others find it here and hand their socket
// one block — one QIODevice::write() per delivery instead of two (header, then payload).
// Keyed by the payload's buffer: the cache keeps a reference to it, so while it is cached no
// other payload can take its address. One per thread (WebSocketTransport::framed).

#include <QByteArray>

namespace flack::server::net {

class FrameCache
{
public:
    // The unmasked final text frame carrying utf8.
    const QByteArray &framed(const QByteArray &utf8)
    {
        // A frame is never empty: an empty one means nothing was framed yet (and an empty
        // payload's buffer may be the same for every empty QByteArray).
        if (m_frame.isEmpty() || utf8.constData() != m_payload.constData() ||
            utf8.size() != m_payload.size())
            frame(utf8);
        return m_frame;
    }

    // Writes the header of an unmasked, final text frame with a payload of this size into
    // out (room for kMaxFrameHeader bytes); returns its length.
    static constexpr int kMaxFrameHeader = 10;
    static int textFrameHeader(qint64 payloadBytes, char *out);

private:
    void frame(const QByteArray &utf8);

    QByteArray m_payload; // the payload last framed (shared with its event, not copied)
    QByteArray m_frame;
};

} // namespace flack::server::net
