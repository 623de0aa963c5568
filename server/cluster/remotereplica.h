#pragma once
// The replicas of another node, as this node's chat owners see them: each event, chat_state or
// refusal for that node becomes one message on the peer link, whatever the number of members
// there. Lives on the main thread; owned by ClusterRouter, one per live peer node.

#include "server/rooms/replicasink.h"

namespace flack::server::cluster {

class PeerTransport;

class RemoteReplica : public rooms::ReplicaSink
{
public:
    RemoteReplica(QString node, PeerTransport *transport);

    void deliverState(const QString &chatName, const QString &connectionId, const QByteArray &json,
                      const std::vector<rooms::MemberInfo> &roster) override;
    void deliverEvent(const rooms::ChatEvent &event) override;
    void refuseJoin(const QString &chatName, const QString &connectionId, protocol::ErrorCode code,
                    const QString &reason) override;

private:
    QString m_node;
    PeerTransport *m_transport;
};

} // namespace flack::server::cluster
