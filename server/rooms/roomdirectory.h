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
    explicit RoomDirectory(QObject *parent = nullptr);

    // The chat of that name, created when absent. Never null.
    ChatRoom *open(const QString &chatName);
    qsizetype roomCount() const { return m_rooms.size(); }
    // Null when no such chat exists here.
    Room *find(const QString &chatName) const { return m_rooms.value(chatName); }
    QList<Room *> rooms() const { return m_rooms.values(); }

Q_SIGNALS:
    void roomCreated(flack::server::rooms::Room *room);

private:
    void forget(const QString &chatName);
    QHash<QString, Room *> m_rooms;
};

} // namespace flack::server::rooms
