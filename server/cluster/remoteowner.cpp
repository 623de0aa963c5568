#include "server/cluster/remoteowner.h"

#include "server/cluster/peertransport.h"

#include <QLoggingCategory>

namespace flack::server::cluster {

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

using rooms::ChatEvent;
using rooms::MemberInfo;

RemoteOwner::RemoteOwner(QString chatName, QString ownerNode, PeerTransport *transport,
                         std::function<QString()> originIds)
    : m_chatName(std::move(chatName)), m_ownerNode(std::move(ownerNode)), m_transport(transport),
      m_originIds(std::move(originIds))
{
}

bool RemoteOwner::send(ClusterMessageType type, const QByteArray &payload)
{
    return m_transport->sendTo(m_ownerNode, type, payload);
}

void RemoteOwner::join(const MemberInfo &member)
{
    send(ClusterMessageType::Join, encodeJoin(m_chatName, member));
}

void RemoteOwner::leave(const QString &connectionId)
{
    send(ClusterMessageType::Leave, encodeMemberRequest(m_chatName, connectionId));
}

void RemoteOwner::drop(const QString &connectionId)
{
    m_roster.remove(connectionId);
    send(ClusterMessageType::Drop, encodeMemberRequest(m_chatName, connectionId));
}

void RemoteOwner::post(const QString &connectionId, const QString &mimeType, const QString &message)
{
    PostRequest request{m_chatName, connectionId, mimeType, message, m_originIds()};
    if (qsizetype(m_pending.size()) >= kMaxPending) {
        // The owner hasn't answered ten thousand messages: it is gone or cut off, and holding
        // more would let one chat grow our memory without bound.
        qCWarning(lcCluster) << "chat" << m_chatName << "owner" << m_ownerNode
                             << "does not acknowledge; oldest unacknowledged message dropped";
        m_pending.pop_front();
    }
    m_pending.push_back(request);
    send(ClusterMessageType::Post, encodePost(request));
}

bool RemoteOwner::acceptEvent(const ChatEvent &event)
{
    if (event.kind == ChatEvent::Kind::Joined)
        m_roster.insert(event.subject.connectionId, event.subject);
    else if (event.kind == ChatEvent::Kind::Left)
        m_roster.remove(event.subject.connectionId);
    if (event.originId.isEmpty())
        return true;
    // Acknowledged: the owner took it. Usually the oldest pending one.
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (it->originId == event.originId) {
            m_pending.erase(it);
            break;
        }
    }
    return m_delivered.insert(event.originId);
}

void RemoteOwner::acceptState(const StateMessage &state)
{
    for (const MemberInfo &member : state.roster)
        m_roster.insert(member.connectionId, member);
}

AttachRequest RemoteOwner::attachRequest(qint64 lastSequence,
                                         const std::vector<MemberInfo> &localMembers) const
{
    AttachRequest attach;
    attach.chatName = m_chatName;
    attach.lastSequence = lastSequence;
    attach.members = localMembers;
    attach.roster.reserve(size_t(m_roster.size()));
    for (const MemberInfo &member : m_roster)
        attach.roster.push_back(member);
    return attach;
}

void RemoteOwner::resendPending()
{
    for (const PostRequest &request : m_pending)
        send(ClusterMessageType::Post, encodePost(request));
}

} // namespace flack::server::cluster
