#pragma once
// The main thread's stand-in for a chat connection that lives on a worker thread: what the
// node's rooms, the cluster and the admin view see of it (its id, its user, what an operator
// is shown). Events never reach it one by one: relay() names its worker's gateway, through
// which each chat's replica hands an event once per worker. Kept up to date by the gateway
// from what the worker reports; owned by that WorkerGateway. Lives on the main thread.

#include "server/rooms/roommember.h"

#include <QSet>

namespace flack::server::workers {

class WorkerGateway;

class WorkerMember : public rooms::RoomMember
{
public:
    WorkerMember(WorkerGateway *gateway, QString connectionId, QString remoteAddress,
                 QByteArray connectedSince);

    void setUser(const QString &userId, const QString &userName);
    // The chats the node's rooms hold it in (joined or joining), for the admin view and for
    // dropping it from them when it goes.
    void addChat(const QString &chatName) { m_chats.insert(chatName); }
    void removeChat(const QString &chatName) { m_chats.remove(chatName); }
    const QSet<QString> &chats() const { return m_chats; }
    void countMessage() { ++m_messagesSent; }

    // RoomMember
    QString connectionId() const override { return m_connectionId; }
    QString userId() const override { return m_userId; }
    QString userName() const override { return m_userName; }
    // Not used by the rooms (they go through relay()); forwarded all the same.
    void deliver(const QString &frame) override;
    void joinRefused(const QString &chatName, protocol::ErrorCode code,
                     const QString &reason) override;
    rooms::ReplicaSink *relay() const override;
    rooms::ConnectionDetails details() const override;
    void kick(const QString &reason) override;

private:
    WorkerGateway *m_gateway;
    QString m_connectionId;
    QString m_remoteAddress;
    QByteArray m_connectedSince;
    QString m_userId;
    QString m_userName;
    bool m_authenticated = false;
    QSet<QString> m_chats;
    qint64 m_messagesSent = 0;
};

} // namespace flack::server::workers
