#pragma once
// Who a cluster node is, as it presents itself in the peer handshake. A node is identified by
// name + incarnation: a restarted node comes back with a higher incarnation and is a new
// member, never the old one resumed. A plain value, used on the main thread with the links.

#include <QString>

namespace flack::server::cluster {

struct PeerIdentity
{
    QString name;
    // Carried as a CBOR integer in the handshake, so it must stay below 2^63.
    quint64 incarnation = 0;
    // "host:port" other nodes can dial to reach this one; may be empty for a node that only
    // dials out.
    QString clusterAddress;

    friend bool operator==(const PeerIdentity &, const PeerIdentity &) = default;
};

} // namespace flack::server::cluster
