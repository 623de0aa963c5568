#pragma once
// A chat being re-homed on this node after its owner died, left or moved: for a short window
// it collects what every node with members reports (its members, the last sequence it
// delivered, the roster it knew) and holds the requests that arrive meanwhile. Then the new
// ChatOwner starts above every sequence any client has seen, with every live member, sends
// one left for each member of a node that is gone, and takes the held requests in order.
// Lives on the main thread; owned by ClusterRouter.

#include "server/cluster/clustermessage.h"
#include "server/rooms/ownerlink.h"

#include <QHash>
#include <QSet>

#include <functional>
#include <vector>

namespace flack::server::rooms {
class ChatOwner;
}

namespace flack::server::cluster {

class ChatRecovery : public rooms::OwnerLink
{
public:
    using Request = std::function<void(rooms::ChatOwner *)>;

    explicit ChatRecovery(QString chatName);

    QString chatName() const { return m_chatName; }
    // A node's report; its members are that node's own.
    void addAttach(const QString &fromNode, const AttachRequest &attach);
    // Anything for the owner, held until it exists.
    void hold(Request request);
    void holdPost(const PostRequest &post);

    // OwnerLink: this node's replica's requests while re-homing.
    void join(const rooms::MemberInfo &member) override;
    void leave(const QString &connectionId) override;
    void drop(const QString &connectionId) override;
    void post(const QString &connectionId, const QString &mimeType,
              const QString &message) override;

    // Starts the owner: sequence, members, lefts for the members of nodes not in liveNodes,
    // then the held requests. posted decides whether a held post is new (drops repeats).
    void finish(rooms::ChatOwner *owner, const QSet<QString> &liveNodes,
                const std::function<bool(const QString &originId)> &isNewPost);

    qint64 highestSequence() const { return m_highestSequence; }

private:
    QString m_chatName;
    qint64 m_highestSequence = 0;
    QHash<QString, rooms::MemberInfo> m_members; // reported by their own nodes
    QHash<QString, rooms::MemberInfo> m_known;   // anyone any node knew of
    std::vector<Request> m_held;
    std::vector<PostRequest> m_heldPosts;            // kept apart so repeats can be dropped
    std::vector<std::pair<bool, qsizetype>> m_order; // (is post, index) in arrival order
};

} // namespace flack::server::cluster
