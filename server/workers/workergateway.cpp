#include "server/workers/workergateway.h"

#include "server/rooms/chatevent.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/roomdirectory.h"
#include "server/workers/workermember.h"
#include "server/workers/workerrooms.h"
#include "shared/errorcode.h"

namespace flack::server::workers {

WorkerGateway::WorkerGateway(rooms::RoomDirectory *node, QObject *parent)
    : QObject(parent), m_node(node)
{
}

WorkerGateway::~WorkerGateway()
{
    // Stand-ins still in rooms (shutdown) leave them without events, then the registry.
    const auto ids = [this] {
        QStringList list;
        for (const auto &[id, member] : m_members)
            list.append(id);
        return list;
    }();
    for (const QString &id : ids)
        closed(id);
}

WorkerMember *WorkerGateway::find(const QString &connectionId) const
{
    const auto found = m_members.find(connectionId);
    return found == m_members.end() ? nullptr : found->second.get();
}

WorkerMember *WorkerGateway::memberOf(const QString &chatName, const QString &connectionId) const
{
    WorkerMember *member = find(connectionId);
    return member && member->chats().contains(chatName) ? member : nullptr;
}

template <typename Call> void WorkerGateway::toWorker(Call &&call)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, std::forward<Call>(call), Qt::QueuedConnection);
}

void WorkerGateway::opened(const QString &connectionId, const QString &remoteAddress,
                           const QByteArray &connectedSince)
{
    if (find(connectionId) || m_node->connections().find(connectionId))
        return; // ids are the worker's series: a repeat is a fault, never a second connection
    auto member = std::make_unique<WorkerMember>(this, connectionId, remoteAddress, connectedSince);
    m_node->connections().add(member.get());
    m_members.emplace(connectionId, std::move(member));
}

void WorkerGateway::authenticated(const QString &connectionId, const QString &userId,
                                  const QString &userName)
{
    if (WorkerMember *member = find(connectionId))
        member->setUser(userId, userName);
}

void WorkerGateway::closed(const QString &connectionId)
{
    const auto found = m_members.find(connectionId);
    if (found == m_members.end())
        return;
    WorkerMember *member = found->second.get();
    // Its rooms had its drops first (they are sent before this); a room it is still in, it
    // leaves now, so none keeps a pointer to it.
    const QSet<QString> chats = member->chats(); // a copy: the drops may call back
    for (const QString &chatName : chats) {
        if (rooms::ChatReplica *replica = m_node->findReplica(chatName))
            replica->drop(member);
    }
    m_node->connections().remove(member);
    m_members.erase(found);
}

void WorkerGateway::join(const QString &chatName, const QString &connectionId)
{
    WorkerMember *member = find(connectionId);
    if (!member || member->chats().contains(chatName))
        return;
    rooms::ChatRoom *room = m_node->open(chatName);
    if (!room) {
        // The node's cap, which the worker's own directory doesn't know: the same answer a
        // session gives when its directory is full.
        refuseJoin(chatName, connectionId, protocol::ErrorCode::TooManyRooms,
                   QStringLiteral("the server holds its maximum number of chats; join an "
                                  "existing one or try later"));
        return;
    }
    member->addChat(chatName);
    room->join(member);
}

void WorkerGateway::leave(const QString &chatName, const QString &connectionId)
{
    WorkerMember *member = memberOf(chatName, connectionId);
    if (!member)
        return;
    member->removeChat(chatName);
    if (rooms::ChatReplica *replica = m_node->findReplica(chatName))
        replica->leave(member);
}

void WorkerGateway::drop(const QString &chatName, const QString &connectionId)
{
    WorkerMember *member = memberOf(chatName, connectionId);
    if (!member)
        return;
    member->removeChat(chatName);
    if (rooms::ChatReplica *replica = m_node->findReplica(chatName))
        replica->drop(member);
}

void WorkerGateway::post(const QString &chatName, const QString &connectionId,
                         const QString &mimeType, const QString &message)
{
    WorkerMember *member = memberOf(chatName, connectionId);
    if (!member)
        return;
    member->countMessage();
    if (rooms::ChatReplica *replica = m_node->findReplica(chatName))
        replica->post(member, mimeType, message);
}

void WorkerGateway::deliverState(const QString &chatName, const QString &connectionId,
                                 const QByteArray &json,
                                 const std::vector<rooms::MemberInfo> &roster)
{
    Q_UNUSED(roster); // a replica delivering to its members needs none: not copied over
    toWorker([worker = m_worker, chatName, connectionId, json] {
        worker->deliverState(chatName, connectionId, json, {});
    });
}

void WorkerGateway::deliverEvent(const rooms::ChatEvent &event)
{
    toWorker([worker = m_worker, event] { worker->deliverEvent(event); });
}

void WorkerGateway::refuseJoin(const QString &chatName, const QString &connectionId,
                               protocol::ErrorCode code, const QString &reason)
{
    if (WorkerMember *member = find(connectionId))
        member->removeChat(chatName);
    toWorker([worker = m_worker, chatName, connectionId, code, reason] {
        worker->refuseJoin(chatName, connectionId, code, reason);
    });
}

void WorkerGateway::deliverTo(const QString &connectionId, const QString &frame)
{
    toWorker([worker = m_worker, connectionId, frame] { worker->deliverTo(connectionId, frame); });
}

void WorkerGateway::kick(const QString &connectionId, const QString &reason)
{
    toWorker([worker = m_worker, connectionId, reason] { worker->kick(connectionId, reason); });
}

} // namespace flack::server::workers
