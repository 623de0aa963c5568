#include "server/net/socketbuffers.h"

#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <sys/socket.h>

#ifdef FLACK_HAVE_QT_PRIVATE_IODEVICE
#include <QtCore/private/qiodevice_p.h>
#endif

namespace flack::server::net {

void setSocketWriteChunkSize(QTcpSocket *socket, int bytes)
{
#ifdef FLACK_HAVE_QT_PRIVATE_IODEVICE
    auto *device = static_cast<QIODevicePrivate *>(QObjectPrivate::get(socket));
    // Future write channels, and the one an open socket already has.
    device->writeBufferChunkSize = bytes;
    if (device->writeBuffers.size() > 0)
        device->writeBuffer.setChunkSize(bytes);
#else
    Q_UNUSED(socket);
    Q_UNUSED(bytes);
#endif
}

bool socketBuffersTunable()
{
#ifdef FLACK_HAVE_QT_PRIVATE_IODEVICE
    return true;
#else
    return false;
#endif
}

bool releaseIdleWriteBuffer(QTcpSocket *socket)
{
#ifdef FLACK_HAVE_QT_PRIVATE_IODEVICE
    if (!socket)
        return false;
    auto *device = static_cast<QIODevicePrivate *>(QObjectPrivate::get(socket));
    if (device->writeBuffers.size() == 0 || !device->writeBuffer.isEmpty())
        return false;
    // clear() on an empty ring buffer drops its one kept chunk; the next write allocates anew.
    device->writeBuffer.clear();
    return true;
#else
    Q_UNUSED(socket);
    return false;
#endif
}

qint64 sendDirectly(QTcpSocket *socket, const char *data, qint64 size)
{
    if (!socket || size <= 0 || socket->bytesToWrite() > 0 ||
        socket->state() != QAbstractSocket::ConnectedState)
        return 0;
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor < 0)
        return 0;
    // MSG_NOSIGNAL: a peer that is gone is an error here, not SIGPIPE.
    const ssize_t sent =
        ::send(int(descriptor), data, std::size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent > 0 ? qint64(sent) : 0;
}

qint64 unsentBytes(const QTcpSocket *socket)
{
    return unsentBytes(socket, qobject_cast<const QSslSocket *>(socket) != nullptr);
}

qint64 unsentBytes(const QTcpSocket *socket, bool isTls)
{
    if (!socket)
        return 0;
    if (isTls) {
        const auto *tls = static_cast<const QSslSocket *>(socket);
        return tls->bytesToWrite() + tls->encryptedBytesToWrite();
    }
    return socket->bytesToWrite();
}

void resetConnection(QTcpSocket *socket)
{
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor >= 0) {
        const linger resetOnClose{1, 0};
        ::setsockopt(int(descriptor), SOL_SOCKET, SO_LINGER, &resetOnClose, sizeof resetOnClose);
    }
    socket->abort();
}

void releaseUpgradedSocket(QTcpSocket *socket)
{
    if (!socket)
        return;
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
        return;
    }
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kCloseGraceMs, socket, [socket] {
        resetConnection(socket);
        socket->deleteLater();
    });
}

void releaseFromWebSocketServer(QWebSocketServer &server, QTcpSocket *socket)
{
    if (socket)
        QObject::disconnect(socket, nullptr, &server, nullptr);
}

void dropUnusedWebSocketForwards(QWebSocket &websocket, QTcpSocket *socket)
{
    if (!socket)
        return;
    // Signal-to-signal connections made by QWebSocketPrivate::makeConnections (Qt 6); one that
    // a Qt version doesn't make is simply not found.
    QObject::disconnect(socket, &QAbstractSocket::bytesWritten, &websocket,
                        &QWebSocket::bytesWritten);
    if (const auto *tls = qobject_cast<const QSslSocket *>(socket))
        QObject::disconnect(tls, &QSslSocket::encryptedBytesWritten, &websocket,
                            &QWebSocket::bytesWritten);
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    // From 6.5 QWebSocket handles the error itself (and this signal is deprecated).
    QObject::disconnect(socket, &QAbstractSocket::errorOccurred, &websocket,
                        QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error));
#endif
    QObject::disconnect(socket, &QAbstractSocket::readChannelFinished, &websocket,
                        &QWebSocket::readChannelFinished);
    QObject::disconnect(socket, &QAbstractSocket::aboutToClose, &websocket,
                        &QWebSocket::aboutToClose);
#ifndef QT_NO_NETWORKPROXY
    QObject::disconnect(socket, &QAbstractSocket::proxyAuthenticationRequired, &websocket,
                        &QWebSocket::proxyAuthenticationRequired);
#endif
}

} // namespace flack::server::net
