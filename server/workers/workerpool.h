#pragma once
// The node's chat connections spread over worker threads (--threads N, N >= 2): the
// /chat-server endpoint the listener hands upgrades to, which passes each to the worker with
// the fewest connections. Together the workers do what one ChatEndpoint does on one thread.
// Lives on the main thread; owned by ServerApplication, destroyed before the node's directory.

#include "server/net/chatendpoint.h"
#include "server/net/websocketendpoint.h"

#include <QObject>

#include <functional>
#include <memory>
#include <vector>

class QAbstractEventDispatcher;

namespace flack::server::admin {
class ServerMetrics;
}

namespace flack::server::workers {

class ChatWorker;

class WorkerPool : public QObject, public net::WebSocketEndpoint
{
    Q_OBJECT
public:
    // makeDispatcher: each worker thread's event dispatcher (null: Qt's). The workers'
    // counters are added to metrics (the node's).
    WorkerPool(int threads, const net::ChatEndpointSettings &settings, rooms::RoomDirectory *node,
               admin::ServerMetrics *metrics,
               const std::function<QAbstractEventDispatcher *()> &makeDispatcher,
               QObject *parent = nullptr);
    ~WorkerPool() override;

    // Once the node's name is known (connection ids carry it).
    void start(const QString &nodeName, quint64 incarnation);

    // WebSocketEndpoint
    void accept(QTcpSocket *socket) override;
    qsizetype connectionCount() const override;

    // Closes every session with 1001 (going away); emits drained when all are gone.
    void shutdown();

Q_SIGNALS:
    void drained();

private:
    admin::ServerMetrics *m_metrics;
    std::vector<std::unique_ptr<ChatWorker>> m_workers;
    std::size_t m_drained = 0;
};

} // namespace flack::server::workers
