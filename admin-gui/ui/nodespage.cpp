#include "admin-gui/ui/nodespage.h"

#include "admin-gui/core/clusterstate.h"
#include "admin-gui/core/nodesmodel.h"
#include "admin-gui/ui/nodegraph.h"
#include "admin-gui/ui/tablepage.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace flack::admin {

NodesPage::NodesPage(ClusterState *cluster, NodesModel *model, QWidget *parent)
    : QWidget(parent), m_cluster(cluster), m_graph(new NodeGraph(this)),
      m_table(new TablePage(model, tr("node, status:unreachable, version:0.1"), -1, this))
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_graph);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void NodesPage::refresh()
{
    m_graph->setNodes(m_cluster->nodes(), m_cluster->answeringNode());
}

} // namespace flack::admin
