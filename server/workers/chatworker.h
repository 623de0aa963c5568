#pragma once
// One worker thread of chat connections (--threads): its own event loop, its own
// ChatEndpoint whose sessions use the thread's WorkerRooms, and its counters (summed into the
// node's). The main thread hands it upgraded sockets; the thread's rooms reach the node's
// through the WorkerGateway kept here. The ChatWorker object itself lives on the main thread;
// what it starts lives on the worker thread and is destroyed there. Owned by WorkerPool.

#include "server/admin/servermetrics.h"
#include "server/net/chatendpoint.h"
#include "server/workers/workergateway.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

class QAbstractEventDispatcher;
class QTcpSocket;

namespace flack::server::workers {

class WorkerRooms;

class ChatWorker : public QObject
{
    Q_OBJECT
public:
    // node: the node's directory (main thread). dispatcher (may be null: Qt's): the thread's
    // event dispatcher, owned by the thread from now on.
    ChatWorker(const net::ChatEndpointSettings &settings, rooms::RoomDirectory *node,
               QAbstractEventDispatcher *dispatcher, QObject *parent = nullptr);
    ~ChatWorker() override;

    // Starts the thread; connection ids are series `series` of seriesCount (see
    // ConnectionRegistry::setIdSeries) under the node's name and incarnation.
    void start(const QString &nodeName, quint64 incarnation, quint64 series, quint64 seriesCount);
    // A parentless socket on the main thread, holding a complete upgrade request: it moves to
    // the worker thread, whose endpoint owns it from then on.
    void accept(QTcpSocket *socket);
    // Sockets handed over and not yet destroyed: handshaking, or carrying a session.
    qsizetype connectionCount() const { return m_connections->load(std::memory_order_relaxed); }
    // Closes every session there with 1001 (going away); emits drained when all are gone.
    void shutdown();
    // The thread's counters; add them to the node's before start.
    const admin::ServerMetrics &metrics() const { return m_metrics; }

Q_SIGNALS:
    void drained();

private:
    void stop();

    net::ChatEndpointSettings m_settings;
    rooms::RoomDirectory *m_node;
    WorkerGateway m_gateway;
    admin::ServerMetrics m_metrics;
    QThread m_thread;
    QObject m_anchor; // lives on the worker thread: what runs there at start and stop
    // Made, used and destroyed on the worker thread.
    WorkerRooms *m_rooms = nullptr;
    net::ChatEndpoint *m_endpoint = nullptr;
    // Shared with the sockets' counters, which a socket left behind at shutdown may keep.
    std::shared_ptr<std::atomic<qsizetype>> m_connections =
        std::make_shared<std::atomic<qsizetype>>(0);
};

} // namespace flack::server::workers
