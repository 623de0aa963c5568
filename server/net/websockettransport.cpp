#include "server/net/websockettransport.h"

#include "server/sessions/clientsession.h"

#include <QWebSocket>

namespace flack::server::net {

WebSocketTransport::WebSocketTransport(QWebSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_socket->setParent(this);
}

WebSocketTransport::~WebSocketTransport()
{
    // Socket and session are our children and die after this body: the session must not be
    // told of a disconnect the socket's own destruction may signal.
    m_socket->disconnect();
}

void WebSocketTransport::attach(sessions::ClientSession *session)
{
    connect(m_socket, &QWebSocket::textMessageReceived, session,
            &sessions::ClientSession::handleTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, session,
            [session](const QByteArray &) { session->handleBinaryMessage(); });
    connect(m_socket, &QWebSocket::disconnected, session,
            &sessions::ClientSession::handleDisconnected);
}

void WebSocketTransport::sendText(const QString &frame)
{
    m_socket->sendTextMessage(frame);
}

qint64 WebSocketTransport::queuedBytes() const
{
    return m_socket->bytesToWrite();
}

void WebSocketTransport::close(quint16 closeCode, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
}

void WebSocketTransport::abort()
{
    m_socket->abort();
}

} // namespace flack::server::net
