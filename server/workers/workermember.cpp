#include "server/workers/workermember.h"

#include "server/workers/workergateway.h"

namespace flack::server::workers {

WorkerMember::WorkerMember(WorkerGateway *gateway, QString connectionId, QString remoteAddress,
                           QByteArray connectedSince)
    : m_gateway(gateway), m_connectionId(std::move(connectionId)),
      m_remoteAddress(std::move(remoteAddress)), m_connectedSince(std::move(connectedSince))
{
}

void WorkerMember::setUser(const QString &userId, const QString &userName)
{
    m_userId = userId;
    m_userName = userName;
    m_authenticated = true;
}

void WorkerMember::deliver(const QString &frame)
{
    m_gateway->deliverTo(m_connectionId, frame);
}

void WorkerMember::joinRefused(const QString &chatName, protocol::ErrorCode code,
                               const QString &reason)
{
    m_gateway->refuseJoin(chatName, m_connectionId, code, reason);
}

rooms::ReplicaSink *WorkerMember::relay() const
{
    return m_gateway;
}

rooms::ConnectionDetails WorkerMember::details() const
{
    rooms::ConnectionDetails details;
    details.authenticated = m_authenticated;
    details.remoteAddress = m_remoteAddress;
    details.connectedSince = m_connectedSince;
    details.chats = m_chats.values();
    details.chats.sort();
    details.messagesSent = m_messagesSent;
    return details;
}

void WorkerMember::kick(const QString &reason)
{
    m_gateway->kick(m_connectionId, reason);
}

} // namespace flack::server::workers
