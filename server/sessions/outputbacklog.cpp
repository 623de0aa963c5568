#include "server/sessions/outputbacklog.h"

namespace flack::server::sessions {

OutputBacklog::Verdict OutputBacklog::settle()
{
    m_allowance = 0;
    m_watching = false;
    return Verdict::Fine;
}

OutputBacklog::Verdict OutputBacklog::check(qint64 queued)
{
    if (queued <= m_limit)
        return settle();
    if (queued > hardLimit())
        return Verdict::Drop;
    if (!m_watching) {
        m_watching = true;
        m_queuedAtReviewStart = queued;
    }
    return Verdict::Watch;
}

OutputBacklog::Verdict OutputBacklog::review(qint64 queued)
{
    if (queued <= m_limit)
        return settle();
    if (queued > hardLimit() || (m_watching && queued >= m_queuedAtReviewStart))
        return Verdict::Drop; // took nothing over a whole grace period (or fell further behind)
    m_watching = true;
    m_queuedAtReviewStart = queued;
    return Verdict::Watch;
}

} // namespace flack::server::sessions
