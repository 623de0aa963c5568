#pragma once
// Gathers the admin view of the whole cluster while someone watches: about once a second it
// asks every live peer for its report (a StatsRequest over the peer link), waits a bounded time,
// and composes the view from what arrived — a node that didn't answer is marked unreachable
// with its last figures, so the view is partial, never failed. Also carries kicks to the node
// that holds the connection, and answers other nodes' requests for this node's report and
// kicks. Lives on the main thread; owned by ServerApplication.

#include "server/admin/clusterview.h"
#include "server/cluster/clustermessage.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace flack::server::cluster {
class PeerTransport;
}
namespace flack::server::rooms {
class ConnectionRegistry;
}

namespace flack::server::admin {

class NodeReporter;
class ServerMetrics;

class ClusterObserver : public QObject
{
    Q_OBJECT
public:
    using KickDone = std::function<void(const cluster::KickReplyMessage &)>;
    using PeersSource = std::function<QStringList()>;

    // metrics (may be null) counts the kicks done here.
    ClusterObserver(NodeReporter *reporter, rooms::ConnectionRegistry *connections,
                    ServerMetrics *metrics, QObject *parent = nullptr);
    // Once clustered: how to reach the peers and which are live. Alone, the view is this node.
    void setCluster(cluster::PeerTransport *transport, PeersSource peers);

    // Rounds run only while someone watches (per-second counters, never per-message events).
    void addWatcher();
    void removeWatcher();
    bool hasView() const { return m_hasView; }
    const ClusterView &view() const { return m_view; }

    // Kicks the connection wherever it is; done is called exactly once.
    void kick(const QString &connectionId, const QString &reason, KickDone done);

    // A cluster message of the admin layer from an authenticated peer.
    void handleMessage(const QString &fromNode, quint8 type, const QByteArray &payload);

    // Bounds: how long a round waits for the peers, and a kick for its node.
    static constexpr int kRoundIntervalMs = 1000;
    static constexpr int kReplyDeadlineMs = 800;
    static constexpr int kKickDeadlineMs = 3000;

Q_SIGNALS:
    void viewUpdated();

private:
    void startRound();
    void finishRound();
    cluster::KickReplyMessage kickHere(const QString &connectionId, const QString &reason);

    NodeReporter *m_reporter;
    rooms::ConnectionRegistry *m_connections;
    ServerMetrics *m_metrics;
    cluster::PeerTransport *m_transport = nullptr;
    PeersSource m_peers;
    int m_watchers = 0;
    QTimer m_roundTimer;
    QTimer m_deadline;
    quint64 m_round = 0;
    bool m_roundOpen = false;
    QSet<QString> m_awaiting;            // peers not yet answered this round
    QHash<QString, NodeReport> m_latest; // by node: the last report that came
    ClusterView m_view;
    bool m_hasView = false;
    quint64 m_nextKick = 0;
    QHash<quint64, KickDone> m_kicks; // waiting for another node's answer
};

} // namespace flack::server::admin
