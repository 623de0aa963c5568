#include "server/rooms/chatreplica.h"

#include "server/admin/servermetrics.h"
#include "server/rooms/chatevent.h"
#include "server/rooms/connectionregistry.h"
#include "server/rooms/ownerlink.h"
#include "server/rooms/roommember.h"

#include <algorithm>
#include <utility>

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

ChatReplica::~ChatReplica()
{
    if (m_listed && m_presenceWindow)
        m_presenceWindow->remove(this);
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

void ChatReplica::admit(RoomMember *member)
{
    m_members.push_back(member);
    ReplicaSink *relay = member->relay();
    if (!relay) {
        m_direct.push_back(member);
        // What is held from before its join is not for it: its chat_state has it all.
        if (!m_batch.isEmpty())
            m_batchFrom.insert(member, m_batch.size());
        return;
    }
    const auto found = std::find_if(m_relays.begin(), m_relays.end(),
                                    [relay](const auto &entry) { return entry.first == relay; });
    if (found != m_relays.end())
        ++found->second;
    else
        m_relays.emplace_back(relay, 1);
}

bool ChatReplica::removeMember(RoomMember *member)
{
    if (!eraseOne(m_members, member))
        return false;
    ReplicaSink *relay = member->relay();
    if (!relay) {
        eraseOne(m_direct, member);
        return true;
    }
    const auto found = std::find_if(m_relays.begin(), m_relays.end(),
                                    [relay](const auto &entry) { return entry.first == relay; });
    if (found != m_relays.end() && --found->second == 0)
        m_relays.erase(found);
    return true;
}

void ChatReplica::leave(RoomMember *member)
{
    if (!m_batch.isEmpty() && !member->relay() && contains(m_direct, member)) {
        // It was a member for what is held: that goes to it now, its own left after it.
        member->deliverBatch(m_batch, m_batchFrom.value(member, 0));
        m_batchFrom.remove(member);
    }
    if (!removeMember(member) && !eraseOne(m_joining, member))
        return;
    m_leaving.insert(member->connectionId());
    m_owner->leave(member->connectionId());
}

void ChatReplica::drop(RoomMember *member)
{
    const bool held = removeMember(member) || eraseOne(m_joining, member);
    const bool leaving = m_leaving.remove(member->connectionId());
    m_batchFrom.remove(member);
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

void ChatReplica::deliverState(const QString &chatName, const QString &connectionId,
                               const QByteArray &json, const std::vector<MemberInfo> &roster)
{
    RoomMember *member = takeById(m_joining, connectionId);
    if (!member)
        return;
    admit(member);
    if (ReplicaSink *relay = member->relay())
        return relay->deliverState(chatName, connectionId, json, roster); // counted there
    if (m_metrics)
        m_metrics->eventDelivered(1, json.size(), false);
    member->deliverState(json);
}

void ChatReplica::deliverEvent(const ChatEvent &event)
{
    if (event.sequence <= m_lastSequence)
        return; // already delivered here (an owner change may send an event twice)
    m_lastSequence = event.sequence;
    // A leaver's own left: it is no member any more, so it is found by id (see m_leaving).
    const bool leaverHere =
        event.kind == ChatEvent::Kind::Left && m_leaving.remove(event.subject.connectionId);
    RoomMember *leaver = leaverHere ? m_connections->find(event.subject.connectionId) : nullptr;
    // Converted once; every member gets this one implicitly shared string, never a copy.
    const QString frame = QString::fromUtf8(event.json);
    // Counted once per event, not per member: the loop below stays a plain delivery loop.
    // Members on other threads are counted by their thread's replica.
    if (m_metrics)
        m_metrics->eventDelivered(qsizetype(m_direct.size()), event.json.size(),
                                  event.kind == ChatEvent::Kind::Message);
    const bool presence = event.kind != ChatEvent::Kind::Message;
    const qint64 now = presence ? net::WriteCoalescer::nowMs() : 0;
    if (presence && batching(now)) {
        holdPresence(event, frame);
    } else {
        flushBatch(); // what the room held goes first: the order is the chat's sequence
        const DeliveryPace pace = presence ? DeliveryPace::Presence : DeliveryPace::Prompt;
        for (RoomMember *member : m_direct)
            member->deliverEncoded(frame, event.json, pace);
        if (presence)
            m_lastPresenceMs = now;
    }
    // Copied: a delivery on this thread may end a session, which leaves (and may drop a relay).
    ReplicaSink *leaverRelay = leaver ? leaver->relay() : nullptr;
    const auto relays = m_relays;
    for (const auto &[relay, count] : relays) {
        relay->deliverEvent(event);
        if (relay == leaverRelay)
            leaverRelay = nullptr;
    }
    if (leaverRelay) {
        // The leaver was the last here of its thread, whose replica still delivers its left.
        leaverRelay->deliverEvent(event);
    } else if (leaver && !leaver->relay()) {
        if (m_metrics)
            m_metrics->eventDelivered(1, event.json.size(), false);
        leaver->deliver(frame);
    }
    if (leaverHere)
        checkEmpty();
}

bool ChatReplica::batching(qint64 now) const
{
    // Once one went out, those that follow within the window wait for its end together; a
    // joined/left in a quiet room goes at once.
    return m_presenceWindow && !m_direct.empty() &&
           (!m_batch.isEmpty() || m_presenceWindow->shouldHold(m_lastPresenceMs, now));
}

void ChatReplica::holdPresence(const ChatEvent &event, const QString &frame)
{
    m_batch.append(event.json, frame);
    if (event.kind == ChatEvent::Kind::Joined) {
        // The joiner waits for its own joined (a client's join is complete with it): that one
        // goes at once, and the joiner takes the batch from after it.
        RoomMember *joiner = m_connections->find(event.subject.connectionId);
        if (joiner && !joiner->relay() && contains(m_direct, joiner)) {
            joiner->deliverEncoded(frame, event.json, DeliveryPace::Presence);
            m_batchFrom.insert(joiner, m_batch.size());
        }
    }
    if (m_batch.bytes() >= kMaxBatchBytes) {
        flushBatch(); // a batch this big gains nothing by waiting longer
        return;
    }
    if (!m_listed) {
        m_listed = true;
        // Counted as the connections it holds for, for the window's storm rule.
        m_presenceWindow->add(this, m_direct.size());
    }
}

void ChatReplica::flushHeld()
{
    m_listed = false;
    flushBatch();
}

void ChatReplica::flushBatch()
{
    if (m_batch.isEmpty())
        return;
    // Taken first: what arrives during the deliveries starts a batch of its own.
    const PresenceBatch batch = std::exchange(m_batch, {});
    const QHash<const RoomMember *, qsizetype> from = std::exchange(m_batchFrom, {});
    m_lastPresenceMs = net::WriteCoalescer::nowMs();
    for (RoomMember *member : m_direct) {
        const qsizetype start = from.isEmpty() ? 0 : from.value(member, 0);
        if (start < batch.size())
            member->deliverBatch(batch, start);
    }
}

void ChatReplica::refuseJoin(const QString &, const QString &connectionId, protocol::ErrorCode code,
                             const QString &reason)
{
    RoomMember *member = takeById(m_joining, connectionId);
    if (!member)
        return;
    if (ReplicaSink *relay = member->relay())
        relay->refuseJoin(m_name, connectionId, code, reason);
    else
        member->joinRefused(m_name, code, reason);
    checkEmpty();
}

void ChatReplica::checkEmpty()
{
    if (isEmpty())
        Q_EMIT emptied(m_name);
}

} // namespace flack::server::rooms
