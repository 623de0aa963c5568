#pragma once
// The rooms of one worker thread: a RoomDirectory holding this thread's replicas of the chats
// its sessions are in, whose owners are reached through the node's directory on the main
// thread (WorkerGateway) instead of directly, and the reports that keep the main thread's
// stand-ins of this thread's connections current. Sessions use its directory as they would
// the node's. Lives on the worker thread; its calls from the gateway arrive as queued calls.

#include "server/net/chatendpoint.h"
#include "server/rooms/chatevent.h"
#include "server/rooms/roomdirectory.h"
#include "shared/errorcode.h"

#include <QObject>

#include <memory>
#include <unordered_map>

namespace flack::server::workers {

class WorkerGateway;

class WorkerRooms : public QObject, public net::SessionReports, private rooms::OwnerRouter
{
    Q_OBJECT
public:
    // gateway lives on the main thread and outlives this. series/seriesCount: this worker's
    // connection ids (see ConnectionRegistry::setIdSeries).
    WorkerRooms(WorkerGateway *gateway, const QString &node, quint64 incarnation, quint64 series,
                quint64 seriesCount, qsizetype maxRooms, QObject *parent = nullptr);
    ~WorkerRooms() override;

    rooms::RoomDirectory &directory() { return m_directory; }

    // SessionReports: a session's life, reported to the main thread (from the worker's
    // endpoint).
    void sessionOpened(const rooms::RoomMember &member) override;
    void sessionAuthenticated(const rooms::RoomMember &member) override;
    void sessionClosed(const QString &connectionId) override;

    // From the gateway, on this thread.
    void deliverState(const QString &chatName, const QString &connectionId, const QByteArray &json,
                      const std::vector<rooms::MemberInfo> &roster);
    void deliverEvent(const rooms::ChatEvent &event);
    void refuseJoin(const QString &chatName, const QString &connectionId, protocol::ErrorCode code,
                    const QString &reason);
    void deliverTo(const QString &connectionId, const QString &frame);
    void kick(const QString &connectionId, const QString &reason);

private:
    class ChatLink;

    // OwnerRouter: every chat's owner is reached through the gateway.
    rooms::OwnerLink *ownerFor(const QString &chatName) override;
    rooms::ReplicaSink *remoteReplica(const QString &) override { return nullptr; }
    // Runs call on the main thread (the gateway's).
    template <typename Call> void toGateway(Call &&call);

    WorkerGateway *m_gateway;
    rooms::RoomDirectory m_directory;
    std::unordered_map<QString, std::unique_ptr<ChatLink>> m_links;
};

} // namespace flack::server::workers
