#include "server/admin/servermetrics.h"

namespace flack::server::admin {

void ServerMetrics::protocolErrorSent(protocol::ErrorCode code)
{
    const QMutexLocker lock(&m_errorsLock);
    ++m_protocolErrors[code];
}

void ServerMetrics::addCountersTo(MetricsSnapshot *into) const
{
    const auto read = [](const std::atomic<qint64> &counter) {
        return counter.load(std::memory_order_relaxed);
    };
    into->connectionsOpen += read(m_connectionsOpen);
    into->connectionsAccepted += quint64(read(m_connectionsAccepted));
    into->messagesIn += quint64(read(m_messagesIn));
    into->messagesOut += quint64(read(m_messagesOut));
    into->deliveries += quint64(read(m_deliveries));
    into->bytesIn += quint64(read(m_bytesIn));
    into->bytesOut += quint64(read(m_bytesOut));
    into->kicks += quint64(read(m_kicks));
    const QMutexLocker lock(&m_errorsLock);
    // Keyed by the enum while counting (no string work when an error is sent), by the wire code
    // for readers, who label and sort by it.
    for (const auto &[code, count] : m_protocolErrors)
        into->protocolErrors[QString(protocol::errorCodeString(code))] += count;
}

MetricsSnapshot ServerMetrics::snapshot() const
{
    MetricsSnapshot snapshot;
    addCountersTo(&snapshot);
    for (const ServerMetrics *part : m_parts)
        part->addCountersTo(&snapshot);
    snapshot.chatReplicas = m_chatReplicas.load(std::memory_order_relaxed);
    snapshot.chatsOwned = m_chatsOwned.load(std::memory_order_relaxed);
    return snapshot;
}

} // namespace flack::server::admin
