#include "server/rooms/room.h"

#include "server/rooms/roommember.h"
#include "shared/serverrecordencoder.h"
#include "shared/timestamp.h"

#include <algorithm>

namespace flack::server::rooms {

using namespace flack::protocol;

Room::Room(QString name, qint64 firstSequence, QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_sequence(firstSequence)
{
}

bool Room::hasMember(const RoomMember *member) const
{
    return std::find(m_members.begin(), m_members.end(), member) != m_members.end();
}

void Room::join(RoomMember *member)
{
    if (hasMember(member))
        return;
    QList<ChatUser> users;
    users.reserve(qsizetype(m_members.size()));
    for (const RoomMember *existing : m_members)
        users.append({existing->userName(), existing->userId()});
    member->deliver(QString::fromUtf8(encodeChatState(m_name, users)));
    m_members.push_back(member);
    broadcast(encodeJoined(m_name, member->userName(), member->userId(), currentTimestamp(),
                           ++m_sequence));
}

void Room::leave(RoomMember *member)
{
    if (!hasMember(member))
        return;
    // Stamp and encode before removal so the leaver gets the same bytes as everyone else.
    const QByteArray json = encodeLeft(m_name, member->userId(), currentTimestamp(), ++m_sequence);
    broadcast(json);
    remove(member);
}

void Room::drop(RoomMember *member)
{
    if (!hasMember(member))
        return;
    remove(member);
    if (!m_members.empty())
        broadcast(encodeLeft(m_name, member->userId(), currentTimestamp(), ++m_sequence));
}

void Room::post(RoomMember *member, const QString &mimeType, const QString &message)
{
    if (!hasMember(member))
        return;
    broadcast(encodeChatMessage(m_name, member->userId(), mimeType, message, currentTimestamp(),
                                ++m_sequence));
}

void Room::remove(RoomMember *member)
{
    m_members.erase(std::find(m_members.begin(), m_members.end(), member));
    if (m_members.empty())
        Q_EMIT emptied(m_name);
}

void Room::broadcast(const QByteArray &json)
{
    // Converted once; every member gets this one implicitly shared string, never a copy.
    // (QWebSocket still re-encodes it per send: it has no API for pre-encoded frames.)
    const QString frame = QString::fromUtf8(json);
    for (RoomMember *member : m_members)
        member->deliver(frame);
}

} // namespace flack::server::rooms
