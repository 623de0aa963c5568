#pragma once
// The Nodes tab: the drawing of the nodes and their links above the nodes table. GUI thread.

#include <QWidget>

namespace flack::admin {

class ClusterState;
class NodeGraph;
class NodesModel;
class TablePage;

class NodesPage : public QWidget
{
    Q_OBJECT

public:
    NodesPage(ClusterState *cluster, NodesModel *model, QWidget *parent = nullptr);

    void refresh();

    NodeGraph *graph() const { return m_graph; }
    TablePage *table() const { return m_table; }

private:
    ClusterState *m_cluster;
    NodeGraph *m_graph;
    TablePage *m_table;
};

} // namespace flack::admin
