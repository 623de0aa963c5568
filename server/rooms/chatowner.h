#pragma once
// The one writer of a chat in the cluster, on the chat's owner node: its roster (every member
// on every node), its sequence, and stamping. Each event is stamped (timestamp, next sequence)
// and encoded to JSON once, then handed once to each node that has members — never once per
// member. Lives on the main thread; created and dropped by RoomDirectory.

#include "server/rooms/memberinfo.h"
#include "server/rooms/ownerlink.h"
#include "server/rooms/rosterlisting.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <vector>

namespace flack::server::rooms {

struct ChatEvent;
class ReplicaSink;

class ChatOwner : public QObject, public OwnerLink
{
    Q_OBJECT
public:
    // Finds the replica sink of a node (the local replica, or a peer link); null if none.
    using SinkResolver = std::function<ReplicaSink *(const QString &node)>;

    // firstSequence: the sequence already used; the chat's next event gets the one above it.
    ChatOwner(QString name, qint64 firstSequence, SinkResolver sinks, QObject *parent = nullptr);

    QString name() const { return m_name; }

    // OwnerLink: requests from replicas (ids name connections; member.node says where).
    void join(const MemberInfo &member) override;
    void leave(const QString &connectionId) override;
    void drop(const QString &connectionId) override;
    void post(const QString &connectionId, const QString &mimeType,
              const QString &message) override;
    // A forwarded message carrying its sender node's id, echoed in the event so the sender can
    // tell it was taken.
    void post(const QString &connectionId, const QString &mimeType, const QString &message,
              const QString &originId);

    // Every member held by that node is gone (the node died or was cut off): one left each.
    void dropNode(const QString &node);
    // Members taken over from an earlier owner, without events: they were members already.
    void adopt(const MemberInfo &member);
    // Continues above a sequence seen elsewhere (never goes back).
    void raiseSequence(qint64 sequence);
    // After a partition heals: a member that some nodes don't know. It joins the roster and
    // its joined goes only to the nodes for which knows() is false, so nobody sees it twice.
    void admit(const MemberInfo &member, const std::function<bool(const QString &node)> &knows);
    // After a partition heals: tells one node of a member it doesn't know yet.
    void announceTo(const MemberInfo &member, const QString &node);

    const std::vector<MemberInfo> &roster() const { return m_roster; }
    qsizetype memberCount() const { return qsizetype(m_roster.size()); }
    bool hasMember(const QString &connectionId) const;
    qint64 lastSequence() const { return m_sequence; }
    // chat_messages stamped so far (the admin view's rate).
    qint64 postCount() const { return m_posts; }
    // Nodes that hold members, each once.
    QStringList memberNodes() const;

Q_SIGNALS:
    // The last member left; the directory forgets the chat.
    void emptied(const QString &name);

private:
    void addMember(const MemberInfo &member);
    // Removes and returns the member; false if it wasn't one.
    bool removeMember(const QString &connectionId, MemberInfo *removed);
    // Hands the event once to each node with members, and to alsoNode if it has none left.
    void broadcast(const ChatEvent &event, const QString &alsoNode = {});
    void checkEmpty();

    QString m_name;
    qint64 m_sequence = 0;
    qint64 m_posts = 0;
    SinkResolver m_sinks;
    std::vector<MemberInfo> m_roster; // in join order, as chat_state lists them
    RosterListing m_listing;          // the same, encoded (kept in step by add/removeMember)
    // Each member's place in m_roster, by connection id. Every join and every post looks a
    // member up; scanning the roster's strings for it was 3 % of the server's CPU while a storm
    // of connections filled rooms of 150 (perf, docs/benchmarks.md), and rooms get bigger.
    QHash<QString, qsizetype> m_rosterIndex;
    // Members per node. A handful of nodes: a vector beats a hash.
    std::vector<std::pair<QString, qsizetype>> m_nodes;
};

} // namespace flack::server::rooms
