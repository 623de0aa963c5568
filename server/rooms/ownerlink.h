#pragma once
// How a replica reaches its chat's owner: the ChatOwner itself when it lives on this node, a
// peer link to the owning node otherwise. Requests name connections by their cluster-wide id;
// answers come back asynchronously through the replica's ReplicaSink side.

#include "server/rooms/memberinfo.h"

namespace flack::server::rooms {

class OwnerLink
{
public:
    virtual ~OwnerLink() = default;
    virtual void join(const MemberInfo &member) = 0;
    // leave_chat: the leaver gets the left too.
    virtual void leave(const QString &connectionId) = 0;
    // The connection went away: left to the others only.
    virtual void drop(const QString &connectionId) = 0;
    virtual void post(const QString &connectionId, const QString &mimeType,
                      const QString &message) = 0;
};

} // namespace flack::server::rooms
