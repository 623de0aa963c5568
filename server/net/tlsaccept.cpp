#include "server/net/tlsaccept.h"

#include "server/net/gracefulclose.h"
#include "server/net/httpresponse.h"
#include "server/net/socketbuffers.h"

#include <QSslSocket>

#include <unistd.h>

namespace flack::server::net {

namespace {
// The first byte of every TLS connection: a handshake record (RFC 8446 section 5.1).
constexpr char kTlsHandshakeRecord = 0x16;
} // namespace

void TlsTcpServer::incomingConnection(qintptr descriptor)
{
    if (!m_tls)
        return QTcpServer::incomingConnection(descriptor);
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(*m_tls);
    if (!socket->setSocketDescriptor(descriptor)) {
        // Not taken over, so not closed by the socket either: without this the descriptor
        // would leak.
        delete socket;
        ::close(int(descriptor));
        return;
    }
    addPendingConnection(socket);
}

TlsHandshake::TlsHandshake(QSslSocket *socket, int timeoutMs)
    : QObject(socket), m_socket(socket), m_deadline(timeoutMs)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("TLS handshake not finished within --handshake-timeout-ms"), true);
    });
    m_timer.start(timeoutMs);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        disconnect(m_socket, nullptr, this, nullptr);
        Q_EMIT encrypted(int(qMax<qint64>(1, m_deadline.remainingTime())));
        deleteLater();
    });
    // A failed handshake (a client that refuses our certificate sends an alert; garbage after
    // the first byte): drop the connection. Queued: the error is reported from inside the
    // socket's own processing, which must not see it freed under it.
    connect(
        m_socket, &QAbstractSocket::errorOccurred, this,
        [this](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::RemoteHostClosedError)
                fail(QStringLiteral("closed during the TLS handshake"), false);
            else
                fail(QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString()), true);
        },
        Qt::QueuedConnection);
    connect(m_socket, &QIODevice::readyRead, this, &TlsHandshake::onReadyRead);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void TlsHandshake::onReadyRead()
{
    if (m_started || m_done)
        return;
    // Unencrypted, a QSslSocket peeks at its TCP socket without consuming: whatever is looked
    // at here is still there for the TLS handshake.
    char first = 0;
    if (m_socket->peek(&first, 1) != 1)
        return;
    if (first == kTlsHandshakeRecord) {
        m_started = true;
        disconnect(m_socket, &QIODevice::readyRead, this, &TlsHandshake::onReadyRead);
        m_socket->startServerEncryption();
        return;
    }
    // Not TLS. A browser or curl pointed at http:// sends a request line: tell its user what
    // to do instead, in the one language it understands here. Anything else is just closed.
    if (first >= 'A' && first <= 'Z') {
        m_socket->write(buildHttpResponse(400, "text/plain; charset=utf-8",
                                          "this port speaks TLS: use https:// (or wss://)\n",
                                          false));
    }
    fail(QStringLiteral("not a TLS handshake"), false);
}

void TlsHandshake::fail(const QString &reason, bool reset)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    Q_EMIT failed(reason);
    // A reset frees the socket at once; a close first hands over the answer written, even
    // with the client's request still unread (see gracefulclose.h).
    if (reset)
        resetConnection(m_socket);
    else
        closeAfterSending(m_socket);
    deleteLater();
}

} // namespace flack::server::net
