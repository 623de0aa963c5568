#include "admin-gui/core/clustertotals.h"

#include "admin-gui/core/nodepairs.h"

namespace flack::admin {

using protocol::NodeStatus;

ClusterTotals aggregateTotals(const QList<protocol::NodeInfo> &nodes, qint64 chats, qint64 users)
{
    ClusterTotals totals;
    totals.chats = chats;
    totals.users = users;
    for (const protocol::NodeInfo &node : nodes) {
        ++totals.nodes;
        totals.connections += node.connections;
        if (node.status == NodeStatus::Up) {
            ++totals.nodesUp;
            totals.messagesInPerS += node.messagesInPerS;
            totals.messagesOutPerS += node.messagesOutPerS;
            totals.deliveriesPerS += node.deliveriesPerS;
        } else {
            totals.partial = true;
        }
    }
    // A full mesh: every pair of nodes should be linked, and counts as up only when both sides
    // see it up.
    for (const NodePair &pair : nodePairs(nodes)) {
        ++totals.links;
        totals.linksUp += pair.health() == NodePair::Health::Up ? 1 : 0;
    }
    return totals;
}

} // namespace flack::admin
