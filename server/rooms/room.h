#pragma once
// One chat on this node: its members and its sequence. Each event is stamped (timestamp,
// next sequence), encoded to JSON once, and the same frame is delivered to every member.
// Lives on the thread of the sessions it serves; created and dropped by RoomDirectory.

#include "server/rooms/chatroom.h"

#include <QObject>

#include <vector>

namespace flack::server::rooms {

class Room : public QObject, public ChatRoom
{
    Q_OBJECT
public:
    // firstSequence: the sequence already used; the room's first event gets the next one.
    explicit Room(QString name, qint64 firstSequence = 0, QObject *parent = nullptr);

    QString name() const override { return m_name; }
    void join(RoomMember *member) override;
    void leave(RoomMember *member) override;
    void drop(RoomMember *member) override;
    void post(RoomMember *member, const QString &mimeType, const QString &message) override;

    qsizetype memberCount() const { return qsizetype(m_members.size()); }
    bool hasMember(const RoomMember *member) const;
    qint64 lastSequence() const { return m_sequence; }

Q_SIGNALS:
    // The last member left; the directory forgets the room.
    void emptied(const QString &name);

private:
    void remove(RoomMember *member);
    void broadcast(const QByteArray &json);

    QString m_name;
    std::vector<RoomMember *> m_members;
    qint64 m_sequence = 0;
};

} // namespace flack::server::rooms
