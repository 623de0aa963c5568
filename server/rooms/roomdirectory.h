#pragma once
// Decides where a chat lives and hands sessions a ChatRoom for it. Today every chat is a local
// Room, created on first join and dropped when its last member leaves; a cluster-aware
// directory can return a proxy to the owning node instead without sessions changing.

#include "server/rooms/chatroom.h"

#include <QHash>
#include <QObject>

namespace flack::server::rooms {

class Room;

class RoomDirectory : public QObject
{
    Q_OBJECT
public:
    // maxRooms bounds how many chats clients can make this node hold at once.
    explicit RoomDirectory(qsizetype maxRooms = 100000, QObject *parent = nullptr);

    // The chat of that name, created when absent; null when a new chat would exceed the cap.
    ChatRoom *open(const QString &chatName);
    qsizetype roomCount() const { return m_rooms.size(); }
    // Null when no such chat exists here.
    Room *find(const QString &chatName) const { return m_rooms.value(chatName); }

private:
    void forget(const QString &chatName);
    QHash<QString, Room *> m_rooms;
    qsizetype m_maxRooms;
    // Highest sequence any dropped room reached. A chat created again starts above it, so a
    // chat's sequence never goes back even though empty rooms are forgotten (and no memory
    // per forgotten chat name is kept).
    qint64 m_sequenceFloor = 0;
};

} // namespace flack::server::rooms
