#include "server/workers/chatworker.h"

#include "server/workers/tlsthreadstate.h"
#include "server/workers/workerrooms.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QPointer>
#include <QTcpSocket>

namespace flack::server::workers {

namespace {
// Rides on a handed-over socket: one in the count from its handover to its destruction.
class SocketCount : public QObject
{
public:
    SocketCount(std::shared_ptr<std::atomic<qsizetype>> count, QObject *socket)
        : QObject(socket), m_count(std::move(count))
    {
        m_count->fetch_add(1, std::memory_order_relaxed);
    }
    ~SocketCount() override { m_count->fetch_sub(1, std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<qsizetype>> m_count;
};
} // namespace

ChatWorker::ChatWorker(const net::ChatEndpointSettings &settings, rooms::RoomDirectory *node,
                       QAbstractEventDispatcher *dispatcher, QObject *parent)
    : QObject(parent), m_settings(settings), m_node(node), m_gateway(node)
{
    m_thread.setObjectName(QStringLiteral("flack-worker"));
    if (dispatcher)
        m_thread.setEventDispatcher(dispatcher);
    m_anchor.moveToThread(&m_thread);
}

ChatWorker::~ChatWorker()
{
    stop();
}

void ChatWorker::start(const QString &nodeName, quint64 incarnation, quint64 series,
                       quint64 seriesCount)
{
    m_thread.start();
    QMetaObject::invokeMethod(
        &m_anchor,
        [&] {
            m_rooms = new WorkerRooms(&m_gateway, nodeName, incarnation, series, seriesCount,
                                      m_node->maxRooms());
            m_rooms->directory().setMetrics(&m_metrics);
            m_endpoint = new net::ChatEndpoint(m_settings, &m_rooms->directory());
            m_endpoint->setReports(m_rooms);
            // Queued back to this (main-thread) object.
            connect(m_endpoint, &net::ChatEndpoint::drained, this, &ChatWorker::drained);
        },
        Qt::BlockingQueuedConnection);
    m_gateway.setWorker(m_rooms);
}

void ChatWorker::accept(QTcpSocket *socket)
{
    if (!m_endpoint) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    // Counted until the socket is gone, on whichever thread that is. A child, not a signal:
    // QWebSocket drops the socket's signal connections when it takes the socket over.
    new SocketCount(m_connections, socket);
    // Not from here: this runs inside the socket's own readyRead (the request was complete),
    // and until that emission ends the socket suppresses further ones — on any thread, so the
    // worker would miss the client's first frames. The move waits for the event loop.
    QMetaObject::invokeMethod(
        this,
        [this, socket = QPointer<QTcpSocket>(socket)] {
            if (!socket)
                return;
            QTcpSocket *moved = socket.data();
            if (!m_endpoint) { // stopped meanwhile
                moved->abort();
                moved->deleteLater();
                return;
            }
            moved->moveToThread(&m_thread);
            QMetaObject::invokeMethod(
                m_endpoint, [endpoint = m_endpoint, moved] { endpoint->accept(moved); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void ChatWorker::shutdown()
{
    if (!m_endpoint) {
        Q_EMIT drained();
        return;
    }
    QMetaObject::invokeMethod(
        m_endpoint, [endpoint = m_endpoint] { endpoint->shutdown(); }, Qt::QueuedConnection);
}

void ChatWorker::stop()
{
    if (!m_thread.isRunning())
        return;
    // Nothing goes to the thread's rooms from here on. Its sessions' last reports to the
    // gateway are never read: the gateway, destroyed after this, drops the stand-ins left.
    m_gateway.setWorker(nullptr);
    // Sockets still on their way: their moves run now, and then their endpoint takes them
    // (and, shutting down, closes them), so none is left behind unowned.
    QCoreApplication::sendPostedEvents(this);
    QMetaObject::invokeMethod(
        &m_anchor,
        [this] {
            QCoreApplication::sendPostedEvents(m_endpoint);
            delete m_endpoint; // its sessions leave their chats
            m_endpoint = nullptr;
            delete m_rooms;
            m_rooms = nullptr;
        },
        Qt::BlockingQueuedConnection);
    // The thread's last act, after its event loop (and any deletion it still ran) is done.
    connect(&m_thread, &QThread::finished, &m_anchor, &releaseTlsThreadState, Qt::DirectConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace flack::server::workers
