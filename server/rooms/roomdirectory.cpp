#include "server/rooms/roomdirectory.h"

#include "server/rooms/room.h"

namespace flack::server::rooms {

RoomDirectory::RoomDirectory(QObject *parent)
    : QObject(parent)
{
}

ChatRoom *RoomDirectory::open(const QString &chatName)
{
    if (Room *existing = m_rooms.value(chatName))
        return existing;
    auto *room = new Room(chatName, this);
    connect(room, &Room::emptied, this, &RoomDirectory::forget);
    m_rooms.insert(chatName, room);
    Q_EMIT roomCreated(room);
    return room;
}

void RoomDirectory::forget(const QString &chatName)
{
    Room *room = m_rooms.take(chatName);
    // emptied is emitted from inside the room's own call stack: delete it later.
    if (room)
        room->deleteLater();
}

} // namespace flack::server::rooms
