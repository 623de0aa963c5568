#include "server/admin/clusterobserver.h"

#include "server/admin/nodereporter.h"
#include "server/admin/servermetrics.h"
#include "server/cluster/peertransport.h"
#include "server/rooms/connectionregistry.h"
#include "server/rooms/roommember.h"
#include "shared/timestamp.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAdmin, "flack.admin")

namespace flack::server::admin {

using cluster::ClusterMessageType;
using cluster::KickReplyMessage;

ClusterObserver::ClusterObserver(NodeReporter *reporter, rooms::ConnectionRegistry *connections,
                                 ServerMetrics *metrics, QObject *parent)
    : QObject(parent), m_reporter(reporter), m_connections(connections), m_metrics(metrics)
{
    m_roundTimer.setInterval(kRoundIntervalMs);
    connect(&m_roundTimer, &QTimer::timeout, this, &ClusterObserver::startRound);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ClusterObserver::finishRound);
}

void ClusterObserver::setCluster(cluster::PeerTransport *transport, PeersSource peers)
{
    m_transport = transport;
    m_peers = std::move(peers);
}

void ClusterObserver::addWatcher()
{
    if (m_watchers++ == 0) {
        m_roundTimer.start();
        startRound();
    }
}

void ClusterObserver::removeWatcher()
{
    if (m_watchers > 0 && --m_watchers == 0) {
        m_roundTimer.stop();
        m_deadline.stop();
        m_roundOpen = false;
    }
}

void ClusterObserver::startRound()
{
    if (m_roundOpen)
        return; // the previous one is still waiting for its deadline
    ++m_round;
    m_roundOpen = true;
    m_latest.insert(m_reporter->nodeName(), m_reporter->report());
    m_awaiting.clear();
    const QStringList peers = m_peers ? m_peers() : QStringList();
    for (const QString &peer : peers) {
        if (m_transport && m_transport->sendTo(peer, ClusterMessageType::StatsRequest,
                                               cluster::encodeStatsRequest(m_round)))
            m_awaiting.insert(peer);
    }
    // Nodes that are no longer peers are gone from the view (their users got left).
    const QSet<QString> live(peers.begin(), peers.end());
    for (auto it = m_latest.begin(); it != m_latest.end();) {
        if (it.key() != m_reporter->nodeName() && !live.contains(it.key()))
            it = m_latest.erase(it);
        else
            ++it;
    }
    if (m_awaiting.isEmpty())
        finishRound();
    else
        m_deadline.start(kReplyDeadlineMs);
}

void ClusterObserver::finishRound()
{
    if (!m_roundOpen)
        return;
    m_roundOpen = false;
    m_deadline.stop();
    // Ours first, then the others by name: the first report of a chat wins in compose().
    QList<NodeReport> reports{m_latest.value(m_reporter->nodeName())};
    QStringList others = m_latest.keys();
    others.sort();
    for (const QString &node : std::as_const(others)) {
        if (node != m_reporter->nodeName())
            reports.append(m_latest.value(node));
    }
    m_view = ClusterView::compose(m_reporter->nodeName(),
                                  QString::fromLatin1(protocol::currentTimestamp()), reports,
                                  m_awaiting.values());
    m_hasView = true;
    Q_EMIT viewUpdated();
}

KickReplyMessage ClusterObserver::kickHere(const QString &connectionId, const QString &reason)
{
    KickReplyMessage reply;
    rooms::RoomMember *member = m_connections->find(connectionId);
    if (!member || !member->details().authenticated) {
        reply.reason = QStringLiteral("no such connection");
        return reply;
    }
    reply.ok = true;
    reply.userName = member->userName();
    if (m_metrics)
        m_metrics->kicked();
    member->kick(reason);
    return reply;
}

void ClusterObserver::kick(const QString &connectionId, const QString &reason, KickDone done)
{
    // Connection ids start with the node that holds them.
    const QString node = connectionId.section(u'/', 0, 0);
    if (node == m_reporter->nodeName() || !m_transport) {
        done(kickHere(connectionId, reason));
        return;
    }
    const quint64 id = ++m_nextKick;
    if (!m_transport->sendTo(node, ClusterMessageType::KickRequest,
                             cluster::encodeKickRequest({id, connectionId, reason}))) {
        done({id, false, QStringLiteral("node %1 is not reachable").arg(node), {}});
        return;
    }
    m_kicks.insert(id, std::move(done));
    QTimer::singleShot(kKickDeadlineMs, this, [this, id, node] {
        if (KickDone pending = m_kicks.take(id))
            pending({id, false, QStringLiteral("node %1 did not answer").arg(node), {}});
    });
}

void ClusterObserver::handleMessage(const QString &fromNode, quint8 type, const QByteArray &payload)
{
    switch (ClusterMessageType(type)) {
    case ClusterMessageType::StatsRequest:
        if (const auto id = cluster::decodeStatsRequest(payload)) {
            m_transport->sendTo(fromNode, ClusterMessageType::StatsReply,
                                cluster::encodeStatsReply(
                                    *id, protocol::encodeClusterSnapshot(m_reporter->report())));
            return;
        }
        break;
    case ClusterMessageType::StatsReply:
        if (const auto reply = cluster::decodeStatsReply(payload)) {
            const auto decoded = protocol::decodeAdminServerRecord(reply->second);
            const auto *report = std::get_if<protocol::ClusterSnapshot>(&decoded.record);
            // A node reports itself only: one node, its own name, its own users.
            const bool own =
                decoded.ok && report && report->node == fromNode && report->nodes.size() == 1 &&
                report->nodes[0].name == fromNode &&
                std::all_of(report->users.begin(), report->users.end(),
                            [&](const protocol::UserInfo &u) { return u.node == fromNode; });
            if (!own)
                break;
            m_latest.insert(fromNode, *report);
            if (m_roundOpen && reply->first == m_round && m_awaiting.remove(fromNode) &&
                m_awaiting.isEmpty())
                finishRound();
            return;
        }
        break;
    case ClusterMessageType::KickRequest:
        if (const auto request = cluster::decodeKickRequest(payload)) {
            // Only connections held here.
            KickReplyMessage reply =
                request->connectionId.section(u'/', 0, 0) == m_reporter->nodeName()
                    ? kickHere(request->connectionId, request->reason)
                    : KickReplyMessage{0, false, QStringLiteral("no such connection"), {}};
            reply.id = request->id;
            qCInfo(lcAdmin).noquote() << "kick of" << request->connectionId << "asked by node"
                                      << fromNode << (reply.ok ? "done" : "refused");
            m_transport->sendTo(fromNode, ClusterMessageType::KickReply,
                                cluster::encodeKickReply(reply));
            return;
        }
        break;
    case ClusterMessageType::KickReply:
        if (const auto reply = cluster::decodeKickReply(payload)) {
            if (KickDone done = m_kicks.take(reply->id))
                done(*reply);
            return;
        }
        break;
    default:
        break;
    }
    qCWarning(lcAdmin) << "malformed admin message of type" << type << "from" << fromNode
                       << "ignored";
}

} // namespace flack::server::admin
