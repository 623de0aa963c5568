#pragma once
// The recent message rates of the whole cluster, one sample per cluster record (about one a
// second), for the Overview chart. Samples are keyed by the record's server time, so a slow GUI
// or a reconnect to another node doesn't stretch or squeeze the chart; samples older than the
// kept span are dropped. Plain data, owned by ClusterState on the GUI thread.

#include <QList>
#include <QtGlobal>

namespace flack::admin {

class RateHistory
{
public:
    struct Sample
    {
        qint64 time = 0; // seconds since the epoch (server time, UTC)
        double messagesInPerS = 0;
        double deliveriesPerS = 0;
        friend bool operator==(const Sample &, const Sample &) = default;
    };

    explicit RateHistory(qint64 keepSeconds = 15 * 60) : m_keepSeconds(keepSeconds) {}

    // A sample for the same second as the last replaces it; one older than the last (clocks of
    // two nodes after a reconnect) starts the history again rather than drawing backwards.
    void add(const Sample &sample);
    void clear() { m_samples.clear(); }

    const QList<Sample> &samples() const { return m_samples; }
    qint64 keepSeconds() const { return m_keepSeconds; }

private:
    QList<Sample> m_samples;
    qint64 m_keepSeconds;
};

} // namespace flack::admin
