#pragma once
// The face of a chat that sessions talk to. A local Room implements it today; in a cluster a
// proxy for a room owned by another node can implement it too, and sessions won't notice.

#include <QString>

namespace flack::server::rooms {

class RoomMember;

class ChatRoom
{
public:
    virtual ~ChatRoom() = default;
    virtual QString name() const = 0;
    // Sends chat_state (members before the joiner) to the joiner, then joined to every member.
    virtual void join(RoomMember *member) = 0;
    // leave_chat: left to every member, the leaver included.
    virtual void leave(RoomMember *member) = 0;
    // The connection went away: left to the remaining members only.
    virtual void drop(RoomMember *member) = 0;
    // chat_message to every member, the sender included.
    virtual void post(RoomMember *member, const QString &mimeType, const QString &message) = 0;
};

} // namespace flack::server::rooms
