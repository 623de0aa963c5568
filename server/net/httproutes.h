#pragma once
// The one port's route table: which decoded request path is a websocket endpoint (upgrades go
// to its WebSocketEndpoint) and which is a plain GET/HEAD handler (/healthz, later /metrics).
// Paths match exactly; anything unregistered falls through to the static files. Built once
// at start-up by whoever wires the server and then handed to the HttpListener, which only
// reads it on its thread; it borrows the endpoints and owns the handlers.

#include "server/net/httpresponse.h"

#include <QByteArray>
#include <QHash>

#include <functional>
#include <vector>

namespace flack::server::net {

class WebSocketEndpoint;

class HttpRoutes
{
public:
    // Called for every GET and HEAD of its path, on the listener's thread; for HEAD the body
    // is computed (its length is sent) and dropped.
    using GetHandler = std::function<HttpResponse()>;

    // Exactly one of the two is set.
    struct Route
    {
        WebSocketEndpoint *webSocketEndpoint = nullptr;
        GetHandler getHandler;
    };

    // Registers a path, which must start with '/'. A path already registered (as either kind)
    // is refused and keeps its first route, as are a null endpoint and an empty handler: false,
    // and nothing changes. One endpoint may serve several paths; it is counted once.
    [[nodiscard]] bool addWebSocketEndpoint(const QByteArray &path, WebSocketEndpoint *endpoint);
    [[nodiscard]] bool addGetHandler(const QByteArray &path, GetHandler handler);

    // The route of a decoded request path (HttpRequest::path), or nullptr when there is none.
    const Route *find(const QByteArray &path) const;

    // The connections all registered endpoints hold now, for the shared connection budget.
    qsizetype endpointConnectionCount() const;

private:
    bool canRegister(const QByteArray &path) const;

    QHash<QByteArray, Route> m_routes;
    std::vector<WebSocketEndpoint *> m_endpoints; // distinct, in registration order
};

} // namespace flack::server::net
