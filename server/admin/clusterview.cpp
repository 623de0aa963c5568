#include "server/admin/clusterview.h"

#include <algorithm>

namespace flack::server::admin {

using protocol::ChatInfo;
using protocol::LinkInfo;
using protocol::LinkState;
using protocol::NodeInfo;
using protocol::NodeStatus;
using protocol::UserInfo;

ClusterView ClusterView::compose(const QString &self, const QString &time,
                                 const QList<NodeReport> &reports,
                                 const QStringList &unreachableNodes)
{
    ClusterView view;
    view.node = self;
    view.time = time;
    for (const NodeReport &report : reports) {
        for (NodeInfo node : report.nodes) {
            if (view.nodes.contains(node.name))
                continue;
            node.status =
                unreachableNodes.contains(node.name) ? NodeStatus::Unreachable : NodeStatus::Up;
            view.nodes.insert(node.name, node);
        }
        // A chat is reported by its owner; during a re-homing two nodes may both claim it for
        // a moment: the first report wins.
        for (const ChatInfo &chat : report.chats) {
            if (!view.chats.contains(chat.name))
                view.chats.insert(chat.name, chat);
        }
        for (const UserInfo &user : report.users) {
            if (!view.users.contains(user.connectionId))
                view.users.insert(user.connectionId, user);
        }
    }
    for (NodeInfo &node : view.nodes) {
        QSet<QString> linked;
        for (const LinkInfo &link : std::as_const(node.links))
            linked.insert(link.node);
        for (const QString &other : view.nodes.keys()) {
            if (other != node.name && !linked.contains(other))
                node.links.append({other, LinkState::Down, -1});
        }
        // Only links to nodes in the view: a link to a node nobody else reports can't be drawn.
        node.links.removeIf([&](const LinkInfo &link) { return !view.nodes.contains(link.node); });
        std::sort(node.links.begin(), node.links.end(),
                  [](const LinkInfo &a, const LinkInfo &b) { return a.node < b.node; });
        if (node.status == NodeStatus::Unreachable)
            view.unreachable.append(node.name);
    }
    return view;
}

protocol::ClusterSnapshot ClusterView::snapshot() const
{
    protocol::ClusterSnapshot snapshot;
    snapshot.node = node;
    snapshot.time = time;
    snapshot.nodes = nodes.values();
    snapshot.chats = chats.values();
    snapshot.users = users.values();
    snapshot.unreachable = unreachable;
    return snapshot;
}

protocol::ClusterUpdate ClusterView::updateSince(const ClusterView &before) const
{
    protocol::ClusterUpdate update;
    update.node = node;
    update.time = time;
    update.nodes = nodes.values();
    update.unreachable = unreachable;
    for (auto it = chats.cbegin(); it != chats.cend(); ++it) {
        const auto old = before.chats.constFind(it.key());
        if (old == before.chats.cend() || !(*old == *it))
            update.chatsChanged.append(*it);
    }
    for (auto it = before.chats.cbegin(); it != before.chats.cend(); ++it) {
        if (!chats.contains(it.key()))
            update.chatsRemoved.append(it.key());
    }
    for (auto it = users.cbegin(); it != users.cend(); ++it) {
        const auto old = before.users.constFind(it.key());
        if (old == before.users.cend() || !(*old == *it))
            update.usersChanged.append(*it);
    }
    for (auto it = before.users.cbegin(); it != before.users.cend(); ++it) {
        if (!users.contains(it.key()))
            update.usersRemoved.append(it.key());
    }
    return update;
}

} // namespace flack::server::admin
