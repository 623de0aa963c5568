#pragma once
// Decides where a chat lives and hands sessions a ChatRoom for it: this node's ChatReplica of
// the chat, wired to the chat's owner. Alone, every owner is a local ChatOwner, created on
// first join and dropped when its last member leaves; in a cluster an OwnerRouter places
// owners on nodes and carries requests and events over peer links, and sessions don't notice.
// Lives on the main thread; owned by ServerApplication.

#include "server/rooms/chatroom.h"
#include "server/rooms/connectionregistry.h"
#include "server/rooms/replicasink.h"

#include <QHash>
#include <QObject>

namespace flack::server::admin {
class ServerMetrics;
}

namespace flack::server::net {
class WriteCoalescer;
}

namespace flack::server::rooms {

class ChatOwner;
class ChatReplica;
class OwnerLink;

// The cluster's side of the directory: where a chat's owner is and how to reach it.
class OwnerRouter
{
public:
    virtual ~OwnerRouter() = default;
    // The owner a new replica of the chat talks to: a local ChatOwner (from openOwner), a
    // link to another node, or a stand-in while the chat is being re-homed here. Null when a
    // new chat would pass the cap.
    virtual OwnerLink *ownerFor(const QString &chatName) = 0;
    // The replica sink of another node (a peer link); null when that node is not reachable.
    virtual ReplicaSink *remoteReplica(const QString &node) = 0;
};

class RoomDirectory : public QObject
{
    Q_OBJECT
public:
    // maxRooms bounds how many chats clients can make this node hold at once.
    explicit RoomDirectory(qsizetype maxRooms = 100000, QObject *parent = nullptr);
    ~RoomDirectory() override;

    void setRouter(OwnerRouter *router) { m_router = router; }
    // The node's counters, for the sessions and replicas it serves; set before the first chat
    // and session (null: nothing is counted).
    void setMetrics(admin::ServerMetrics *metrics) { m_metrics = metrics; }
    admin::ServerMetrics *metrics() const { return m_metrics; }
    // The presence window of this directory's thread, for the replicas it opens from now on
    // (see ChatReplica::setPresenceWindow); set by the thread's ChatEndpoint.
    void setPresenceWindow(net::WriteCoalescer *window) { m_presenceWindow = window; }
    ConnectionRegistry &connections() { return m_connections; }
    const ConnectionRegistry &connections() const { return m_connections; }
    QString localNode() const { return m_connections.node(); }

    // The chat of that name, created when absent; null when a new chat would exceed the cap.
    ChatRoom *open(const QString &chatName);
    // Chats this node has members in.
    qsizetype roomCount() const { return m_replicas.size(); }
    ChatReplica *findReplica(const QString &chatName) const { return m_replicas.value(chatName); }
    const QHash<QString, ChatReplica *> &replicas() const { return m_replicas; }

    // Chats owned here (with members on any node).
    qsizetype ownedCount() const { return m_owners.size(); }
    ChatOwner *findOwner(const QString &chatName) const { return m_owners.value(chatName); }
    const QHash<QString, ChatOwner *> &owners() const { return m_owners; }
    // The owner of a chat placed here, created when absent; null when it would exceed the cap.
    ChatOwner *openOwner(const QString &chatName, qint64 firstSequence = 0);
    // Forgets an owner that moved to another node, without events.
    void releaseOwner(const QString &chatName);

    // The replica sink of a node: this node's replica of the chat, or the router's link.
    ReplicaSink *replicaSink(const QString &chatName, const QString &node);
    qsizetype maxRooms() const { return m_maxRooms; }

Q_SIGNALS:
    // The last local member of the chat is gone and its replica with it.
    void replicaForgotten(const QString &chatName);
    // The chat's owner here is gone (emptied, or moved to another node).
    void ownerForgotten(const QString &chatName);

private:
    void forgetReplica(const QString &chatName);
    void forgetOwner(const QString &chatName);
    void updateChatGauges();

    qsizetype m_maxRooms;
    OwnerRouter *m_router = nullptr;
    admin::ServerMetrics *m_metrics = nullptr;
    net::WriteCoalescer *m_presenceWindow = nullptr;
    ConnectionRegistry m_connections;
    QHash<QString, ChatReplica *> m_replicas;
    QHash<QString, ChatOwner *> m_owners;
    // Highest sequence any dropped chat reached. A chat created again starts above it, so a
    // chat's sequence never goes back even though empty chats are forgotten (and no memory
    // per forgotten chat name is kept).
    qint64 m_sequenceFloor = 0;
};

} // namespace flack::server::rooms
