#include "server/rooms/roomdirectory.h"

#include "server/admin/servermetrics.h"
#include "server/rooms/chatowner.h"
#include "server/rooms/chatreplica.h"

#include <algorithm>

namespace flack::server::rooms {

RoomDirectory::RoomDirectory(qsizetype maxRooms, QObject *parent)
    : QObject(parent), m_maxRooms(maxRooms)
{
}

RoomDirectory::~RoomDirectory()
{
    // Replicas first: they point at owners.
    qDeleteAll(std::exchange(m_replicas, {}));
    qDeleteAll(std::exchange(m_owners, {}));
}

ChatRoom *RoomDirectory::open(const QString &chatName)
{
    if (ChatReplica *existing = m_replicas.value(chatName))
        return existing;
    if (m_replicas.size() >= m_maxRooms)
        return nullptr;
    OwnerLink *owner = m_router ? m_router->ownerFor(chatName) : openOwner(chatName);
    if (!owner)
        return nullptr;
    auto *replica = new ChatReplica(chatName, &m_connections, this);
    replica->setOwner(owner);
    replica->setMetrics(m_metrics);
    replica->setPresenceWindow(m_presenceWindow);
    connect(replica, &ChatReplica::emptied, this, &RoomDirectory::forgetReplica);
    m_replicas.insert(chatName, replica);
    updateChatGauges();
    return replica;
}

ChatOwner *RoomDirectory::openOwner(const QString &chatName, qint64 firstSequence)
{
    if (ChatOwner *existing = m_owners.value(chatName))
        return existing;
    if (m_owners.size() >= m_maxRooms)
        return nullptr;
    auto *owner = new ChatOwner(
        chatName, std::max(m_sequenceFloor, firstSequence),
        [this, chatName](const QString &node) { return replicaSink(chatName, node); }, this);
    connect(owner, &ChatOwner::emptied, this, &RoomDirectory::forgetOwner);
    m_owners.insert(chatName, owner);
    updateChatGauges();
    return owner;
}

void RoomDirectory::releaseOwner(const QString &chatName)
{
    if (ChatOwner *owner = m_owners.take(chatName)) {
        m_sequenceFloor = std::max(m_sequenceFloor, owner->lastSequence());
        owner->deleteLater();
        updateChatGauges();
        Q_EMIT ownerForgotten(chatName);
    }
}

ReplicaSink *RoomDirectory::replicaSink(const QString &chatName, const QString &node)
{
    if (node == localNode())
        return m_replicas.value(chatName);
    return m_router ? m_router->remoteReplica(node) : nullptr;
}

void RoomDirectory::forgetReplica(const QString &chatName)
{
    // emptied is emitted from inside the replica's own call stack: delete it later.
    if (ChatReplica *replica = m_replicas.take(chatName)) {
        replica->deleteLater();
        updateChatGauges();
        Q_EMIT replicaForgotten(chatName);
    }
}

void RoomDirectory::forgetOwner(const QString &chatName)
{
    releaseOwner(chatName);
}

void RoomDirectory::updateChatGauges()
{
    if (m_metrics) {
        m_metrics->setChatReplicas(m_replicas.size());
        m_metrics->setChatsOwned(m_owners.size());
    }
}

} // namespace flack::server::rooms
