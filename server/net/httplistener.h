#pragma once
// The server's one port: accepts TCP connections, sets TCP_NODELAY on each, enforces the
// connection cap (503 beyond it) and gives each new connection an HttpConnection, which
// serves HTTP or passes an upgrade on to the WebSocketEndpoint its HttpRoutes name.
// The cap is one budget: sockets still in their HTTP phase plus the connections of every
// registered endpoint. Lives on the main thread; owned by ServerApplication.

#include "server/net/httproutes.h"
#include "server/net/originpolicy.h"
#include "server/net/refusallog.h"
#include "server/net/staticfilestore.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

namespace flack::server::net {

struct HttpListenerSettings
{
    QString webRoot = QStringLiteral(":/web"); // a directory, or the compiled-in resources
    qsizetype maxConnections = 10000;
    qsizetype maxHeaderBytes = 16 * 1024;
    int requestTimeoutMs = 10000;
    // Browser origins besides the page's own that may open websockets (see OriginPolicy).
    QStringList allowedOrigins;
};

class HttpListener : public QObject
{
    Q_OBJECT
public:
    // The routes are fixed from here on. Their endpoints are borrowed: they must stay alive
    // while the listener accepts connections.
    HttpListener(const HttpListenerSettings &settings, HttpRoutes routes,
                 QObject *parent = nullptr);

    // False with a readable reason when the address/port can't be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    quint16 port() const { return m_server.serverPort(); }

private:
    void onNewConnection();
    void refuse(QTcpSocket *socket);

    HttpListenerSettings m_settings;
    HttpRoutes m_routes;
    StaticFileStore m_files;
    OriginPolicy m_origins;
    RefusalLog m_refusals;
    QTcpServer m_server;
    qsizetype m_httpConnections = 0; // accepted sockets not (yet) handed to an endpoint
};

} // namespace flack::server::net
