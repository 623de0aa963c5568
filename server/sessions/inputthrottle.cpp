#include "server/sessions/inputthrottle.h"

#include <QObject>
#include <QTimer>

#include <algorithm>

namespace flack::server::sessions {

namespace {
qint64 heldSize(const QString &frame)
{
    // UTF-16 code units: never more than the frame's UTF-8 bytes, which is what was read.
    return frame.size();
}
} // namespace

InputThrottle::InputThrottle(const ThrottleSettings &settings, QObject *context,
                             Callbacks callbacks)
    : m_settings(settings), m_context(context), m_callbacks(std::move(callbacks)),
      m_limiter(settings.messagesPerSecond, settings.burst, 0)
{
    m_clock.start();
}

void InputThrottle::offer(const QString &frame)
{
    if (m_stopped)
        return;
    const qint64 nowMs = now();
    if (m_held.isEmpty() && m_limiter.take(nowMs)) {
        m_overRateSince = -1; // it had a token to spare: it is within its rate
        m_callbacks.pass(frame);
        return;
    }
    if (m_overRateSince < 0)
        m_overRateSince = nowMs;
    else if (nowMs - m_overRateSince > m_settings.floodMs)
        return flood();
    if (m_heldBytes + heldSize(frame) > m_settings.maxHeldBytes || m_held.size() >= maxHeldFrames())
        return flood();
    m_held.append(frame);
    m_heldBytes += heldSize(frame);
    if (!m_paused) {
        m_paused = true;
        m_callbacks.setReadingPaused(true);
    }
    scheduleDrain();
}

qsizetype InputThrottle::maxHeldFrames() const
{
    return std::max<qsizetype>(1, qsizetype(m_settings.messagesPerSecond) * m_settings.floodMs / 1000);
}

void InputThrottle::stop()
{
    m_stopped = true;
    m_held.clear();
    m_heldBytes = 0;
    if (m_paused) {
        m_paused = false;
        m_callbacks.setReadingPaused(false);
    }
}

void InputThrottle::scheduleDrain()
{
    if (m_drainScheduled)
        return;
    m_drainScheduled = true;
    const qint64 waitMs = m_limiter.msUntilToken(now());
    QTimer::singleShot(int(waitMs), Qt::PreciseTimer, m_context, [this] {
        m_drainScheduled = false;
        drain();
    });
}

void InputThrottle::drain()
{
    while (!m_stopped && !m_held.isEmpty() && m_limiter.take(now())) {
        const QString frame = m_held.takeFirst();
        m_heldBytes -= heldSize(frame);
        m_callbacks.pass(frame); // may end the session, and stop() us
    }
    if (m_stopped)
        return;
    if (!m_held.isEmpty())
        return scheduleDrain();
    if (m_paused) {
        m_paused = false;
        m_callbacks.setReadingPaused(false);
    }
}

void InputThrottle::flood()
{
    stop();
    m_callbacks.flooded();
}

} // namespace flack::server::sessions
