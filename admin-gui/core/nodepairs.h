#pragma once
// The links of a cluster as pairs of nodes, each with what both sides report. The cluster is a
// full mesh, so every pair of known nodes should have a link; the pair's health says whether
// it has (both sides up), hasn't (down or not reported), or is half-open (one side sees it up,
// the other down) — the case an operator most needs to see. A pure function, used by the
// totals and the node graph.

#include "shared/adminrecord.h"

#include <optional>

namespace flack::admin {

struct NodePair
{
    enum class Health { Up, HalfOpen, Down, Missing };

    QString first; // first < second
    QString second;
    std::optional<protocol::LinkInfo> fromFirst; // the link as `first` reports it
    std::optional<protocol::LinkInfo> fromSecond;

    Health health() const;
    // The larger round-trip time known from a side that sees the link up; -1 when none.
    qint64 rttMs() const;
};

// Every pair of the given nodes, sorted by (first, second).
QList<NodePair> nodePairs(const QList<protocol::NodeInfo> &nodes);

} // namespace flack::admin
