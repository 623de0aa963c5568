#include "tools/core/latencyhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flack::tools {

// Values below 64 get a bucket each; above, every power of two is split into 32 equal buckets.
int LatencyHistogram::bucketOf(std::uint64_t value)
{
    if (value < 2 * kSubBuckets)
        return int(value);
    const int msb = 63 - std::countl_zero(value);
    const int shift = msb - 5;
    const int top = int(value >> shift); // 32..63
    return std::min(kBuckets - 1,
                    2 * kSubBuckets + (shift - 1) * kSubBuckets + (top - kSubBuckets));
}

std::int64_t LatencyHistogram::bucketMiddle(int bucket)
{
    if (bucket < 2 * kSubBuckets)
        return bucket;
    const int shift = (bucket - 2 * kSubBuckets) / kSubBuckets + 1;
    const std::int64_t top = (bucket - 2 * kSubBuckets) % kSubBuckets + kSubBuckets;
    return (top << shift) + ((std::int64_t(1) << shift) / 2);
}

void LatencyHistogram::record(std::int64_t nanoseconds)
{
    const std::uint64_t value = nanoseconds < 0 ? 0 : std::uint64_t(nanoseconds);
    ++m_buckets[std::size_t(bucketOf(value))];
    if (m_count == 0 || std::int64_t(value) < m_min)
        m_min = std::int64_t(value);
    m_max = std::max(m_max, std::int64_t(value));
    m_sum += value;
    ++m_count;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    for (std::size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_min = m_count ? std::min(m_min, other.m_min) : other.m_min;
    m_max = std::max(m_max, other.m_max);
    m_sum += other.m_sum;
    m_count += other.m_count;
}

void LatencyHistogram::clear()
{
    *this = LatencyHistogram();
}

std::int64_t LatencyHistogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const auto rank = std::uint64_t(
        std::max(1.0, std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * double(m_count))));
    if (rank >= m_count)
        return m_max; // the top rank is the largest value, known exactly
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= rank)
            return std::clamp(bucketMiddle(int(i)), m_min, m_max);
    }
    return m_max;
}

} // namespace flack::tools
