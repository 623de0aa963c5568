#pragma once
// The server's one port: accepts TCP connections, sets TCP_NODELAY on each, decides which may
// stay (ConnectionAdmission) and gives each new connection an HttpConnection, which serves
// HTTP or passes an upgrade on to the WebSocketEndpoint its HttpRoutes name.
// Admission, in this order:
// - an address already holding --max-connections-per-address sockets gets 429 (loopback
//   peers are exempt, see ConnectionAdmission);
// - the connection cap is one budget: sockets still in their HTTP phase plus the connections
//   of every registered endpoint; beyond it, and when the pending pool (connections not yet
//   authenticated, --max-pending-connections) is full, the newcomer takes the place of the
//   oldest pending connection, which is reset; only when nobody is pending is it refused
//   with 503. Evicting the oldest rather than refusing the newest is what keeps half-open
//   sockets from locking users out: a refused newcomer is exactly what an attacker who fills
//   the pool once and keeps it full wants, while under eviction every stalled socket is gone
//   after the next few arrivals and a real client, which finishes its handshake and
//   authentication in a few round trips, is never the oldest for long.
// On a TLS port every connection is admitted (and counted, and may be evicted) from the
// moment it is accepted; its TLS handshake then shares the HTTP request's deadline.
// Lives on the main thread; owned by ServerApplication.

#include "server/net/connectionadmission.h"
#include "server/net/httproutes.h"
#include "server/net/originpolicy.h"
#include "server/net/refusallog.h"
#include "server/net/staticfilestore.h"
#include "server/net/tlsaccept.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <optional>

namespace flack::server::net {

struct HttpListenerSettings
{
    QString webRoot = QStringLiteral(":/web"); // a directory, or the compiled-in resources
    qsizetype maxConnections = 10000;
    qsizetype maxHeaderBytes = 16 * 1024;
    int requestTimeoutMs = 10000; // the whole HTTP request, and a websocket upgrade's head
    qsizetype maxConnectionsPerAddress = 1000;
    qsizetype maxPendingConnections = 1000;
    bool capLoopback = false; // loopback peers are exempt from the per-address cap
    // Browser origins besides the page's own that may open websockets (see OriginPolicy).
    QStringList allowedOrigins;
    // With a configuration, the port speaks only TLS (https://, wss://); see TlsHandshake.
    std::optional<QSslConfiguration> tls;
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
    // A TLS port's renewed certificate and key: connections accepted from now on use them
    // (established ones keep theirs). Ignored on a plain port.
    void renewTls(const QSslConfiguration &configuration);

private:
    void onNewConnection();
    void refuse(QTcpSocket *socket, int status, const QByteArray &body);
    // The HTTP phase of an admitted socket (after its TLS handshake, on a TLS port).
    void serveHttp(QTcpSocket *socket, int timeoutMs);

    HttpListenerSettings m_settings;
    HttpRoutes m_routes;
    StaticFileStore m_files;
    OriginPolicy m_origins;
    RefusalLog m_refusals;
    ConnectionAdmission m_admission;
    TlsTcpServer m_server;
    qsizetype m_httpConnections = 0; // accepted sockets not (yet) handed to an endpoint
};

} // namespace flack::server::net
