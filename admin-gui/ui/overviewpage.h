#pragma once
// The Overview tab: the cluster's totals as tiles, a warning when the view is partial (a node
// unreachable), and live charts of messages in/s and deliveries/s over the last minutes.
// Refreshed after every record. GUI thread.

#include <QWidget>

class QLabel;

namespace flack::admin {

class ClusterState;
class RateChart;
class StatTile;

class OverviewPage : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPage(ClusterState *cluster, QWidget *parent = nullptr);

    void refresh();

    StatTile *tile(const QString &caption) const;
    RateChart *messagesChart() const { return m_messagesChart; }
    RateChart *deliveriesChart() const { return m_deliveriesChart; }

private:
    ClusterState *m_cluster;
    QLabel *m_partial;
    QList<StatTile *> m_tiles;
    RateChart *m_messagesChart;
    RateChart *m_deliveriesChart;
};

} // namespace flack::admin
