#include "server/rooms/chatowner.h"

#include "server/rooms/chatevent.h"
#include "server/rooms/replicasink.h"
#include "shared/serverrecordencoder.h"
#include "shared/timestamp.h"

#include <algorithm>

namespace flack::server::rooms {

using namespace flack::protocol;

ChatOwner::ChatOwner(QString name, qint64 firstSequence, SinkResolver sinks, QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_sequence(firstSequence), m_sinks(std::move(sinks))
{
}

bool ChatOwner::hasMember(const QString &connectionId) const
{
    return m_rosterIndex.contains(connectionId);
}

QStringList ChatOwner::memberNodes() const
{
    QStringList nodes;
    for (const auto &[node, count] : m_nodes)
        nodes.append(node);
    return nodes;
}

void ChatOwner::join(const MemberInfo &member)
{
    if (hasMember(member.connectionId))
        return;
    // Everyone before the joiner.
    const QByteArray state = encodeChatStateWithEncodedUsers(m_name, m_listing.usersArray());
    addMember(member);
    // The state goes to the joiner's node before the joined event, on the same path, so the
    // joiner sees its chat_state first.
    if (ReplicaSink *sink = m_sinks(member.node))
        sink->deliverState(m_name, member.connectionId, state, m_roster);
    ChatEvent event{m_name, ChatEvent::Kind::Joined, ++m_sequence, member, {}, {}};
    event.json =
        encodeJoined(m_name, member.userName, member.userId, currentTimestamp(), event.sequence);
    broadcast(event);
}

void ChatOwner::leave(const QString &connectionId)
{
    MemberInfo member;
    if (!removeMember(connectionId, &member))
        return;
    ChatEvent event{m_name, ChatEvent::Kind::Left, ++m_sequence, member, {}, {}};
    event.json = encodeLeft(m_name, member.userId, currentTimestamp(), event.sequence);
    // The leaver's node gets it even when the leaver was its last member there.
    broadcast(event, member.node);
    checkEmpty();
}

void ChatOwner::drop(const QString &connectionId)
{
    MemberInfo member;
    if (!removeMember(connectionId, &member))
        return;
    if (!m_roster.empty()) {
        ChatEvent event{m_name, ChatEvent::Kind::Left, ++m_sequence, member, {}, {}};
        event.json = encodeLeft(m_name, member.userId, currentTimestamp(), event.sequence);
        broadcast(event);
    }
    checkEmpty();
}

void ChatOwner::post(const QString &connectionId, const QString &mimeType, const QString &message)
{
    post(connectionId, mimeType, message, {});
}

void ChatOwner::post(const QString &connectionId, const QString &mimeType, const QString &message,
                     const QString &originId)
{
    const auto found = m_rosterIndex.constFind(connectionId);
    if (found == m_rosterIndex.cend())
        return;
    const MemberInfo &poster = m_roster[std::size_t(*found)];
    ++m_posts;
    ChatEvent event{m_name, ChatEvent::Kind::Message, ++m_sequence, poster, originId, {}};
    event.json = encodeChatMessage(m_name, poster.userId, mimeType, message, currentTimestamp(),
                                   event.sequence);
    broadcast(event);
}

void ChatOwner::dropNode(const QString &node)
{
    std::vector<MemberInfo> gone;
    for (const MemberInfo &member : m_roster) {
        if (member.node == node)
            gone.push_back(member);
    }
    for (const MemberInfo &member : gone)
        drop(member.connectionId);
}

void ChatOwner::adopt(const MemberInfo &member)
{
    if (!hasMember(member.connectionId))
        addMember(member);
}

void ChatOwner::raiseSequence(qint64 sequence)
{
    m_sequence = std::max(m_sequence, sequence);
}

void ChatOwner::admit(const MemberInfo &member,
                      const std::function<bool(const QString &node)> &knows)
{
    if (hasMember(member.connectionId))
        return;
    addMember(member);
    ChatEvent event{m_name, ChatEvent::Kind::Joined, ++m_sequence, member, {}, {}};
    event.json =
        encodeJoined(m_name, member.userName, member.userId, currentTimestamp(), event.sequence);
    const auto nodes = m_nodes;
    for (const auto &[node, count] : nodes) {
        if (knows(node))
            continue;
        if (ReplicaSink *sink = m_sinks(node))
            sink->deliverEvent(event);
    }
}

void ChatOwner::announceTo(const MemberInfo &member, const QString &node)
{
    ChatEvent event{m_name, ChatEvent::Kind::Joined, ++m_sequence, member, {}, {}};
    event.json =
        encodeJoined(m_name, member.userName, member.userId, currentTimestamp(), event.sequence);
    if (ReplicaSink *sink = m_sinks(node))
        sink->deliverEvent(event);
}

void ChatOwner::addMember(const MemberInfo &member)
{
    m_rosterIndex.insert(member.connectionId, qsizetype(m_roster.size()));
    m_roster.push_back(member);
    m_listing.append(member.userName, member.userId);
    const auto node = std::find_if(m_nodes.begin(), m_nodes.end(),
                                   [&](const auto &entry) { return entry.first == member.node; });
    if (node != m_nodes.end())
        ++node->second;
    else
        m_nodes.emplace_back(member.node, 1);
}

bool ChatOwner::removeMember(const QString &connectionId, MemberInfo *removed)
{
    const auto indexed = m_rosterIndex.constFind(connectionId);
    if (indexed == m_rosterIndex.cend())
        return false;
    const qsizetype at = *indexed;
    m_rosterIndex.erase(indexed);
    m_listing.removeAt(at);
    *removed = std::move(m_roster[std::size_t(at)]);
    m_roster.erase(m_roster.begin() + at);
    // Those after it moved up one.
    for (auto i = std::size_t(at); i < m_roster.size(); ++i)
        m_rosterIndex[m_roster[i].connectionId] = qsizetype(i);
    const auto node = std::find_if(m_nodes.begin(), m_nodes.end(),
                                   [&](const auto &entry) { return entry.first == removed->node; });
    if (node != m_nodes.end() && --node->second == 0)
        m_nodes.erase(node);
    return true;
}

void ChatOwner::broadcast(const ChatEvent &event, const QString &alsoNode)
{
    bool alsoReached = alsoNode.isEmpty();
    // Copied: a local replica's delivery may end a session, which may call back into us.
    const auto nodes = m_nodes;
    for (const auto &[node, count] : nodes) {
        alsoReached = alsoReached || node == alsoNode;
        if (ReplicaSink *sink = m_sinks(node))
            sink->deliverEvent(event);
    }
    if (!alsoReached) {
        if (ReplicaSink *sink = m_sinks(alsoNode))
            sink->deliverEvent(event);
    }
}

void ChatOwner::checkEmpty()
{
    if (m_roster.empty())
        Q_EMIT emptied(m_name);
}

} // namespace flack::server::rooms
