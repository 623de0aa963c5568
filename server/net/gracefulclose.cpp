#include "server/net/gracefulclose.h"

#include "server/net/socketbuffers.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace flack::server::net {

namespace {

// Marks a socket being closed (see isClosingAfterSending).
constexpr char kClosingProperty[] = "flackClosingAfterSending";

// Shuts the sending side once nothing of ours waits in Qt's buffers (plaintext or, over TLS,
// encrypted). Returns whether it did.
bool shutDownSendingWhenSent(QTcpSocket *socket)
{
    if (unsentBytes(socket) > 0)
        return false;
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor >= 0)
        ::shutdown(int(descriptor), SHUT_WR);
    return true;
}

} // namespace

void closeAfterSending(QTcpSocket *socket)
{
    if (!socket)
        return;
    if (socket->state() != QAbstractSocket::ConnectedState) {
        socket->abort();
        return;
    }
    socket->setProperty(kClosingProperty, true);
    // What still arrives is read and dropped: left unread, it would make the kernel reset the
    // connection when the descriptor closes.
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->readAll(); });
    socket->readAll();
    // A peer that never closes (or never reads what we send) would hold the socket forever.
    QTimer::singleShot(kCloseGraceMs, socket, [socket] { resetConnection(socket); });

    socket->flush();
    if (shutDownSendingWhenSent(socket))
        return;
    auto *sent = new QObject(socket); // the watch below ends with it
    const auto check = [socket, sent] {
        if (shutDownSendingWhenSent(socket))
            sent->deleteLater();
    };
    QObject::connect(socket, &QIODevice::bytesWritten, sent, check);
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        QObject::connect(tls, &QSslSocket::encryptedBytesWritten, sent, check);
}

bool isClosingAfterSending(const QTcpSocket *socket)
{
    return socket && socket->state() != QAbstractSocket::UnconnectedState &&
           socket->property(kClosingProperty).toBool();
}

} // namespace flack::server::net
