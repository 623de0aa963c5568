#pragma once
// A drawing of the cluster: the nodes on a circle, each pair joined by its link, coloured by
// health (up, half-open, down, missing) and labelled with the round-trip time; a node shows
// its status, connections and message rate, the one answering for the cluster is ringed.
// Tooltips give each side's view. Drawn with QPainter from the last record. GUI thread.

#include "admin-gui/core/nodepairs.h"
#include "shared/adminrecord.h"

#include <QHash>
#include <QWidget>

namespace flack::admin {

class NodeGraph : public QWidget
{
    Q_OBJECT

public:
    explicit NodeGraph(QWidget *parent = nullptr);

    void setNodes(const QList<protocol::NodeInfo> &nodes, const QString &answeringNode);

    // Where each node is drawn at the current size (centre points), for tests and tooltips.
    QHash<QString, QPointF> nodeCentres() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    double nodeRadius() const;
    QString toolTipAt(const QPointF &position) const;

    QList<protocol::NodeInfo> m_nodes; // sorted by name: stable places
    QList<NodePair> m_pairs;
    QString m_answeringNode;
};

} // namespace flack::admin
