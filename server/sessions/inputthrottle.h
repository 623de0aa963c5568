#pragma once
// Paces what one connection sends. A frame within the connection's MessageRateLimiter passes
// at once; beyond it frames wait here, in order, and the connection stops reading (so what a
// flooder sends next waits in its own kernel buffers, and TCP slows it down, instead of in our
// memory), then pass as tokens come back. A connection that has been over its rate for longer
// than floodMs without a pause is a sustained flooder: its session closes it.
// Frames that had already been read when reading paused are held: at most what the rate lets
// through in floodMs (so a pause never lasts longer; the websocket layer gives up on a frame
// left half-read for 5 s), and at most maxHeldBytes. More than that is flooding too.
// Plain bookkeeping for one session, which owns it; its timers run in the session's context.

#include "server/sessions/messageratelimiter.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <functional>

class QObject;

namespace flack::server::sessions {

struct ThrottleSettings
{
    int messagesPerSecond = 20; // 0: unlimited
    int burst = 60;
    qint64 maxHeldBytes = 512 * 1024;
    int floodMs = 4000;
};

class InputThrottle
{
public:
    struct Callbacks
    {
        std::function<void(const QString &)> pass; // handle the frame now
        std::function<void(bool)> setReadingPaused;
        std::function<void()> flooded;
    };

    InputThrottle(const ThrottleSettings &settings, QObject *context, Callbacks callbacks);

    // Every text frame read from the connection.
    void offer(const QString &frame);
    // The connection is ending: drop what is held and take nothing more.
    void stop();

    qsizetype heldFrames() const { return m_held.size(); }
    // The rate's bucket, in thousandths of a token (see MessageRateLimiter): read when the
    // connection ends, set before its first frame to carry on from an earlier connection.
    qint64 tokensMilli() { return m_limiter.tokensMilli(now()); }
    void startFrom(qint64 tokensMilli) { m_limiter.setTokensMilli(tokensMilli, now()); }

private:
    qint64 now() const { return m_clock.elapsed(); }
    qsizetype maxHeldFrames() const;
    void drain();
    void scheduleDrain();
    void flood();

    ThrottleSettings m_settings;
    QObject *m_context;
    Callbacks m_callbacks;
    QElapsedTimer m_clock;
    MessageRateLimiter m_limiter;
    QList<QString> m_held;
    qint64 m_heldBytes = 0;
    qint64 m_overRateSince = -1; // first frame that found no token, since the last that did
    bool m_drainScheduled = false;
    bool m_paused = false;
    bool m_stopped = false;
};

} // namespace flack::server::sessions
