#pragma once
// The GET /metrics handler: gathers one scrape (this node's ServerMetrics snapshot, its name,
// and its peer links from a callback, so this code needs nothing of the cluster's) and answers
// it in the Prometheus text format. Remembers every peer it has seen, so a link that went down
// reads 0 instead of vanishing. Registered in the HttpRoutes by ServerApplication; called on
// the HTTP listener's thread, the main thread.

#include "server/admin/metricstext.h"
#include "server/net/httpresponse.h"

#include <QSet>

#include <functional>

namespace flack::server::admin {

class ServerMetrics;

class MetricsHandler
{
public:
    // A peer link that is up now: its node name and last round trip (-1 when unknown).
    struct UpLink
    {
        QString peer;
        int roundTripMs = -1;
    };
    using NodeName = std::function<QString()>;
    using UpLinks = std::function<QList<UpLink>()>; // empty (or unset) when not clustered

    // Both callbacks are asked at every scrape: the node's name and its links are known only
    // once the cluster has started, after the routes were built.
    MetricsHandler(const ServerMetrics *metrics, QString version, NodeName nodeName,
                   UpLinks upLinks);

    net::HttpResponse respond();
    // The scrape respond() renders; also updates the peers remembered.
    MetricsScrape scrape();

private:
    const ServerMetrics *m_metrics;
    QString m_version;
    NodeName m_nodeName;
    UpLinks m_upLinks;
    QSet<QString> m_seenPeers;
};

} // namespace flack::server::admin
