#pragma once
// Decides when a connection's unsent data means the reader must go. "Slow" is a reader that
// doesn't take data over time, not one that has much queued after one busy moment: a burst
// into a big room queues it for every member within one pass of the event loop, before any
// of it is written, and fast readers must survive that.
//
// - Up to `limit` bytes queued is fine.
// - Over it the reader is watched: it must have less queued at the end of each grace period
//   than at its start (it takes data), until it is back under the limit.
// - Over twice the limit it goes at once: that bounds what any one reader can make us hold.
// - A chat_state is the joiner's entry to a chat and must always reach it, however big the
//   chat: its size is allowed on top, until the reader is back under the limit.
// Pure bookkeeping; the session measures the queue and runs the grace timer.

#include <QtGlobal>

namespace flack::server::sessions {

class OutputBacklog
{
public:
    enum class Verdict {
        Fine,  // at or under the limit
        Watch, // over it: review() at the end of a grace period
        Drop,  // the reader must go
    };

    explicit OutputBacklog(qint64 limitBytes) : m_limit(limitBytes) {}

    // A connection that authenticated may be allowed more.
    void setLimit(qint64 limitBytes) { m_limit = limitBytes; }
    // A chat_state of this size was just queued.
    void allowState(qint64 bytes) { m_allowance += bytes; }
    // After something was queued for the reader, or read from it (a ping queues a pong).
    Verdict check(qint64 queued);
    // At the end of a grace period that check() or review() asked for.
    Verdict review(qint64 queued);

    bool watching() const { return m_watching; }
    qint64 hardLimit() const { return 2 * m_limit + m_allowance; }

private:
    Verdict settle();

    qint64 m_limit;
    qint64 m_allowance = 0;
    bool m_watching = false;
    qint64 m_queuedAtReviewStart = 0;
};

} // namespace flack::server::sessions
