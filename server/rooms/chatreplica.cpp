#include "server/rooms/chatreplica.h"

#include "server/admin/servermetrics.h"
#include "server/rooms/chatevent.h"
#include "server/rooms/connectionregistry.h"
#include "server/rooms/ownerlink.h"
#include "server/rooms/roommember.h"

#include <algorithm>

namespace flack::server::rooms {

namespace {
bool contains(const std::vector<RoomMember *> &list, const RoomMember *member)
{
    return std::find(list.begin(), list.end(), member) != list.end();
}

bool eraseOne(std::vector<RoomMember *> &list, const RoomMember *member)
{
    const auto found = std::find(list.begin(), list.end(), member);
    if (found == list.end())
        return false;
    list.erase(found);
    return true;
}

RoomMember *takeById(std::vector<RoomMember *> &list, const QString &connectionId)
{
    const auto found = std::find_if(list.begin(), list.end(), [&](const RoomMember *member) {
        return member->connectionId() == connectionId;
    });
    if (found == list.end())
        return nullptr;
    RoomMember *member = *found;
    list.erase(found);
    return member;
}
} // namespace

ChatReplica::ChatReplica(QString name, const ConnectionRegistry *connections, QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_connections(connections)
{
}

bool ChatReplica::hasMember(const RoomMember *member) const
{
    return contains(m_members, member);
}

void ChatReplica::join(RoomMember *member)
{
    if (contains(m_members, member) || contains(m_joining, member) || !m_owner)
        return;
    m_joining.push_back(member);
    m_owner->join(
        {member->connectionId(), member->userId(), member->userName(), m_connections->node()});
}

void ChatReplica::leave(RoomMember *member)
{
    if (!eraseOne(m_members, member) && !eraseOne(m_joining, member))
        return;
    m_leaving.insert(member->connectionId());
    m_owner->leave(member->connectionId());
}

void ChatReplica::drop(RoomMember *member)
{
    const bool held = eraseOne(m_members, member) || eraseOne(m_joining, member);
    const bool leaving = m_leaving.remove(member->connectionId());
    if (!held && !leaving)
        return;
    // A leaver that went away before its left came back: the owner has the leave already.
    if (held)
        m_owner->drop(member->connectionId());
    checkEmpty();
}

void ChatReplica::post(RoomMember *member, const QString &mimeType, const QString &message)
{
    // A joiner may post before its chat_state is back: the owner sees the join first.
    if (!contains(m_members, member) && !contains(m_joining, member))
        return;
    m_owner->post(member->connectionId(), mimeType, message);
}

void ChatReplica::deliverState(const QString &, const QString &connectionId, const QByteArray &json,
                               const std::vector<MemberInfo> &)
{
    RoomMember *member = takeById(m_joining, connectionId);
    if (!member)
        return;
    m_members.push_back(member);
    if (m_metrics)
        m_metrics->eventDelivered(1, json.size(), false);
    member->deliverState(QString::fromUtf8(json));
}

void ChatReplica::deliverEvent(const ChatEvent &event)
{
    if (event.sequence <= m_lastSequence)
        return; // already delivered here (an owner change may send an event twice)
    m_lastSequence = event.sequence;
    // Converted once; every member gets this one implicitly shared string, never a copy.
    const QString frame = QString::fromUtf8(event.json);
    // Counted once per event, not per member: the loop below stays a plain delivery loop.
    if (m_metrics)
        m_metrics->eventDelivered(qsizetype(m_members.size()), event.json.size(),
                                  event.kind == ChatEvent::Kind::Message);
    const DeliveryPace pace =
        event.kind == ChatEvent::Kind::Message ? DeliveryPace::Prompt : DeliveryPace::Presence;
    for (RoomMember *member : m_members)
        member->deliverEncoded(frame, event.json, pace);
    if (event.kind == ChatEvent::Kind::Left && m_leaving.remove(event.subject.connectionId)) {
        if (RoomMember *leaver = m_connections->find(event.subject.connectionId)) {
            if (m_metrics)
                m_metrics->eventDelivered(1, event.json.size(), false);
            leaver->deliver(frame);
        }
        checkEmpty();
    }
}

void ChatReplica::refuseJoin(const QString &, const QString &connectionId, protocol::ErrorCode code,
                             const QString &reason)
{
    RoomMember *member = takeById(m_joining, connectionId);
    if (!member)
        return;
    member->joinRefused(m_name, code, reason);
    checkEmpty();
}

void ChatReplica::checkEmpty()
{
    if (isEmpty())
        Q_EMIT emptied(m_name);
}

} // namespace flack::server::rooms
