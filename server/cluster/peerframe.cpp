#include "server/cluster/peerframe.h"

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace flack::server::cluster {

namespace {
// A drained buffer keeps its allocation for the next frames unless a big frame made it large:
// an idle link shouldn't hold on to the memory of the largest frame it ever saw.
constexpr qsizetype kKeptBufferCapacity = 64 * 1024;
} // namespace

QByteArray encodePeerFrame(quint8 type, QByteArrayView payload)
{
    if (payload.size() > kPeerFrameMaxPayloadBytes)
        return {};
    QByteArray frame(kPeerFrameOverheadBytes + payload.size(), Qt::Uninitialized);
    writePeerFrameHeader(frame.data(), type, payload.size());
    if (!payload.isEmpty())
        memcpy(frame.data() + kPeerFrameOverheadBytes, payload.data(), size_t(payload.size()));
    return frame;
}

void writePeerFrameHeader(char *out, quint8 type, qsizetype payloadSize)
{
    Q_ASSERT(payloadSize >= 0 && payloadSize <= kPeerFrameMaxPayloadBytes);
    qToBigEndian<quint32>(quint32(payloadSize + 2), out);
    out[4] = char(kPeerProtocolVersion);
    out[5] = char(type);
}

PeerFrameReader::PeerFrameReader(qsizetype maxBodyBytes)
    : m_maxBodyBytes(qBound(qsizetype(2), maxBodyBytes, qsizetype(0xFFFFFFFFu)))
{
}

void PeerFrameReader::append(QByteArrayView bytes)
{
    if (hasError() || bytes.isEmpty())
        return;
    if (m_offset > 0) {
        // Only the tail of a partial frame is left before m_offset's end: move it to the front
        // once per append instead of once per frame taken out.
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
}

PeerFrameReader::Status PeerFrameReader::next(PeerFrame *out, QString *error)
{
    if (hasError()) {
        if (error)
            *error = m_error;
        return Status::Error;
    }
    const qsizetype available = m_buffer.size() - m_offset;
    const char *start = m_buffer.constData() + m_offset;
    if (m_bodyLength < 0) {
        if (available < kPeerFrameLengthBytes)
            return Status::NeedMore;
        // Judged on the header alone, before a byte of the body is buffered or allocated.
        const quint32 length = qFromBigEndian<quint32>(start);
        if (length < 2)
            return fail(u"frame body of %1 bytes is shorter than version and type"_s.arg(length),
                        error);
        if (qsizetype(length) > m_maxBodyBytes)
            return fail(
                u"frame body of %1 bytes exceeds the limit of %2"_s.arg(length).arg(m_maxBodyBytes),
                error);
        m_bodyLength = qsizetype(length);
    }
    // The version is checked as soon as it arrives: a peer speaking another version is told
    // off before it has sent a whole (possibly large) frame.
    if (available > kPeerFrameLengthBytes) {
        const auto version = quint8(start[kPeerFrameLengthBytes]);
        if (version != kPeerProtocolVersion)
            return fail(
                u"protocol version %1, expected %2"_s.arg(version).arg(kPeerProtocolVersion),
                error);
    }
    if (available < kPeerFrameLengthBytes + m_bodyLength)
        return Status::NeedMore;
    if (out) {
        out->type = quint8(start[kPeerFrameLengthBytes + 1]);
        out->payload = QByteArray(start + kPeerFrameOverheadBytes, m_bodyLength - 2);
    }
    m_offset += kPeerFrameLengthBytes + m_bodyLength;
    m_bodyLength = -1;
    if (m_offset == m_buffer.size()) {
        m_offset = 0;
        if (m_buffer.capacity() > kKeptBufferCapacity)
            m_buffer.clear();
        else
            m_buffer.resize(0);
    }
    return Status::Frame;
}

qsizetype PeerFrameReader::wanted() const
{
    if (hasError())
        return 0;
    return qMax(qsizetype(0), kPeerFrameLengthBytes + m_maxBodyBytes - bufferedBytes());
}

PeerFrameReader::Status PeerFrameReader::fail(QString reason, QString *error)
{
    m_error = std::move(reason);
    // Nothing after a broken header can be trusted, so nothing of it is kept.
    m_buffer.clear();
    m_offset = 0;
    m_bodyLength = -1;
    if (error)
        *error = m_error;
    return Status::Error;
}

} // namespace flack::server::cluster
