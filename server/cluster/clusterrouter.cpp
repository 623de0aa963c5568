#include "server/cluster/clusterrouter.h"

#include "server/cluster/chatplacement.h"
#include "server/cluster/chatrecovery.h"
#include "server/cluster/peertransport.h"
#include "server/cluster/remoteowner.h"
#include "server/cluster/remotereplica.h"
#include "server/rooms/chatowner.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/roommember.h"

#include <QLoggingCategory>
#include <QTimer>

namespace flack::server::cluster {

Q_LOGGING_CATEGORY(lcCluster, "flack.cluster")

using rooms::ChatEvent;
using rooms::ChatOwner;
using rooms::ChatReplica;
using rooms::MemberInfo;

ClusterRouter::ClusterRouter(rooms::RoomDirectory *directory, PeerTransport *transport,
                             int recoveryWindowMs, QObject *parent)
    : QObject(parent), m_directory(directory), m_transport(transport),
      m_recoveryWindowMs(recoveryWindowMs), m_live({directory->localNode()}),
      m_liveSet({directory->localNode()})
{
    connect(m_directory, &rooms::RoomDirectory::replicaForgotten, this,
            [this](const QString &chatName) { m_remoteOwners.remove(chatName); });
    connect(m_directory, &rooms::RoomDirectory::ownerForgotten, this,
            [this](const QString &chatName) { m_ownerPosts.remove(chatName); });
}

ClusterRouter::~ClusterRouter() = default;

QString ClusterRouter::ownerNode(const QString &chatName) const
{
    return ChatPlacement::ownerOf(chatName, m_live);
}

void ClusterRouter::sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload)
{
    m_transport->sendTo(node, type, payload);
}

std::vector<MemberInfo> ClusterRouter::localMembers(const QString &chatName) const
{
    std::vector<MemberInfo> members;
    const ChatReplica *replica = m_directory->findReplica(chatName);
    if (!replica)
        return members;
    for (const rooms::RoomMember *member : replica->members())
        members.push_back(
            {member->connectionId(), member->userId(), member->userName(), localNode()});
    return members;
}

RemoteOwner *ClusterRouter::makeRemoteOwner(const QString &chatName, const QString &node)
{
    auto remote = std::make_shared<RemoteOwner>(chatName, node, m_transport, [this] {
        return QStringLiteral("%1/%2/%3")
            .arg(localNode())
            .arg(m_directory->connections().incarnation(), 0, 36)
            .arg(++m_originCounter, 0, 36);
    });
    m_remoteOwners.insert(chatName, remote);
    return remote.get();
}

rooms::OwnerLink *ClusterRouter::ownerFor(const QString &chatName)
{
    if (const auto recovery = m_recoveries.value(chatName))
        return recovery.get();
    const QString node = ownerNode(chatName);
    if (node == localNode())
        return m_directory->openOwner(chatName);
    if (const auto existing = m_remoteOwners.value(chatName)) {
        existing->setOwnerNode(node);
        return existing.get();
    }
    return makeRemoteOwner(chatName, node);
}

rooms::ReplicaSink *ClusterRouter::remoteReplica(const QString &node)
{
    if (!m_liveSet.contains(node))
        return nullptr;
    auto &sink = m_remoteReplicas[node];
    if (!sink)
        sink = std::make_shared<RemoteReplica>(node, m_transport);
    return sink.get();
}

void ClusterRouter::setLiveNodes(const QStringList &nodes)
{
    QStringList sorted = nodes;
    if (!sorted.contains(localNode()))
        sorted.append(localNode());
    sorted.sort();
    sorted.removeDuplicates();
    if (sorted == m_live)
        return;
    const QSet<QString> before = m_liveSet;
    m_live = sorted;
    m_liveSet = QSet<QString>(sorted.begin(), sorted.end());
    qCInfo(lcCluster).noquote() << "live nodes:" << m_live.join(QStringLiteral(", "));

    // Pointers copied first: dropping members may empty an owner, which forgets it.
    const QList<ChatOwner *> owners = m_directory->owners().values();
    for (const QString &node : before) {
        if (m_liveSet.contains(node))
            continue;
        m_remoteReplicas.remove(node);
        for (ChatOwner *owner : owners)
            owner->dropNode(node);
    }
    for (const QString &chatName : m_directory->owners().keys()) {
        if (ownerNode(chatName) != localNode())
            moveOwnerAway(chatName);
    }
    for (const QString &chatName : m_directory->replicas().keys()) {
        const auto remote = m_remoteOwners.value(chatName);
        if (remote && (!m_liveSet.contains(remote->ownerNode()) ||
                       remote->ownerNode() != ownerNode(chatName)))
            rehomeReplica(chatName);
    }
}

void ClusterRouter::moveOwnerAway(const QString &chatName)
{
    ChatOwner *owner = m_directory->findOwner(chatName);
    if (!owner)
        return;
    const QString target = ownerNode(chatName);
    AttachRequest attach;
    attach.chatName = chatName;
    attach.lastSequence = owner->lastSequence();
    attach.members = localMembers(chatName);
    attach.roster = owner->roster();
    // The report first: the new owner must know the chat before any request for it.
    sendTo(target, ClusterMessageType::Attach, encodeAttach(attach));
    if (ChatReplica *replica = m_directory->findReplica(chatName)) {
        RemoteOwner *remote = makeRemoteOwner(chatName, target);
        StateMessage known;
        known.roster = owner->roster();
        remote->acceptState(known);
        replica->setOwner(remote);
        // Joiners still waiting for their chat_state ask the new owner.
        for (rooms::RoomMember *member : replica->joining())
            remote->join(
                {member->connectionId(), member->userId(), member->userName(), localNode()});
    }
    // The other nodes with members re-home too, even if their view hasn't changed yet.
    for (const QString &node : owner->memberNodes()) {
        if (node != localNode() && node != target)
            sendTo(node, ClusterMessageType::Moved, encodeMoved(chatName));
    }
    m_directory->releaseOwner(chatName);
}

void ClusterRouter::rehomeReplica(const QString &chatName)
{
    ChatReplica *replica = m_directory->findReplica(chatName);
    const auto remote = m_remoteOwners.value(chatName);
    if (!replica || !remote)
        return;
    const QString target = ownerNode(chatName);
    const AttachRequest attach =
        remote->attachRequest(replica->lastSequence(), localMembers(chatName));
    if (target == localNode()) {
        ChatRecovery *recovery = recoveryFor(chatName);
        recovery->addAttach(localNode(), attach);
        for (const PostRequest &post : remote->pending())
            recovery->holdPost(post);
        replica->setOwner(recovery);
        for (rooms::RoomMember *member : replica->joining())
            recovery->join(
                {member->connectionId(), member->userId(), member->userName(), localNode()});
        m_remoteOwners.remove(chatName);
        return;
    }
    remote->setOwnerNode(target);
    sendTo(target, ClusterMessageType::Attach, encodeAttach(attach));
    for (rooms::RoomMember *member : replica->joining())
        remote->join({member->connectionId(), member->userId(), member->userName(), localNode()});
    remote->resendPending();
}

ChatRecovery *ClusterRouter::recoveryFor(const QString &chatName)
{
    if (const auto existing = m_recoveries.value(chatName))
        return existing.get();
    auto recovery = std::make_shared<ChatRecovery>(chatName);
    m_recoveries.insert(chatName, recovery);
    // Long enough for every live node to report after the same change of membership.
    QTimer::singleShot(m_recoveryWindowMs, this, [this, chatName] { finishRecovery(chatName); });
    return recovery.get();
}

void ClusterRouter::finishRecovery(const QString &chatName)
{
    const auto recovery = m_recoveries.take(chatName);
    if (!recovery)
        return;
    ChatOwner *owner = m_directory->openOwner(chatName, recovery->highestSequence());
    if (!owner) {
        qCWarning(lcCluster) << "cannot take over chat" << chatName
                             << ": this node holds its maximum number of chats";
        return;
    }
    if (ChatReplica *replica = m_directory->findReplica(chatName))
        replica->setOwner(owner);
    recovery->finish(owner, m_liveSet, [this, chatName](const QString &originId) {
        return isNewPost(chatName, originId);
    });
    // The chat belongs elsewhere now: the membership changed again during the window, or the
    // reports came from nodes whose view placed it here before ours did. What was gathered
    // goes on to its owner, or this node would stay a second owner.
    if (ownerNode(chatName) != localNode())
        moveOwnerAway(chatName);
}

bool ClusterRouter::isNewPost(const QString &chatName, const QString &originId)
{
    if (originId.isEmpty())
        return true;
    return m_ownerPosts[chatName].insert(originId);
}

void ClusterRouter::handleMessage(const QString &fromNode, quint8 type, const QByteArray &payload)
{
    switch (ClusterMessageType(type)) {
    case ClusterMessageType::Join:
        return onJoin(fromNode, payload);
    case ClusterMessageType::Leave:
        return onLeaveOrDrop(fromNode, payload, true);
    case ClusterMessageType::Drop:
        return onLeaveOrDrop(fromNode, payload, false);
    case ClusterMessageType::Post:
        return onPost(fromNode, payload);
    case ClusterMessageType::State:
        return onState(fromNode, payload);
    case ClusterMessageType::Event:
        return onEvent(fromNode, payload);
    case ClusterMessageType::Refuse:
        return onRefuse(fromNode, payload);
    case ClusterMessageType::Attach:
        return onAttach(fromNode, payload);
    case ClusterMessageType::Moved:
        return onMoved(fromNode, payload);
    case ClusterMessageType::Gossip:
    case ClusterMessageType::StatsRequest:
    case ClusterMessageType::StatsReply:
    case ClusterMessageType::KickRequest:
    case ClusterMessageType::KickReply:
        break; // the mesh's and the admin view's, not ours
    }
    qCWarning(lcCluster) << "unexpected cluster message type" << type << "from" << fromNode;
    Q_EMIT malformedMessage(fromNode, type);
}

void ClusterRouter::reportMalformed(const QString &from, ClusterMessageType type)
{
    qCWarning(lcCluster) << "malformed cluster message of type" << int(type) << "from" << from
                         << "ignored";
    Q_EMIT malformedMessage(from, quint8(type));
}

void ClusterRouter::onJoin(const QString &from, const QByteArray &payload)
{
    const auto join = decodeJoin(payload);
    if (!join)
        return reportMalformed(from, ClusterMessageType::Join);
    const QString &chatName = join->first;
    MemberInfo member = join->second;
    member.node = from; // a node speaks for its own connections only
    if (const auto recovery = m_recoveries.value(chatName))
        return recovery->join(member);
    ChatOwner *owner = m_directory->findOwner(chatName);
    if (!owner && ownerNode(chatName) != localNode() &&
        m_directory->ownedCount() + m_recoveries.size() < m_directory->maxRooms()) {
        // The joiner's node places the chat here and we don't (one of us hasn't heard of a
        // change yet): gathered like a report, so that at the window's end it goes on to the
        // owner our view names unless the views have met by then.
        return recoveryFor(chatName)->join(member);
    }
    if (!owner && m_directory->ownedCount() + m_recoveries.size() < m_directory->maxRooms())
        owner = m_directory->openOwner(chatName);
    if (!owner) {
        sendTo(from, ClusterMessageType::Refuse,
               encodeRefuse({chatName, member.connectionId, protocol::ErrorCode::TooManyRooms,
                             QStringLiteral("the server holds its maximum number of chats; join "
                                            "an existing one or try later")}));
        return;
    }
    owner->join(member);
}

void ClusterRouter::onLeaveOrDrop(const QString &from, const QByteArray &payload, bool leave)
{
    const auto request = decodeMemberRequest(payload);
    if (!request)
        return reportMalformed(from, ClusterMessageType::Leave);
    const auto &[chatName, connectionId] = *request;
    if (const auto recovery = m_recoveries.value(chatName))
        return leave ? recovery->leave(connectionId) : recovery->drop(connectionId);
    ChatOwner *owner = m_directory->findOwner(chatName);
    if (!owner) {
        sendTo(from, ClusterMessageType::Moved, encodeMoved(chatName));
        return;
    }
    // Only the node holding a connection may end its membership.
    const auto &roster = owner->roster();
    const auto found = std::find_if(roster.begin(), roster.end(), [&](const MemberInfo &member) {
        return member.connectionId == connectionId;
    });
    if (found == roster.end() || found->node != from)
        return;
    leave ? owner->leave(connectionId) : owner->drop(connectionId);
}

void ClusterRouter::onPost(const QString &from, const QByteArray &payload)
{
    const auto post = decodePost(payload);
    if (!post)
        return reportMalformed(from, ClusterMessageType::Post);
    if (const auto recovery = m_recoveries.value(post->chatName))
        return recovery->holdPost(*post);
    ChatOwner *owner = m_directory->findOwner(post->chatName);
    if (!owner) {
        sendTo(from, ClusterMessageType::Moved, encodeMoved(post->chatName));
        return;
    }
    if (!post->connectionId.startsWith(from + u'/'))
        return; // a node posts for its own connections only
    if (isNewPost(post->chatName, post->originId))
        owner->post(post->connectionId, post->mimeType, post->message, post->originId);
}

void ClusterRouter::onState(const QString &from, const QByteArray &payload)
{
    const auto state = decodeState(payload);
    if (!state)
        return reportMalformed(from, ClusterMessageType::State);
    if (const auto remote = m_remoteOwners.value(state->chatName))
        remote->acceptState(*state);
    if (ChatReplica *replica = m_directory->findReplica(state->chatName))
        replica->deliverState(state->chatName, state->connectionId, state->json, state->roster);
}

void ClusterRouter::onEvent(const QString &from, const QByteArray &payload)
{
    const auto event = decodeEvent(payload);
    if (!event)
        return reportMalformed(from, ClusterMessageType::Event);
    if (const auto remote = m_remoteOwners.value(event->chatName)) {
        if (!remote->acceptEvent(*event))
            return;
    }
    if (ChatReplica *replica = m_directory->findReplica(event->chatName))
        replica->deliverEvent(*event);
}

void ClusterRouter::onRefuse(const QString &from, const QByteArray &payload)
{
    const auto refuse = decodeRefuse(payload);
    if (!refuse)
        return reportMalformed(from, ClusterMessageType::Refuse);
    if (ChatReplica *replica = m_directory->findReplica(refuse->chatName))
        replica->refuseJoin(refuse->chatName, refuse->connectionId, refuse->code, refuse->reason);
}

void ClusterRouter::onAttach(const QString &from, const QByteArray &payload)
{
    const auto attach = decodeAttach(payload);
    if (!attach)
        return reportMalformed(from, ClusterMessageType::Attach);
    if (ChatOwner *owner = m_directory->findOwner(attach->chatName))
        return mergeAttach(owner, from, *attach);
    if (!m_recoveries.contains(attach->chatName) &&
        m_directory->ownedCount() + m_recoveries.size() >= m_directory->maxRooms()) {
        qCWarning(lcCluster) << "refusing to take over chat" << attach->chatName << "from" << from
                             << ": this node holds its maximum number of chats";
        return;
    }
    recoveryFor(attach->chatName)->addAttach(from, *attach);
}

void ClusterRouter::mergeAttach(ChatOwner *owner, const QString &from, const AttachRequest &attach)
{
    const QString chatName = owner->name();
    // Never below what that side's clients have seen.
    owner->raiseSequence(attach.lastSequence);
    const bool fresh = !m_mergeKnown.contains(chatName);
    auto &knownBy = m_mergeKnown[chatName];
    if (fresh) {
        // Reports after one change come within moments; the knowledge is needed only then.
        QTimer::singleShot(std::max(1000, 8 * m_recoveryWindowMs), this,
                           [this, chatName] { m_mergeKnown.remove(chatName); });
    }
    QSet<QString> &fromKnows = knownBy[from];
    for (const MemberInfo &member : attach.roster)
        fromKnows.insert(member.connectionId);
    for (const MemberInfo &member : attach.members)
        fromKnows.insert(member.connectionId);
    // What this node's side knows and the reporting node doesn't: joined, to it alone.
    const std::vector<MemberInfo> roster = owner->roster();
    for (const MemberInfo &member : roster) {
        if (member.node == from || fromKnows.contains(member.connectionId))
            continue;
        owner->announceTo(member, from);
        fromKnows.insert(member.connectionId);
    }
    // Its members the others don't know: joined, to every node that doesn't know them.
    for (MemberInfo member : attach.members) {
        member.node = from;
        owner->admit(member, [&](const QString &node) {
            if (node == from)
                return true;
            QSet<QString> &nodeKnows = knownBy[node];
            if (nodeKnows.contains(member.connectionId))
                return true;
            // Told now: a report it sends later must not make us tell it again.
            nodeKnows.insert(member.connectionId);
            return false;
        });
    }
}

void ClusterRouter::onMoved(const QString &from, const QByteArray &payload)
{
    const auto chatName = decodeMoved(payload);
    if (!chatName)
        return reportMalformed(from, ClusterMessageType::Moved);
    const auto remote = m_remoteOwners.value(*chatName);
    if (!remote || remote->ownerNode() != from)
        return;
    if (ownerNode(*chatName) == from)
        return askAgainLater(*chatName, from);
    rehomeReplica(*chatName);
}

void ClusterRouter::askAgainLater(const QString &chatName, const QString &node)
{
    // Our view still places the chat on the node that says it isn't there: it lost the chat
    // (ask once more, at once), or our views differ until one of us hears of a change. Then
    // asking again at once would bounce the chat between us as fast as the link goes; ask at
    // most once per interval until a change of view re-homes the chat anyway.
    const auto held = m_askedAgain.find(chatName);
    if (held != m_askedAgain.end()) {
        held->askedMeanwhile = true;
        return;
    }
    m_askedAgain.insert(chatName, {node, false});
    rehomeReplica(chatName);
    QTimer::singleShot(std::max(100, m_recoveryWindowMs), this, [this, chatName] {
        const AskedAgain asked = m_askedAgain.take(chatName);
        const auto remote = m_remoteOwners.value(chatName);
        if (asked.askedMeanwhile && remote && remote->ownerNode() == asked.node &&
            ownerNode(chatName) == asked.node)
            askAgainLater(chatName, asked.node);
    });
}

} // namespace flack::server::cluster
