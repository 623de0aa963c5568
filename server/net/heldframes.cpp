#include "server/net/heldframes.h"

#include <cstring>

namespace flack::server::net {

void HeldFrames::append(const QByteArray &frame)
{
    if (m_frames.empty())
        m_frames.reserve(8); // a storm's holds are dozens of frames: fewer regrowths
    m_frames.push_back(frame);
    m_bytes += frame.size();
}

QByteArray HeldFrames::take()
{
    QByteArray piece;
    if (m_frames.size() == 1) {
        piece = m_frames.front(); // already one piece: shared, not copied
    } else if (!m_frames.empty()) {
        piece = QByteArray(m_bytes, Qt::Uninitialized);
        char *out = piece.data();
        for (const QByteArray &frame : m_frames) {
            std::memcpy(out, frame.constData(), std::size_t(frame.size()));
            out += frame.size();
        }
    }
    clear();
    return piece;
}

void HeldFrames::clear()
{
    std::vector<QByteArray>().swap(m_frames);
    m_bytes = 0;
}

} // namespace flack::server::net
