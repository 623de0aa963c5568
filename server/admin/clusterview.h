#pragma once
// The whole cluster as an admin sees it at one moment: every node, every chat (as its owner
// reports it) and every authenticated connection, keyed for in-place updates, and the pure
// functions that build it from the nodes' reports and turn two views into the update between
// them. No sockets, no timers: unit-testable. Used on the main thread by ClusterObserver and
// AdminSession.

#include "shared/adminrecord.h"

#include <QHash>
#include <QMap>
#include <QSet>

namespace flack::server::admin {

// One node's own part: what it answers to a stats request (a one-node cluster_snapshot).
using NodeReport = protocol::ClusterSnapshot;

struct ClusterView
{
    QString node; // the node answering
    QString time;
    QMap<QString, protocol::NodeInfo> nodes; // by name (sorted: a stable order for tables)
    QMap<QString, protocol::ChatInfo> chats; // by name
    QMap<QString, protocol::UserInfo> users; // by connection id
    QStringList unreachable;

    // Builds the view from the latest report of each node. Nodes in unreachableNodes keep
    // their last report's chats and users and are marked unreachable; links to nodes a node
    // has no link with are listed as down, so the drawing shows every pair.
    static ClusterView compose(const QString &self, const QString &time,
                               const QList<NodeReport> &reports,
                               const QStringList &unreachableNodes);

    protocol::ClusterSnapshot snapshot() const;
    // What changed from `before` to this view.
    protocol::ClusterUpdate updateSince(const ClusterView &before) const;
};

} // namespace flack::server::admin
