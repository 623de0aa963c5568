#pragma once
// One chat on one node: this node's members of it and the delivery loop. Sessions talk to it
// as their ChatRoom; it forwards their requests to the chat's owner (an OwnerLink: the local
// ChatOwner, or a peer link) and delivers what the owner sends back (as a ReplicaSink),
// converting each event to a frame once for all of its members. Members on another thread
// (RoomMember::relay()) get theirs through their thread's sink: once per thread, not per
// member. While joined/left come faster than the presence window, it holds them back as one
// batch for all its members (see PresenceBatch) and hands each member the run once a window.
// Lives on its directory's thread; created and dropped by RoomDirectory.

#include "server/net/writecoalescer.h"
#include "server/rooms/chatroom.h"
#include "server/rooms/presencebatch.h"
#include "server/rooms/replicasink.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <limits>

#include <vector>

namespace flack::server::admin {
class ServerMetrics;
}

namespace flack::server::rooms {

class ConnectionRegistry;
class OwnerLink;

class ChatReplica : public QObject,
                    public ChatRoom,
                    public ReplicaSink,
                    private net::WriteCoalescer::Client
{
    Q_OBJECT
public:
    ChatReplica(QString name, const ConnectionRegistry *connections, QObject *parent = nullptr);
    ~ChatReplica() override;

    // Where requests go from now on (the owner may move in a cluster).
    void setOwner(OwnerLink *owner) { m_owner = owner; }
    OwnerLink *owner() const { return m_owner; }
    // Where deliveries are counted (null: not counted).
    void setMetrics(admin::ServerMetrics *metrics) { m_metrics = metrics; }
    // The window joined/left may wait in on this thread, shared with the members' transports
    // (ChatEndpoint's presence coalescer, which stretches under a storm). Null: each event
    // goes to every member at once (and the members' transports may hold it themselves).
    void setPresenceWindow(net::WriteCoalescer *window) { m_presenceWindow = window; }
    // Held back joined/left, not yet handed to the members.
    const PresenceBatch &heldPresence() const { return m_batch; }
    // A batch goes at once when its records reach this much (as a transport's hold does:
    // what we hold back, the members can't read, and the slow-reader rule counts it).
    static constexpr qint64 kMaxBatchBytes = 16 * 1024;

    // ChatRoom
    QString name() const override { return m_name; }
    void join(RoomMember *member) override;
    void leave(RoomMember *member) override;
    void drop(RoomMember *member) override;
    void post(RoomMember *member, const QString &mimeType, const QString &message) override;

    // ReplicaSink
    void deliverState(const QString &chatName, const QString &connectionId, const QByteArray &json,
                      const std::vector<MemberInfo> &roster) override;
    void deliverEvent(const ChatEvent &event) override;
    void refuseJoin(const QString &chatName, const QString &connectionId, protocol::ErrorCode code,
                    const QString &reason) override;

    // Members receiving events (joiners waiting for their chat_state not counted).
    qsizetype memberCount() const { return qsizetype(m_members.size()); }
    const std::vector<RoomMember *> &members() const { return m_members; }
    const std::vector<RoomMember *> &joining() const { return m_joining; }
    bool hasMember(const RoomMember *member) const;
    // Highest sequence delivered here.
    qint64 lastSequence() const { return m_lastSequence; }
    bool isEmpty() const { return m_members.empty() && m_joining.empty() && m_leaving.isEmpty(); }

Q_SIGNALS:
    // No member, joiner or leaver is left; the directory forgets the replica.
    void emptied(const QString &name);

private:
    void checkEmpty();
    // Whether a joined/left arriving now joins the batch instead of going out.
    bool batching(qint64 now) const;
    void holdPresence(const ChatEvent &event, const QString &frame);
    void flushHeld() override; // net::WriteCoalescer::Client: the window has passed
    // Hands every direct member the batch (from its own place in it); nothing is held after.
    void flushBatch();
    // A member starts or stops receiving events here (m_members, and m_direct or m_relays).
    void admit(RoomMember *member);
    bool removeMember(RoomMember *member);

    QString m_name;
    const ConnectionRegistry *m_connections;
    OwnerLink *m_owner = nullptr;
    admin::ServerMetrics *m_metrics = nullptr;
    std::vector<RoomMember *> m_members; // every member receiving events
    std::vector<RoomMember *> m_direct;  // those delivered to here, on this thread
    // The others' threads, each with how many of them it has: one delivery per thread. A
    // handful of threads: a vector beats a hash.
    std::vector<std::pair<ReplicaSink *, qsizetype>> m_relays;
    std::vector<RoomMember *> m_joining; // asked to join; their chat_state is on its way
    // Connections that asked to leave: they get nothing more but their own left, found by id
    // when it comes, so a connection that goes away meanwhile leaves no dangling pointer.
    QSet<QString> m_leaving;
    qint64 m_lastSequence = 0;
    QPointer<net::WriteCoalescer> m_presenceWindow;
    PresenceBatch m_batch;
    // Direct members who joined while the batch was held: where theirs starts (the events
    // before are from before their join; their own joined went to them at once).
    QHash<const RoomMember *, qsizetype> m_batchFrom;
    qint64 m_lastPresenceMs = std::numeric_limits<qint64>::min() / 2; // last given out
    bool m_listed = false; // with m_presenceWindow, which calls flushHeld() once for it
};

} // namespace flack::server::rooms
