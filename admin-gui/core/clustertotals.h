#pragma once
// The cluster's totals for the Overview tab, aggregated from one record's view of the nodes.
// A pure function of the data, so the rules (what an unreachable node contributes) are tested
// on their own. Plain data; used on the GUI thread.

#include "shared/adminrecord.h"

namespace flack::admin {

struct ClusterTotals
{
    int nodes = 0;
    int nodesUp = 0;
    int links = 0;   // node pairs: the mesh links every node with every other
    int linksUp = 0; // pairs both of whose sides report the link up
    qint64 connections = 0;
    qint64 chats = 0;
    qint64 users = 0;
    // Rates of the reachable nodes only: an unreachable node's figures are its last answer,
    // not what it does now, so adding them would show traffic that may have stopped.
    double messagesInPerS = 0;
    double messagesOutPerS = 0;
    double deliveriesPerS = 0;
    bool partial = false; // some node is unreachable: counts include its last report
    friend bool operator==(const ClusterTotals &, const ClusterTotals &) = default;
};

// chats and users are the numbers listed (every chat and authenticated user, as last reported).
ClusterTotals aggregateTotals(const QList<protocol::NodeInfo> &nodes, qint64 chats, qint64 users);

} // namespace flack::admin
