#include "server/admin/servermetrics.h"

namespace flack::server::admin {

MetricsSnapshot ServerMetrics::snapshot() const
{
    MetricsSnapshot snapshot = m_values;
    // Keyed by the enum while counting (no string work when an error is sent), by the wire code
    // for readers, who label and sort by it.
    for (const auto &[code, count] : m_protocolErrors)
        snapshot.protocolErrors[QString(protocol::errorCodeString(code))] = count;
    return snapshot;
}

} // namespace flack::server::admin
