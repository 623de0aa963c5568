#pragma once
// One freshly accepted TCP connection until we know what it is: reads (peeks) the request
// header within a size cap and a deadline, looks its path up in the HttpRoutes, then either
// hands the untouched socket over for a websocket upgrade or answers it as plain HTTP (a GET
// handler, the static files as the fallback, errors). Lives on the listener's thread as a
// child of its socket.

#include "server/net/httproutes.h"
// Complete, not forward-declared: the signal below carries a pointer to it.
#include "server/net/websocketendpoint.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace flack::server::net {

class OriginPolicy;
class StaticFileStore;
struct HttpRequest;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    // routes, files and origins must outlive the connection (the listener owns them). Without
    // origins every Origin may upgrade.
    HttpConnection(QTcpSocket *socket, const HttpRoutes *routes, const StaticFileStore *files,
                   qsizetype maxHeaderBytes, int timeoutMs, const OriginPolicy *origins = nullptr);

Q_SIGNALS:
    // The socket's unread bytes hold a complete GET upgrade request for a path routed to
    // endpoint. This object is gone by the time the receiver runs its own event loop; the
    // receiver owns the socket and passes it on to endpoint.
    void webSocketUpgrade(QTcpSocket *socket, WebSocketEndpoint *endpoint);
    // An upgrade was refused for a reason worth logging (a foreign Origin); the answer is on
    // its way.
    void upgradeRefused(const QString &reason);

private:
    void onReadyRead();
    void respond(const HttpRequest &request, const HttpRoutes::Route *route);
    void finish(const QByteArray &response);

    QTcpSocket *m_socket;
    const HttpRoutes *m_routes;
    const StaticFileStore *m_files;
    const OriginPolicy *m_origins;
    qsizetype m_maxHeaderBytes;
    QTimer m_deadline;
    bool m_done = false;
};

} // namespace flack::server::net
