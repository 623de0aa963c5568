#pragma once
// The main thread's end of one worker thread: its connections' stand-ins (WorkerMember) in
// the node's rooms, and the relay through which those rooms hand the worker each event once.
// What the worker's sessions ask (join, leave, post, ...) arrives here as queued calls from
// its WorkerRooms and is carried out on the node's directory as if they were local sessions;
// what the node's rooms send them goes back to the worker as queued calls, one per event per
// worker. Nothing from the worker is trusted to name a connection it doesn't hold: requests
// for unknown ids are ignored. Lives on the main thread; owned by ChatWorker.

#include "server/rooms/replicasink.h"

#include <QObject>

#include <memory>
#include <unordered_map>

namespace flack::server::rooms {
class RoomDirectory;
}

namespace flack::server::workers {

class WorkerMember;
class WorkerRooms;

class WorkerGateway : public QObject, public rooms::ReplicaSink
{
    Q_OBJECT
public:
    explicit WorkerGateway(rooms::RoomDirectory *node, QObject *parent = nullptr);
    ~WorkerGateway() override;

    // Where events go (lives on the worker thread); null: nowhere any more (the worker is
    // stopping). Set on the main thread.
    void setWorker(WorkerRooms *worker) { m_worker = worker; }

    // From the worker (queued calls, on the main thread).
    void opened(const QString &connectionId, const QString &remoteAddress,
                const QByteArray &connectedSince);
    void authenticated(const QString &connectionId, const QString &userId, const QString &userName);
    void closed(const QString &connectionId);
    void join(const QString &chatName, const QString &connectionId);
    void leave(const QString &chatName, const QString &connectionId);
    void drop(const QString &chatName, const QString &connectionId);
    void post(const QString &chatName, const QString &connectionId, const QString &mimeType,
              const QString &message);

    // ReplicaSink: the node's rooms to the worker's replicas.
    void deliverState(const QString &chatName, const QString &connectionId, const QByteArray &json,
                      const std::vector<rooms::MemberInfo> &roster) override;
    void deliverEvent(const rooms::ChatEvent &event) override;
    void refuseJoin(const QString &chatName, const QString &connectionId, protocol::ErrorCode code,
                    const QString &reason) override;

    // From a stand-in (main thread) to its connection on the worker.
    void deliverTo(const QString &connectionId, const QString &frame);
    void kick(const QString &connectionId, const QString &reason);

    qsizetype connectionCount() const { return qsizetype(m_members.size()); }

private:
    WorkerMember *find(const QString &connectionId) const;
    // The stand-in, if it is in that chat (joined or joining) here; requests for any other
    // chat are ignored.
    WorkerMember *memberOf(const QString &chatName, const QString &connectionId) const;
    // Runs call on the worker thread, if there still is a worker.
    template <typename Call> void toWorker(Call &&call);

    rooms::RoomDirectory *m_node;
    WorkerRooms *m_worker = nullptr;
    std::unordered_map<QString, std::unique_ptr<WorkerMember>> m_members;
};

} // namespace flack::server::workers
