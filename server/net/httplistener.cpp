#include "server/net/httplistener.h"

#include "server/net/gracefulclose.h"
#include "server/net/httpconnection.h"
#include "server/net/httpresponse.h"
#include "server/net/socketbuffers.h"
#include "server/net/websocketendpoint.h"

#include <QSslSocket>

namespace flack::server::net {

HttpListener::HttpListener(const HttpListenerSettings &settings, HttpRoutes routes, QObject *parent)
    : QObject(parent), m_settings(settings), m_routes(std::move(routes)), m_files(settings.webRoot),
      m_origins(settings.allowedOrigins),
      m_admission(settings.maxConnectionsPerAddress, settings.maxPendingConnections,
                  settings.capLoopback)
{
    // The kernel's accept queue, not Qt's, absorbs bursts: take everything at once.
    m_server.setMaxPendingConnections(1024);
    // Qt listens with a backlog of 50: a burst of more simultaneous connects overflows the
    // kernel's accept queue and the dropped SYNs are retried only after a second or more.
    // The kernel caps this at net.core.somaxconn.
    m_server.setListenBacklogSize(4096);
    if (settings.tls)
        m_server.setTls(*settings.tls);
    connect(&m_server, &QTcpServer::newConnection, this, &HttpListener::onNewConnection);
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = m_server.errorString();
    return false;
}

void HttpListener::renewTls(const QSslConfiguration &configuration)
{
    if (!m_server.tls())
        return;
    m_settings.tls = configuration;
    m_server.setTls(configuration);
}

void HttpListener::close()
{
    m_server.close();
}

void HttpListener::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Nagle + delayed ACK put a ~40 ms floor under every small frame: turn it off.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        setSocketWriteChunkSize(socket, kSocketWriteChunkBytes);
        // Connections held = sockets still in their HTTP phase + every endpoint's connections.
        const bool full =
            m_httpConnections + m_routes.endpointConnectionCount() >= m_settings.maxConnections;
        const bool addressFull = m_admission.addressFull(socket->peerAddress());
        ++m_httpConnections;
        // Every handler below has this listener as context, so one disconnect(this) at the
        // handoff to an endpoint removes them all.
        connect(socket, &QObject::destroyed, this, [this] { --m_httpConnections; });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
        // Every close before the handoff is closeAfterSending's, which resets a client that
        // never reads our answer after a grace period: none keeps its socket forever.
        if (addressFull) {
            // Counted all the same while it lingers: an address over its cap stays over it.
            m_admission.track(socket, false);
            m_refusals.refused(socket->peerAddress(),
                               QStringLiteral("over --max-connections-per-address"));
            refuse(socket, 429, "too many connections from your address\n");
            continue;
        }
        if (full || m_admission.pendingFull()) {
            if (!m_admission.evictOldestPending()) {
                m_admission.track(socket, false);
                m_refusals.refused(socket->peerAddress(),
                                   QStringLiteral("at --max-connections, all authenticated"));
                refuse(socket, 503, "server is at its connection limit\n");
                continue;
            }
            m_refusals.evictedFor(socket->peerAddress(),
                                  full ? QStringLiteral("at --max-connections")
                                       : QStringLiteral("at --max-pending-connections"));
        }
        m_admission.track(socket, true);
        if (auto *tls = qobject_cast<QSslSocket *>(socket)) {
            auto *handshake = new TlsHandshake(tls, m_settings.requestTimeoutMs);
            connect(handshake, &TlsHandshake::encrypted, this,
                    [this, socket](int remainingMs) { serveHttp(socket, remainingMs); });
            // The address as accepted: a failure may be reported once the socket is closed.
            connect(handshake, &TlsHandshake::failed, this,
                    [this, address = socket->peerAddress()](const QString &reason) {
                        m_refusals.refused(address, reason);
                    });
            continue;
        }
        serveHttp(socket, m_settings.requestTimeoutMs);
    }
}

void HttpListener::serveHttp(QTcpSocket *socket, int timeoutMs)
{
    auto *connection = new HttpConnection(socket, &m_routes, &m_files, m_settings.maxHeaderBytes,
                                          timeoutMs, &m_origins);
    connect(connection, &HttpConnection::upgradeRefused, this,
            [this, socket](const QString &reason) {
                m_refusals.refused(socket->peerAddress(), reason);
            });
    connect(connection, &HttpConnection::webSocketUpgrade, this,
            [this](QTcpSocket *upgraded, WebSocketEndpoint *endpoint) {
                disconnect(upgraded, nullptr, this, nullptr);
                --m_httpConnections; // the endpoint counts it from here on
                upgraded->setParent(nullptr);
                endpoint->accept(upgraded);
            });
}

void HttpListener::refuse(QTcpSocket *socket, int status, const QByteArray &body)
{
    // Existing users are unaffected: the newcomer gets a clear answer and is let go. On a TLS
    // port the answer would take a handshake, which a refused peer doesn't get to cost us: it
    // is just closed.
    if (!qobject_cast<QSslSocket *>(socket))
        socket->write(buildHttpResponse(status, "text/plain; charset=utf-8", body, false));
    // Its request is likely unread: a plain close would reset the connection over it and the
    // answer would be lost (see gracefulclose.h).
    closeAfterSending(socket);
}

} // namespace flack::server::net
