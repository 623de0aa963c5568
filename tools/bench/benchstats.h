#pragma once
// The counts one BenchWorker gathers during a traffic step; the runner merges the workers'.

#include "tools/core/latencyhistogram.h"

#include <cstdint>
#include <map>
#include <string>

namespace flack::tools {

struct BenchStats
{
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
    LatencyHistogram latency;          // send -> receive, measured messages
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
        latency.merge(other.latency);
        for (const auto &[text, count] : other.errors)
            errors[text] += count;
    }
};

} // namespace flack::tools
