#pragma once
// How the cluster's chat layer sends a message to another node: the peer mesh implements it
// over the authenticated links; tests use a fake that delivers in process.

#include "server/cluster/clustermessage.h"

namespace flack::server::cluster {

class PeerTransport
{
public:
    virtual ~PeerTransport() = default;
    // False when there is no live link to that node (the message is dropped).
    virtual bool sendTo(const QString &node, ClusterMessageType type,
                        const QByteArray &payload) = 0;
};

} // namespace flack::server::cluster
