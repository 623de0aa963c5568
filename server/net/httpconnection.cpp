#include "server/net/httpconnection.h"

#include "server/net/earlybytes.h"
#include "server/net/gracefulclose.h"
#include "server/net/httprequestparser.h"
#include "server/net/httpresponse.h"
#include "server/net/originpolicy.h"
#include "server/net/staticfilestore.h"
#include "server/net/websocketupgradecheck.h"

#include <QTcpSocket>

namespace flack::server::net {

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpRoutes *routes,
                               const StaticFileStore *files, qsizetype maxHeaderBytes,
                               int timeoutMs, const OriginPolicy *origins)
    : QObject(socket), m_socket(socket), m_routes(routes), m_files(files), m_origins(origins),
      m_maxHeaderBytes(maxHeaderBytes)
{
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    // Only the head is ever looked at: whatever a peer sends beyond it (a body, a flood while
    // a large answer waits for it to read) stays in the kernel, whose window throttles it,
    // instead of piling up in Qt's buffer.
    m_socket->setReadBufferSize(maxHeaderBytes + 1);
    // A request (or handshake) that never completes must not hold a connection slot forever.
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { finish(buildHttpError(408, false)); });
    m_deadline.start(timeoutMs);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void HttpConnection::onReadyRead()
{
    if (m_done)
        return;
    // Peek, don't read: a websocket upgrade must reach QWebSocketServer with its bytes intact.
    const QByteArray bytes = m_socket->peek(qMin(m_socket->bytesAvailable(), m_maxHeaderBytes + 1));
    const HttpParseResult parsed = parseHttpRequest(bytes, m_maxHeaderBytes);
    switch (parsed.status) {
    case HttpParseResult::Status::Incomplete:
        return;
    case HttpParseResult::Status::TooLarge:
        return finish(buildHttpError(431, false));
    case HttpParseResult::Status::Malformed:
        return finish(buildHttpError(400, false));
    case HttpParseResult::Status::Complete:
        break;
    }
    const HttpRequest &request = parsed.request;
    const HttpRoutes::Route *route = m_routes->find(request.path);
    if (route && route->webSocketEndpoint && request.isWebSocketUpgrade() &&
        request.method == "GET") {
        // QWebSocketServer would close a request it doesn't accept unanswered: answer it here.
        if (const UpgradeCheck check = checkWebSocketUpgrade(request); !check.ok())
            return finish(check.response());
        // Cross-site websocket hijacking: a foreign page must not speak for its visitor.
        if (m_origins && !m_origins->allows(request.header("origin"), request.hasHeader("origin"),
                                            request.header("host"))) {
            Q_EMIT upgradeRefused(
                QStringLiteral("websocket upgrade of %1 with Origin '%2' not "
                               "in --allowed-origins")
                    .arg(QString::fromLatin1(request.path.left(64)),
                         QString::fromLatin1(request.header("origin").left(200))));
            return finish(buildHttpResponse(403, "text/plain; charset=utf-8",
                                            "this origin may not open websockets here\n", false));
        }
        WebSocketEndpoint *endpoint = route->webSocketEndpoint;
        m_done = true;
        m_deadline.stop();
        disconnect(m_socket, nullptr, this, nullptr);
        // The websocket reads as much as its frame limits allow (QWebSocket takes this
        // setting over from the socket).
        m_socket->setReadBufferSize(0);
        // Frames sent with the request would be lost in Qt's handshake: see EarlyBytes.
        EarlyBytes::hold(m_socket, parsed.headerLength);
        QTcpSocket *socket = m_socket;
        deleteLater();
        Q_EMIT webSocketUpgrade(socket, endpoint);
        return;
    }
    m_socket->skip(parsed.headerLength);
    respond(request, route);
}

void HttpConnection::respond(const HttpRequest &request, const HttpRoutes::Route *route)
{
    const bool head = request.method == "HEAD";
    // The order of these checks is the contract: any other method is 405 wherever it goes,
    // and an upgrade that was not handed off above (a HEAD, or a path without an endpoint)
    // is 404 even where a GET handler or a file lives.
    if (request.method != "GET" && !head)
        return finish(buildHttpError(405, false));
    if (request.isWebSocketUpgrade())
        return finish(buildHttpError(404, head));
    if (route && route->getHandler)
        return finish(buildHttpResponse(route->getHandler(), head));
    if (route && route->webSocketEndpoint)
        return finish(buildHttpResponse(400, "text/plain; charset=utf-8",
                                        "this path takes websocket connections only\n", head));
    const StaticFileStore::Lookup file = m_files->lookup(request.path);
    if (file.status != StaticFileStore::Lookup::Status::Found)
        return finish(buildHttpError(404, head));
    finish(buildHttpResponse(200, file.contentType, file.body, head));
}

void HttpConnection::finish(const QByteArray &response)
{
    m_done = true;
    m_deadline.stop();
    m_socket->write(response);
    // One request per connection (Connection: close); the listener deletes the socket
    // once it has disconnected. A client still sending (a header over the limit) gets the
    // answer rather than a reset (see gracefulclose.h).
    closeAfterSending(m_socket);
}

} // namespace flack::server::net
