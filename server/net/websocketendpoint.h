#pragma once
// What the one-port listener hands a websocket upgrade to: one implementation per websocket
// path (ChatEndpoint for /chat-server, later the admin endpoint), registered in HttpRoutes.
// The listener calls it on its own thread; an endpoint is owned by whoever wires the server,
// never through this interface, and must outlive the listener it is registered with.

#include <QtGlobal>

class QTcpSocket;

namespace flack::server::net {

class WebSocketEndpoint
{
public:
    // Takes a parentless socket whose unread bytes are a complete GET upgrade request for the
    // endpoint's path (the request line and headers untouched, so the handshake can read
    // them). The endpoint owns the socket from now on and must free it in the end.
    virtual void accept(QTcpSocket *socket) = 0;

    // Connections the endpoint holds now. They count against --max-connections together
    // with the listener's own HTTP-phase sockets, so this is read for every new connection:
    // keep it cheap.
    virtual qsizetype connectionCount() const = 0;

protected:
    // Not deleted through this interface: the routes and the listener only borrow endpoints.
    ~WebSocketEndpoint() = default;
};

} // namespace flack::server::net
