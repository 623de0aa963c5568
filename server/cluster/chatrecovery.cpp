#include "server/cluster/chatrecovery.h"

#include "server/rooms/chatowner.h"

namespace flack::server::cluster {

using rooms::ChatOwner;
using rooms::MemberInfo;

ChatRecovery::ChatRecovery(QString chatName) : m_chatName(std::move(chatName)) {}

void ChatRecovery::addAttach(const QString &fromNode, const AttachRequest &attach)
{
    m_highestSequence = std::max(m_highestSequence, attach.lastSequence);
    for (MemberInfo member : attach.members) {
        member.node = fromNode; // a node speaks for its own members only
        m_members.insert(member.connectionId, member);
    }
    for (const MemberInfo &member : attach.roster)
        m_known.insert(member.connectionId, member);
}

void ChatRecovery::hold(Request request)
{
    m_order.emplace_back(false, qsizetype(m_held.size()));
    m_held.push_back(std::move(request));
}

void ChatRecovery::holdPost(const PostRequest &post)
{
    m_order.emplace_back(true, qsizetype(m_heldPosts.size()));
    m_heldPosts.push_back(post);
}

void ChatRecovery::join(const MemberInfo &member)
{
    hold([member](ChatOwner *owner) { owner->join(member); });
}

void ChatRecovery::leave(const QString &connectionId)
{
    hold([connectionId](ChatOwner *owner) { owner->leave(connectionId); });
}

void ChatRecovery::drop(const QString &connectionId)
{
    m_members.remove(connectionId);
    hold([connectionId](ChatOwner *owner) { owner->drop(connectionId); });
}

void ChatRecovery::post(const QString &connectionId, const QString &mimeType,
                        const QString &message)
{
    hold([=](ChatOwner *owner) { owner->post(connectionId, mimeType, message); });
}

void ChatRecovery::finish(ChatOwner *owner, const QSet<QString> &liveNodes,
                          const std::function<bool(const QString &)> &isNewPost)
{
    owner->raiseSequence(m_highestSequence);
    for (const MemberInfo &member : std::as_const(m_members))
        owner->adopt(member);
    // Members a live node knows of but hasn't reported (its report may come later) stay;
    // members of nodes that are gone leave, one left each.
    std::vector<QString> gone;
    for (const MemberInfo &member : std::as_const(m_known)) {
        if (m_members.contains(member.connectionId))
            continue;
        owner->adopt(member);
        if (!liveNodes.contains(member.node))
            gone.push_back(member.connectionId);
    }
    for (const QString &connectionId : gone)
        owner->drop(connectionId);
    for (const auto &[isPost, index] : m_order) {
        if (!isPost) {
            m_held[size_t(index)](owner);
            continue;
        }
        const PostRequest &post = m_heldPosts[size_t(index)];
        if (isNewPost(post.originId))
            owner->post(post.connectionId, post.mimeType, post.message, post.originId);
    }
}

} // namespace flack::server::cluster
