#include "server/sessions/messageratelimiter.h"

#include <algorithm>

namespace flack::server::sessions {

MessageRateLimiter::MessageRateLimiter(int perSecond, int burst, qint64 nowMs)
    : m_perSecond(std::max(perSecond, 0)), m_capacityMilli(qint64(std::max(burst, 1)) * 1000),
      m_tokensMilli(m_capacityMilli), m_lastMs(nowMs)
{
}

void MessageRateLimiter::refill(qint64 nowMs)
{
    if (nowMs <= m_lastMs)
        return;
    // perSecond tokens per 1000 ms = perSecond thousandths of a token per millisecond.
    m_tokensMilli = std::min(m_capacityMilli, m_tokensMilli + (nowMs - m_lastMs) * m_perSecond);
    m_lastMs = nowMs;
}

bool MessageRateLimiter::take(qint64 nowMs)
{
    if (unlimited())
        return true;
    refill(nowMs);
    if (m_tokensMilli < 1000)
        return false;
    m_tokensMilli -= 1000;
    return true;
}

qint64 MessageRateLimiter::msUntilToken(qint64 nowMs)
{
    if (unlimited())
        return 0;
    refill(nowMs);
    if (m_tokensMilli >= 1000)
        return 0;
    const qint64 missing = 1000 - m_tokensMilli;
    return (missing + m_perSecond - 1) / m_perSecond;
}

qint64 MessageRateLimiter::tokensMilli(qint64 nowMs)
{
    refill(nowMs);
    return m_tokensMilli;
}

void MessageRateLimiter::setTokensMilli(qint64 tokensMilli, qint64 nowMs)
{
    m_tokensMilli = std::clamp<qint64>(tokensMilli, 0, m_capacityMilli);
    m_lastMs = std::max(m_lastMs, nowMs);
}

} // namespace flack::server::sessions
