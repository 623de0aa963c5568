#pragma once
// This node's way to a chat whose owner is another node: the OwnerLink of the local replica,
// sending its requests over the peer link. It keeps every forwarded chat_message until the
// owner's event for it comes back, so a message accepted from a client survives the owner's
// death (it is sent again to the next owner), and it tracks the chat's roster from the owner's
// events, so a new owner can be told who was in the chat. Lives on the main thread; owned by
// ClusterRouter, one per chat with a remote owner.

#include "server/cluster/clustermessage.h"
#include "server/cluster/recentids.h"
#include "server/rooms/ownerlink.h"

#include <QHash>

#include <deque>

namespace flack::server::cluster {

class PeerTransport;

class RemoteOwner : public rooms::OwnerLink
{
public:
    RemoteOwner(QString chatName, QString ownerNode, PeerTransport *transport,
                std::function<QString()> originIds);

    QString chatName() const { return m_chatName; }
    QString ownerNode() const { return m_ownerNode; }
    // The chat moved: requests go there from now on.
    void setOwnerNode(const QString &node) { m_ownerNode = node; }

    // OwnerLink
    void join(const rooms::MemberInfo &member) override;
    void leave(const QString &connectionId) override;
    void drop(const QString &connectionId) override;
    void post(const QString &connectionId, const QString &mimeType,
              const QString &message) override;

    // From the owner. False when the event repeats a message already delivered here (the
    // same forwarded message stamped again by a new owner): don't deliver it twice.
    bool acceptEvent(const rooms::ChatEvent &event);
    void acceptState(const StateMessage &state);

    // Re-homing: what the new owner needs, and the messages it hasn't acknowledged.
    AttachRequest attachRequest(qint64 lastSequence,
                                const std::vector<rooms::MemberInfo> &localMembers) const;
    void resendPending();
    const std::deque<PostRequest> &pending() const { return m_pending; }
    const QHash<QString, rooms::MemberInfo> &roster() const { return m_roster; }

    // Bounds on what a chat can make us keep.
    static constexpr qsizetype kMaxPending = 10000;
    static constexpr qsizetype kRecentOrigins = 4096;

private:
    bool send(ClusterMessageType type, const QByteArray &payload);

    QString m_chatName;
    QString m_ownerNode;
    PeerTransport *m_transport;
    std::function<QString()> m_originIds;
    std::deque<PostRequest> m_pending; // forwarded, not yet acknowledged, oldest first
    QHash<QString, rooms::MemberInfo> m_roster;
    RecentIds m_delivered{kRecentOrigins}; // forwarded messages already delivered here
};

} // namespace flack::server::cluster
