#include "server/workers/workerrooms.h"

#include "server/rooms/chatreplica.h"
#include "server/rooms/ownerlink.h"
#include "server/rooms/roommember.h"
#include "server/workers/workergateway.h"

namespace flack::server::workers {

// One chat's OwnerLink on this thread: its replica's requests, to the gateway with the chat's
// name (which OwnerLink's calls don't carry).
class WorkerRooms::ChatLink : public rooms::OwnerLink
{
public:
    ChatLink(WorkerRooms *rooms, QString chatName) : m_rooms(rooms), m_chatName(std::move(chatName))
    {
    }
    void join(const rooms::MemberInfo &member) override
    {
        m_rooms->toGateway([gateway = m_rooms->m_gateway, chat = m_chatName, member] {
            gateway->join(chat, member.connectionId);
        });
    }
    void leave(const QString &connectionId) override
    {
        m_rooms->toGateway([gateway = m_rooms->m_gateway, chat = m_chatName, connectionId] {
            gateway->leave(chat, connectionId);
        });
    }
    void drop(const QString &connectionId) override
    {
        m_rooms->toGateway([gateway = m_rooms->m_gateway, chat = m_chatName, connectionId] {
            gateway->drop(chat, connectionId);
        });
    }
    void post(const QString &connectionId, const QString &mimeType, const QString &message) override
    {
        m_rooms->toGateway([gateway = m_rooms->m_gateway, chat = m_chatName, connectionId, mimeType,
                            message] { gateway->post(chat, connectionId, mimeType, message); });
    }

private:
    WorkerRooms *m_rooms;
    QString m_chatName;
};

WorkerRooms::WorkerRooms(WorkerGateway *gateway, const QString &node, quint64 incarnation,
                         quint64 series, quint64 seriesCount, qsizetype maxRooms, QObject *parent)
    : QObject(parent), m_gateway(gateway), m_directory(maxRooms)
{
    m_directory.connections().setNode(node, incarnation);
    m_directory.connections().setIdSeries(series, seriesCount);
    m_directory.setRouter(this);
    // A replica gone is a chat this thread no longer asks about: its link goes too.
    connect(&m_directory, &rooms::RoomDirectory::replicaForgotten, this,
            [this](const QString &chatName) { m_links.erase(chatName); });
}

WorkerRooms::~WorkerRooms() = default;

template <typename Call> void WorkerRooms::toGateway(Call &&call)
{
    QMetaObject::invokeMethod(m_gateway, std::forward<Call>(call), Qt::QueuedConnection);
}

rooms::OwnerLink *WorkerRooms::ownerFor(const QString &chatName)
{
    auto &link = m_links[chatName];
    if (!link)
        link = std::make_unique<ChatLink>(this, chatName);
    return link.get();
}

void WorkerRooms::sessionOpened(const rooms::RoomMember &member)
{
    const rooms::ConnectionDetails details = member.details();
    toGateway([gateway = m_gateway, id = member.connectionId(), address = details.remoteAddress,
               since = details.connectedSince] { gateway->opened(id, address, since); });
}

void WorkerRooms::sessionAuthenticated(const rooms::RoomMember &member)
{
    toGateway([gateway = m_gateway, id = member.connectionId(), userId = member.userId(),
               userName = member.userName()] { gateway->authenticated(id, userId, userName); });
}

void WorkerRooms::sessionClosed(const QString &connectionId)
{
    toGateway([gateway = m_gateway, connectionId] { gateway->closed(connectionId); });
}

void WorkerRooms::deliverState(const QString &chatName, const QString &connectionId,
                               const QByteArray &json, const std::vector<rooms::MemberInfo> &roster)
{
    if (rooms::ChatReplica *replica = m_directory.findReplica(chatName))
        replica->deliverState(chatName, connectionId, json, roster);
}

void WorkerRooms::deliverEvent(const rooms::ChatEvent &event)
{
    if (rooms::ChatReplica *replica = m_directory.findReplica(event.chatName))
        replica->deliverEvent(event);
}

void WorkerRooms::refuseJoin(const QString &chatName, const QString &connectionId,
                             protocol::ErrorCode code, const QString &reason)
{
    if (rooms::ChatReplica *replica = m_directory.findReplica(chatName))
        replica->refuseJoin(chatName, connectionId, code, reason);
}

void WorkerRooms::deliverTo(const QString &connectionId, const QString &frame)
{
    if (rooms::RoomMember *member = m_directory.connections().find(connectionId))
        member->deliver(frame);
}

void WorkerRooms::kick(const QString &connectionId, const QString &reason)
{
    if (rooms::RoomMember *member = m_directory.connections().find(connectionId))
        member->kick(reason);
}

} // namespace flack::server::workers
