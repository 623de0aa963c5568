#include "admin-gui/core/ratehistory.h"

namespace flack::admin {

void RateHistory::add(const Sample &sample)
{
    if (!m_samples.isEmpty()) {
        if (m_samples.last().time == sample.time) {
            m_samples.last() = sample;
            return;
        }
        if (m_samples.last().time > sample.time)
            m_samples.clear();
    }
    m_samples.append(sample);
    qsizetype stale = 0;
    while (stale < m_samples.size() && m_samples[stale].time < sample.time - m_keepSeconds)
        ++stale;
    if (stale > 0)
        m_samples.remove(0, stale);
}

} // namespace flack::admin
