#pragma once
// A fixed-size log-linear histogram of latencies in nanoseconds (about 3% resolution, no
// allocation after construction), so each bench thread can record every delivery and the
// threads' histograms can be merged for percentiles at the end.

#include <array>
#include <cstdint>

namespace flack::tools {

class LatencyHistogram
{
public:
    void record(std::int64_t nanoseconds);
    void merge(const LatencyHistogram &other);
    void clear();

    std::uint64_t count() const { return m_count; }
    std::int64_t max() const { return m_max; }
    std::int64_t min() const { return m_count ? m_min : 0; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    // The value at percentile p (0 < p <= 100): the middle of its bucket, never above max().
    std::int64_t percentile(double p) const;

private:
    static constexpr int kSubBuckets = 32;
    static constexpr int kBuckets = 2 * kSubBuckets + 58 * kSubBuckets;
    static int bucketOf(std::uint64_t value);
    static std::int64_t bucketMiddle(int bucket);

    std::array<std::uint64_t, kBuckets> m_buckets{};
    std::uint64_t m_count = 0;
    std::int64_t m_max = 0;
    std::int64_t m_min = 0;
    long double m_sum = 0;
};

} // namespace flack::tools
