#include "server/net/writecoalescer.h"

#include <algorithm>
#include <utility>

namespace flack::server::net {

WriteCoalescer::WriteCoalescer(int windowMs, QObject *parent)
    : WriteCoalescer(windowMs, Stretch{}, parent)
{
}

WriteCoalescer::WriteCoalescer(int windowMs, Stretch stretch, QObject *parent)
    : QObject(parent), m_baseWindowMs(std::max(windowMs, 0)),
      m_stretch{std::max(stretch.maxWindowMs, m_baseWindowMs), stretch.busyListings},
      m_windowMs(m_baseWindowMs)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &WriteCoalescer::flushAll);
}

void WriteCoalescer::add(Client *client, std::size_t connections)
{
    m_holding.push_back(client);
    m_holdingConnections += connections;
    if (!m_timer.isActive())
        m_timer.start(m_windowMs);
}

void WriteCoalescer::remove(Client *client)
{
    // Once per connection at most, at its end, over one window's listings.
    std::erase(m_holding, client);
    if (m_flushing)
        std::replace(m_flushing->begin(), m_flushing->end(), client, static_cast<Client *>(nullptr));
}

void WriteCoalescer::flushAll()
{
    // A flush may write, and a write may end a connection, which removes it from the list:
    // take the list first. What registers meanwhile starts a new window.
    std::vector<Client *> holding;
    holding.swap(m_holding);
    const std::size_t connections = std::exchange(m_holdingConnections, 0);
    // Decided before the calls, so what they list again waits in the window decided here.
    const bool busy = m_stretch.busyListings > 0 && connections >= m_stretch.busyListings;
    m_windowMs = busy ? std::min(2 * m_windowMs, m_stretch.maxWindowMs)
                      : m_baseWindowMs;
    m_flushing = &holding;
    for (std::size_t i = 0; i < holding.size(); ++i) {
        if (Client *client = holding[i])
            client->flushHeld();
    }
    m_flushing = nullptr;
}

} // namespace flack::server::net
