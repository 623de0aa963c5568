#pragma once
// Runs one connection's OutputBacklog: measures its queue when told something was queued or
// read, keeps a single-shot grace timer while the reader is watched (none otherwise, so no
// timer object per connection), and calls the owner's drop when the verdict is Drop. Shared by
// the chat and the admin sessions, which differ only in how they measure and how they drop.
// Lives in its owner's thread; the owner is the timer's context and outlives it.

#include "server/sessions/outputbacklog.h"

#include <functional>

class QObject;

namespace flack::server::sessions {

class BacklogWatch
{
public:
    // queuedBytes: what waits to be sent now. drop: the reader must go (it may be called
    // again later; the owner ignores what it has already done).
    BacklogWatch(qint64 limitBytes, int graceMs, QObject *context,
                 std::function<qint64()> queuedBytes, std::function<void()> drop);

    // After something was queued for the reader, or input read from it.
    void check() { apply(m_backlog.check(m_queuedBytes())); }
    // A chat_state (or snapshot) of this size was just queued: allowed on top, then checked.
    void queuedState(qint64 bytes);
    // The same, for one about to be queued (the next check() sees it).
    void allowState(qint64 bytes) { m_backlog.allowState(bytes); }
    void setLimit(qint64 limitBytes) { m_backlog.setLimit(limitBytes); }
    // Over the limit, waiting for the end of a grace period to see if it reads.
    bool reviewPending() const { return m_reviewPending; }

private:
    void apply(OutputBacklog::Verdict verdict);

    OutputBacklog m_backlog;
    int m_graceMs;
    QObject *m_context;
    std::function<qint64()> m_queuedBytes;
    std::function<void()> m_drop;
    bool m_reviewPending = false;
};

} // namespace flack::server::sessions
