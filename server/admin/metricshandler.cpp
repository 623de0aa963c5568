#include "server/admin/metricshandler.h"

#include "server/admin/servermetrics.h"

#include <algorithm>

namespace flack::server::admin {

namespace {
// Peers are the cluster's nodes, a handful; the bound only keeps a misconfigured cluster that
// renames nodes endlessly from growing the page without limit.
constexpr qsizetype kMaxRememberedPeers = 256;
} // namespace

MetricsHandler::MetricsHandler(const ServerMetrics *metrics, QString version, NodeName nodeName,
                               UpLinks upLinks)
    : m_metrics(metrics), m_version(std::move(version)), m_nodeName(std::move(nodeName)),
      m_upLinks(std::move(upLinks))
{
}

MetricsScrape MetricsHandler::scrape()
{
    MetricsScrape scrape;
    scrape.version = m_version;
    scrape.node = m_nodeName ? m_nodeName() : QString();
    scrape.counters = m_metrics->snapshot();

    const QList<UpLink> up = m_upLinks ? m_upLinks() : QList<UpLink>();
    QSet<QString> upNames;
    for (const UpLink &link : up) {
        upNames.insert(link.peer);
        scrape.peers.append({link.peer, true, link.roundTripMs});
        if (m_seenPeers.size() < kMaxRememberedPeers)
            m_seenPeers.insert(link.peer);
    }
    for (const QString &peer : std::as_const(m_seenPeers)) {
        if (!upNames.contains(peer))
            scrape.peers.append({peer, false, -1});
    }
    // Sorted by name: the page reads the same from one scrape to the next.
    std::sort(scrape.peers.begin(), scrape.peers.end(),
              [](const PeerLinkSample &a, const PeerLinkSample &b) { return a.peer < b.peer; });
    return scrape;
}

net::HttpResponse MetricsHandler::respond()
{
    return {200, QByteArray(kMetricsContentType), renderMetricsText(scrape()), {}};
}

} // namespace flack::server::admin
