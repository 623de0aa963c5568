#pragma once
// What a room knows of a member: who it is and where its events go. ClientSession implements
// it; tests use fakes. Owned by whoever created the member, never by the room.

#include "server/rooms/presencebatch.h"
#include "shared/errorcode.h"

#include <QString>
#include <QStringList>

namespace flack::server::rooms {

class ReplicaSink;

// What an operator sees of a connection (the admin view).
struct ConnectionDetails
{
    bool authenticated = false;
    QString remoteAddress;
    QByteArray connectedSince; // UTC timestamp, to the second
    QStringList chats;
    qint64 messagesSent = 0;
};

// How soon an event must be on its way: a chat message at once (or within the short write
// coalescing window), a joined/left may wait a little longer to share a write with others
// (a room filling up sends every member one per newcomer).
enum class DeliveryPace { Prompt, Presence };

class RoomMember
{
public:
    virtual ~RoomMember() = default;
    // Unique in the cluster (ConnectionRegistry hands it out); user ids are not.
    virtual QString connectionId() const = 0;
    virtual QString userId() const = 0;
    virtual QString userName() const = 0;
    // One pre-encoded text frame (a JSON record). The same QString is handed to every member
    // of a room; implementations must not leave the room from inside this call.
    virtual void deliver(const QString &frame) = 0;
    // The same, with the record's UTF-8 bytes as well (both shared by every member): a member
    // that writes the websocket frame itself needs no conversion of its own.
    virtual void deliverEncoded(const QString &frame, const QByteArray &utf8, DeliveryPace pace)
    {
        Q_UNUSED(utf8);
        Q_UNUSED(pace);
        deliver(frame);
    }
    // The joined/left events a room held back for a presence window, from the event at from
    // on (the ones before are from before this member joined), to go now and in order. The
    // batch is the room's, shared by all its members: a member that writes them in one piece
    // asks it for their wire form (PresenceBatch::wire), made once for all. The same rule as
    // deliver(): no leaving the room from inside this call.
    virtual void deliverBatch(const PresenceBatch &batch, qsizetype from)
    {
        for (qsizetype i = from; i < batch.size(); ++i)
            deliverEncoded(batch.frame(i), batch.utf8(i), DeliveryPace::Prompt);
    }
    // The member's chat_state, its entry to a chat: however big the chat, it must arrive, so a
    // member may let it pass the limits that deliver() applies.
    // Given as the owner encoded it (UTF-8): the one frame of a chat's size a join costs.
    virtual void deliverState(const QByteArray &json) { deliver(QString::fromUtf8(json)); }
    // The chat's owner refused this member's join (a limit, with the code a single node would
    // have sent). The member is no longer in that chat when this is called.
    virtual void joinRefused(const QString &chatName, protocol::ErrorCode code,
                             const QString &reason) = 0;
    // Where this member's chat events go instead of to it: the replica sink of the thread it
    // lives on (a worker thread's replicas), which delivers them to it and to every other member
    // there, so a replica hands each event once per thread, never once per member. Null: the
    // member lives on the replica's thread and gets its events directly. Fixed for the member's
    // life.
    virtual ReplicaSink *relay() const { return nullptr; }
    virtual ConnectionDetails details() const = 0;
    // An administrator ends the connection: CHAT_ADMIN-001 with the reason, then the close;
    // its chats' members get left.
    virtual void kick(const QString &reason) = 0;
};

} // namespace flack::server::rooms
