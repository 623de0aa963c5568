#include "server/rooms/roomdirectory.h"

#include "server/rooms/room.h"

#include <algorithm>

namespace flack::server::rooms {

RoomDirectory::RoomDirectory(qsizetype maxRooms, QObject *parent)
    : QObject(parent), m_maxRooms(maxRooms)
{
}

ChatRoom *RoomDirectory::open(const QString &chatName)
{
    if (Room *existing = m_rooms.value(chatName))
        return existing;
    if (m_rooms.size() >= m_maxRooms)
        return nullptr;
    auto *room = new Room(chatName, m_sequenceFloor, this);
    connect(room, &Room::emptied, this, &RoomDirectory::forget);
    m_rooms.insert(chatName, room);
    return room;
}

void RoomDirectory::forget(const QString &chatName)
{
    Room *room = m_rooms.take(chatName);
    if (!room)
        return;
    m_sequenceFloor = std::max(m_sequenceFloor, room->lastSequence());
    // emptied is emitted from inside the room's own call stack: delete it later.
    room->deleteLater();
}

} // namespace flack::server::rooms
