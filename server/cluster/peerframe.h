#pragma once
// The peer links' wire format: one frame = 4-byte big-endian body length, then the body =
// protocol version byte, type byte, payload. Types 1..15 belong to the link itself (handshake,
// heartbeats, leaving); 16..255 are cluster messages the link carries without looking inside.
// PeerFrameReader is the pure incremental decoder over received bytes; it is owned by one
// PeerLink and used on that link's (the main) thread.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace flack::server::cluster {

constexpr quint8 kPeerProtocolVersion = 1;

// The 4-byte length prefix, and everything a frame adds to its payload (prefix + version +
// type).
constexpr qsizetype kPeerFrameLengthBytes = 4;
constexpr qsizetype kPeerFrameOverheadBytes = kPeerFrameLengthBytes + 2;

// The largest payload the 32-bit length field can describe.
constexpr qsizetype kPeerFrameMaxPayloadBytes = qsizetype(0xFFFFFFFFu) - 2;

enum class PeerFrameType : quint8 {
    Hello = 1,
    Proof = 2,
    Refused = 3,
    Heartbeat = 4,
    HeartbeatReply = 5,
    Leaving = 6,
};

// The first type that belongs to the cluster layer rather than to the link.
constexpr quint8 kFirstClusterFrameType = 16;

struct PeerFrame
{
    quint8 type = 0;
    QByteArray payload;
};

// The whole frame, ready to write. Empty when the payload is larger than
// kPeerFrameMaxPayloadBytes.
QByteArray encodePeerFrame(quint8 type, QByteArrayView payload);
inline QByteArray encodePeerFrame(PeerFrameType type, QByteArrayView payload)
{
    return encodePeerFrame(quint8(type), payload);
}

// Writes the kPeerFrameOverheadBytes that go in front of a payload of payloadSize bytes, so a
// large payload can be written without first being copied into a frame.
void writePeerFrameHeader(char *out, quint8 type, qsizetype payloadSize);

class PeerFrameReader
{
public:
    enum class Status {
        NeedMore, // no complete frame buffered: append more bytes
        Frame,    // one frame taken out into *out
        Error,    // the stream is broken; every later call says so again
    };

    // maxBodyBytes bounds a frame's body (version + type + payload), at least 2.
    explicit PeerFrameReader(qsizetype maxBodyBytes);

    // Adds received bytes. Call next() until it stops returning Frame before appending again:
    // then the reader never holds more than one header + one body bound + the bytes just
    // appended. Ignored once the stream is broken.
    void append(QByteArrayView bytes);

    // Takes out the next complete frame. On Error, *error (if given) says what was wrong.
    Status next(PeerFrame *out, QString *error);

    // How many more bytes may be appended without the buffer passing one header + one body
    // bound: read at most this much from the socket. 0 once the stream is broken.
    qsizetype wanted() const;

    // Bytes held that were not yet taken out as frames.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }
    qsizetype maxBodyBytes() const { return m_maxBodyBytes; }
    bool hasError() const { return !m_error.isEmpty(); }

private:
    Status fail(QString reason, QString *error);

    qsizetype m_maxBodyBytes;
    QByteArray m_buffer;
    qsizetype m_offset = 0;      // first byte not yet taken out
    qsizetype m_bodyLength = -1; // of the frame at m_offset, once its header was checked
    QString m_error;
};

} // namespace flack::server::cluster
