#pragma once
// Renders one scrape of this node's figures in the Prometheus text exposition format 0.0.4: a
// "# HELP" and "# TYPE" line per family, the flack_ prefix, _total on counters, label values
// escaped. Pure functions over values, so the exact text is unit-tested; MetricsHandler gathers
// the values and serves the result at GET /metrics. Callable from any thread.

#include "server/admin/servermetrics.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace flack::server::admin {

// One peer link as /metrics reports it.
struct PeerLinkSample
{
    QString peer;         // the peer's node name
    bool up = false;      // linked and authenticated now
    int roundTripMs = -1; // last heartbeat round trip; -1 when unknown (no sample then)
};

// Everything one scrape shows.
struct MetricsScrape
{
    QString version; // of this build
    QString node;    // this node's name
    MetricsSnapshot counters;
    QList<PeerLinkSample> peers; // in the order to print them
};

// The Content-Type of renderMetricsText()'s output.
inline constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

QByteArray renderMetricsText(const MetricsScrape &scrape);

// A label value as it goes between the quotes: backslash, double quote and line feed escaped
// (the only escapes the format has); UTF-8.
QByteArray escapeLabelValue(QStringView value);

} // namespace flack::server::admin
