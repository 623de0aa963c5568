#include "server/workers/workerpool.h"

#include "server/admin/servermetrics.h"
#include "server/workers/chatworker.h"

#include <QTcpSocket>

#include <algorithm>

namespace flack::server::workers {

WorkerPool::WorkerPool(int threads, const net::ChatEndpointSettings &settings,
                       rooms::RoomDirectory *node, admin::ServerMetrics *metrics,
                       const std::function<QAbstractEventDispatcher *()> &makeDispatcher,
                       QObject *parent)
    : QObject(parent), m_metrics(metrics)
{
    net::ChatEndpointSettings shared = settings;
    // One memory for all: a client reconnecting lands on any thread.
    if (!shared.rateMemory)
        shared.rateMemory = std::make_shared<sessions::AddressRateMemory>(
            settings.limits.maxMessagesPerSecond, settings.limits.messageBurst);
    for (int i = 0; i < std::max(threads, 1); ++i) {
        auto worker = std::make_unique<ChatWorker>(shared, node, makeDispatcher());
        if (metrics)
            metrics->addPart(&worker->metrics());
        connect(worker.get(), &ChatWorker::drained, this, [this] {
            if (++m_drained == m_workers.size())
                Q_EMIT drained();
        });
        m_workers.push_back(std::move(worker));
    }
}

WorkerPool::~WorkerPool()
{
    for (const auto &worker : m_workers) {
        if (m_metrics)
            m_metrics->removePart(&worker->metrics());
    }
}

void WorkerPool::start(const QString &nodeName, quint64 incarnation)
{
    // Series 0 is the node's own registry (its stand-ins keep the workers' ids).
    const quint64 series = m_workers.size() + 1;
    for (std::size_t i = 0; i < m_workers.size(); ++i)
        m_workers[i]->start(nodeName, incarnation, i + 1, series);
}

void WorkerPool::accept(QTcpSocket *socket)
{
    const auto least =
        std::min_element(m_workers.begin(), m_workers.end(), [](const auto &a, const auto &b) {
            return a->connectionCount() < b->connectionCount();
        });
    (*least)->accept(socket);
}

qsizetype WorkerPool::connectionCount() const
{
    qsizetype count = 0;
    for (const auto &worker : m_workers)
        count += worker->connectionCount();
    return count;
}

void WorkerPool::shutdown()
{
    m_drained = 0;
    for (const auto &worker : m_workers)
        worker->shutdown();
}

} // namespace flack::server::workers
