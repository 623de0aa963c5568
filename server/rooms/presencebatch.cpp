#include "server/rooms/presencebatch.h"

namespace flack::server::rooms {

void PresenceBatch::append(const QByteArray &utf8, const QString &frame)
{
    m_events.push_back({utf8, frame});
    m_bytes += utf8.size();
}

QByteArray PresenceBatch::wire(qsizetype from, WireEncoder encode) const
{
    if (from >= size())
        return {};
    if (encode != m_wireEncoder) {
        // Another encoder than the last (never within one thread's members in practice).
        m_wire.clear();
        m_wireOffsets.clear();
        m_wireEncoder = encode;
    }
    // Events appended since the last member asked are encoded now, once.
    for (std::size_t i = m_wireOffsets.size(); i < m_events.size(); ++i) {
        m_wireOffsets.push_back(m_wire.size());
        encode(m_events[i].utf8, m_wire);
    }
    if (from <= 0)
        return m_wire;
    return m_wire.sliced(m_wireOffsets[std::size_t(from)]);
}

} // namespace flack::server::rooms
