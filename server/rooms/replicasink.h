#pragma once
// How a chat's owner reaches the replica of the chat on one node: the ChatReplica itself when
// the node is this one, a peer link to that node otherwise. The owner calls it once per node,
// never once per member.

#include "server/rooms/chatevent.h"
#include "shared/errorcode.h"

#include <vector>

namespace flack::server::rooms {

class ReplicaSink
{
public:
    virtual ~ReplicaSink() = default;
    // The chat_state for one joiner (only that connection receives it), sent before the
    // joined event that follows it; roster: every member now, the joiner last.
    virtual void deliverState(const QString &chatName, const QString &connectionId,
                              const QByteArray &json, const std::vector<MemberInfo> &roster) = 0;
    // An event for every member the replica holds.
    virtual void deliverEvent(const ChatEvent &event) = 0;
    // The owner could not take the join (a limit): the joiner gets that error.
    virtual void refuseJoin(const QString &chatName, const QString &connectionId,
                            protocol::ErrorCode code, const QString &reason) = 0;
};

} // namespace flack::server::rooms
