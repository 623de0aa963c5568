#include "server/sessions/backlogwatch.h"

#include <QTimer>

namespace flack::server::sessions {

BacklogWatch::BacklogWatch(qint64 limitBytes, int graceMs, QObject *context,
                           std::function<qint64()> queuedBytes, std::function<void()> drop)
    : m_backlog(limitBytes), m_graceMs(graceMs), m_context(context),
      m_queuedBytes(std::move(queuedBytes)), m_drop(std::move(drop))
{
}

void BacklogWatch::queuedState(qint64 bytes)
{
    m_backlog.allowState(bytes);
    check();
}

void BacklogWatch::apply(OutputBacklog::Verdict verdict)
{
    switch (verdict) {
    case OutputBacklog::Verdict::Fine:
        return;
    case OutputBacklog::Verdict::Drop:
        return m_drop();
    case OutputBacklog::Verdict::Watch:
        break;
    }
    if (m_reviewPending)
        return;
    m_reviewPending = true;
    QTimer::singleShot(m_graceMs, m_context, [this] {
        m_reviewPending = false;
        apply(m_backlog.review(m_queuedBytes()));
    });
}

} // namespace flack::server::sessions
