#pragma once
// The counts one BenchWorker gathers during a traffic step; the runner merges the workers'.
// Against several nodes the measured deliveries are also split by where sender and receiver
// are connected: the same node, or different ones.

#include "tools/core/latencyhistogram.h"

#include <cstdint>
#include <map>
#include <string>

namespace flack::tools {

struct BenchStats
{
    // Deliveries of one kind (same-node or cross-node); counted only against several nodes.
    struct Deliveries
    {
        std::uint64_t expected = 0;
        std::uint64_t received = 0;
        std::uint64_t deliveredInWindow = 0;
        LatencyHistogram latency;

        void merge(const Deliveries &other)
        {
            expected += other.expected;
            received += other.received;
            deliveredInWindow += other.deliveredInWindow;
            latency.merge(other.latency);
        }
    };

    std::uint64_t sentTotal = 0;         // chat messages sent in the step (any time)
    std::uint64_t sentMeasured = 0;      // sent inside the measurement window
    std::uint64_t expected = 0;          // deliveries due for the measured messages
    std::uint64_t received = 0;          // measured messages received (duplicates excluded)
    std::uint64_t deliveredInWindow = 0; // any bench message received inside the window
    std::uint64_t duplicates = 0;
    std::uint64_t orderViolations = 0;
    std::uint64_t sequenceViolations = 0;
    std::uint64_t misrouted = 0;       // a message of another room's sender
    std::uint64_t foreignMessages = 0; // chat_message without a bench payload
    std::uint64_t closed = 0;          // connections lost
    // Events a connection's chat skipped between two it received: on one node every member
    // gets every event of its chat from its own joined on, each one sequence above the last.
    std::uint64_t sequenceGaps = 0;
    std::uint64_t churned = 0;             // soak: connections closed on purpose to rejoin
    std::uint64_t floodSent = 0;           // flood: the flooder's messages written to its socket
    std::uint64_t floodDelivered = 0;      // flood: deliveries of them to the normal members
    LatencyHistogram latencyWhileFlooding; // measured messages sent while the flooder was on
    LatencyHistogram intervalLatency;      // soak: since the runner's last sample (not merged)
    LatencyHistogram latency;              // send -> receive, measured messages
    Deliveries sameNode;                   // sender and receiver on the same node
    Deliveries crossNode;                  // on different nodes
    std::map<std::string, std::uint64_t> errors;

    void merge(const BenchStats &other)
    {
        sentTotal += other.sentTotal;
        sentMeasured += other.sentMeasured;
        expected += other.expected;
        received += other.received;
        deliveredInWindow += other.deliveredInWindow;
        duplicates += other.duplicates;
        orderViolations += other.orderViolations;
        sequenceViolations += other.sequenceViolations;
        misrouted += other.misrouted;
        foreignMessages += other.foreignMessages;
        closed += other.closed;
        sequenceGaps += other.sequenceGaps;
        churned += other.churned;
        floodSent += other.floodSent;
        floodDelivered += other.floodDelivered;
        latencyWhileFlooding.merge(other.latencyWhileFlooding);
        latency.merge(other.latency);
        sameNode.merge(other.sameNode);
        crossNode.merge(other.crossNode);
        for (const auto &[text, count] : other.errors)
            errors[text] += count;
    }
};

} // namespace flack::tools
