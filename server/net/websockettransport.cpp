#include "server/net/websockettransport.h"

#include "server/net/socketbuffers.h"
#include "server/sessions/clientsession.h"

#include <QTimer>
#include <QWebSocket>

namespace flack::server::net {

WebSocketTransport::WebSocketTransport(QWebSocket *socket, QTcpSocket *tcpSocket, QObject *parent)
    : QObject(parent), m_socket(socket), m_tcpSocket(tcpSocket)
{
    m_socket->setParent(this);
}

WebSocketTransport::~WebSocketTransport()
{
    // The session goes first, while the socket it may still talk to exists; then the socket,
    // whose own destruction must not signal a disconnect to anyone.
    m_socket->disconnect();
    delete m_session;
    delete m_socket;
    releaseUpgradedSocket(m_tcpSocket.data());
}

void WebSocketTransport::attach(sessions::ClientSession *session)
{
    m_session = session;
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
    // The close completes once our queued data and the close frame are written; a peer that
    // stopped reading never lets it. The timer dies with this transport when it does.
    QTimer::singleShot(kCloseGraceMs, this, [this] { abort(); });
}

void WebSocketTransport::abort()
{
    if (m_tcpSocket)
        resetConnection(m_tcpSocket.data()); // QWebSocket notices and reports the disconnect
    else
        m_socket->abort();
}

QString WebSocketTransport::remoteAddress() const
{
    const QHostAddress address = m_socket->peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(m_socket->peerPort());
}

} // namespace flack::server::net
