#include "server/sessions/addressratememory.h"

#include <algorithm>

namespace flack::server::sessions {

AddressRateMemory::AddressRateMemory(int perSecond, int burst, qsizetype maxEntries)
    : m_perSecond(std::max(perSecond, 0)), m_capacityMilli(qint64(std::max(burst, 1)) * 1000),
      m_maxEntries(std::max<qsizetype>(maxEntries, 1))
{
}

qint64 AddressRateMemory::refilled(const Entry &entry, qint64 nowMs) const
{
    const qint64 elapsed = std::max<qint64>(0, nowMs - entry.atMs);
    return std::min(m_capacityMilli, entry.tokensMilli + elapsed * m_perSecond);
}

qsizetype AddressRateMemory::size() const
{
    const QMutexLocker lock(&m_lock);
    return m_entries.size();
}

qint64 AddressRateMemory::startingTokensMilli(const QByteArray &addressKey, qint64 nowMs)
{
    if (m_perSecond == 0)
        return m_capacityMilli;
    const QMutexLocker lock(&m_lock);
    forgetRefilled(nowMs);
    const auto found = m_entries.constFind(addressKey);
    return found == m_entries.cend() ? m_capacityMilli : refilled(*found, nowMs);
}

void AddressRateMemory::remember(const QByteArray &addressKey, qint64 tokensMilli, qint64 nowMs)
{
    if (m_perSecond == 0)
        return;
    const QMutexLocker lock(&m_lock);
    forgetRefilled(nowMs);
    tokensMilli = std::clamp<qint64>(tokensMilli, 0, m_capacityMilli);
    const auto found = m_entries.find(addressKey);
    if (found != m_entries.end())
        tokensMilli = std::min(tokensMilli, refilled(*found, nowMs));
    if (tokensMilli >= m_capacityMilli) {
        // Nothing to carry over: a full bucket is what a new connection gets anyway.
        if (found != m_entries.end())
            m_entries.erase(found);
        return;
    }
    if (found == m_entries.end() && m_entries.size() >= m_maxEntries) {
        // Full of entries that haven't refilled: the oldest is the nearest to it.
        while (!m_order.empty()) {
            const auto [key, atMs] = m_order.front();
            m_order.pop_front();
            const auto oldest = m_entries.find(key);
            if (oldest != m_entries.end() && oldest->atMs == atMs) {
                m_entries.erase(oldest);
                break;
            }
        }
    }
    m_entries.insert(addressKey, Entry{tokensMilli, nowMs});
    m_order.emplace_back(addressKey, nowMs);
    if (m_order.size() > 2 * size_t(m_entries.size()) + 1024) {
        // One address reconnecting over and over lists its key again each time: drop the
        // listings that no longer match their entry, so the order stays about the map's size.
        std::erase_if(m_order, [this](const auto &listing) {
            const auto entry = m_entries.constFind(listing.first);
            return entry == m_entries.cend() || entry->atMs != listing.second;
        });
    }
}

void AddressRateMemory::forgetRefilled(qint64 nowMs)
{
    // Every entry refills within burst / rate of its write, so the front of the write order
    // goes first; listings of keys written again since are dropped on the way.
    const qint64 lifetimeMs = (m_capacityMilli + m_perSecond - 1) / m_perSecond;
    while (!m_order.empty()) {
        const auto &[key, atMs] = m_order.front();
        const auto entry = m_entries.find(key);
        const bool current = entry != m_entries.end() && entry->atMs == atMs;
        if (current && nowMs - atMs < lifetimeMs)
            break;
        if (current)
            m_entries.erase(entry);
        m_order.pop_front();
    }
}

} // namespace flack::server::sessions
