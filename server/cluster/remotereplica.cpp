#include "server/cluster/remotereplica.h"

#include "server/cluster/clustermessage.h"
#include "server/cluster/peertransport.h"

namespace flack::server::cluster {

RemoteReplica::RemoteReplica(QString node, PeerTransport *transport)
    : m_node(std::move(node)), m_transport(transport)
{
}

void RemoteReplica::deliverState(const QString &chatName, const QString &connectionId,
                                 const QByteArray &json,
                                 const std::vector<rooms::MemberInfo> &roster)
{
    m_transport->sendTo(m_node, ClusterMessageType::State,
                        encodeState({chatName, connectionId, json, roster}));
}

void RemoteReplica::deliverEvent(const rooms::ChatEvent &event)
{
    // Encoded per node: the owner's JSON bytes travel inside unchanged.
    m_transport->sendTo(m_node, ClusterMessageType::Event, encodeEvent(event));
}

void RemoteReplica::refuseJoin(const QString &chatName, const QString &connectionId,
                               protocol::ErrorCode code, const QString &reason)
{
    m_transport->sendTo(m_node, ClusterMessageType::Refuse,
                        encodeRefuse({chatName, connectionId, code, reason}));
}

} // namespace flack::server::cluster
