#include "server/net/memorytrimpolicy.h"

namespace flack::server::net {

bool MemoryTrimPolicy::onTick(qint64 nowMs, qint64 arrivals, qint64 releasedBuffers)
{
    // Negative counts are a caller's bug; they must not cancel what was counted.
    m_arrivals += qMax<qint64>(0, arrivals);
    m_released += qMax<qint64>(0, releasedBuffers);
    if (arrivals > m_settings.quietArrivalsPerTick) {
        m_quietTicks = 0;
        return false; // mid-burst: what it frees now it allocates again next tick
    }
    if (++m_quietTicks < m_settings.quietTicks)
        return false;
    if (m_arrivals < m_settings.minArrivals && m_released < m_settings.minReleasedBuffers)
        return false;
    if (m_lastTrimMs >= 0 && nowMs - m_lastTrimMs < m_settings.minIntervalMs)
        return false;
    m_lastTrimMs = nowMs;
    m_arrivals = 0;
    m_released = 0;
    return true;
}

} // namespace flack::server::net
