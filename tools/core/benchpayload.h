#pragma once
// The text of every chat message flack-bench sends: who sent it (a bench-wide sender index),
// that sender's counter, and the monotonic send time, padded to the configured size. Receivers
// derive latency, missing, duplicate and out-of-order deliveries from it. Plain ASCII with no
// characters JSON must escape, so it travels through the server byte for byte.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flack::tools {

struct BenchPayload
{
    std::uint32_t sender = 0;
    std::uint64_t counter = 0;
    std::int64_t sendTimeNs = 0;

    // Appends the payload text, padded with 'x' to at least totalBytes.
    void appendTo(std::string &out, std::size_t totalBytes) const;
    // Parses a payload; false for any other text.
    static bool parse(std::string_view text, BenchPayload &payload);
};

} // namespace flack::tools
