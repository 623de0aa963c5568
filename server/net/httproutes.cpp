#include "server/net/httproutes.h"

#include "server/net/websocketendpoint.h"

#include <algorithm>

namespace flack::server::net {

bool HttpRoutes::addWebSocketEndpoint(const QByteArray &path, WebSocketEndpoint *endpoint)
{
    if (!endpoint || !canRegister(path))
        return false;
    m_routes.insert(path, Route{endpoint, {}});
    // An endpoint on two paths still holds each connection once.
    if (std::find(m_endpoints.begin(), m_endpoints.end(), endpoint) == m_endpoints.end())
        m_endpoints.push_back(endpoint);
    return true;
}

bool HttpRoutes::addGetHandler(const QByteArray &path, GetHandler handler)
{
    if (!handler || !canRegister(path))
        return false;
    m_routes.insert(path, Route{nullptr, std::move(handler)});
    return true;
}

bool HttpRoutes::canRegister(const QByteArray &path) const
{
    // Refused rather than replaced: the paths are fixed in code, so a clash is a wiring
    // mistake, and a later registration silently taking over /chat-server would hide it.
    return path.startsWith('/') && !m_routes.contains(path);
}

const HttpRoutes::Route *HttpRoutes::find(const QByteArray &path) const
{
    const auto found = m_routes.constFind(path);
    return found == m_routes.cend() ? nullptr : &found.value();
}

qsizetype HttpRoutes::endpointConnectionCount() const
{
    qsizetype count = 0;
    for (const WebSocketEndpoint *endpoint : m_endpoints)
        count += endpoint->connectionCount();
    return count;
}

} // namespace flack::server::net
