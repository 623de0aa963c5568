#include "server/net/earlybytes.h"

#include <QTcpSocket>

namespace flack::server::net {

EarlyBytes::EarlyBytes(QByteArray bytes, QTcpSocket *socket)
    : QObject(socket), m_bytes(std::move(bytes))
{
}

void EarlyBytes::unread(QTcpSocket *socket, QByteArrayView bytes)
{
    // QIODevice's one way to put bytes back in front of its read buffer; last byte first.
    for (qsizetype i = bytes.size() - 1; i >= 0; --i)
        socket->ungetChar(bytes[i]);
}

void EarlyBytes::hold(QTcpSocket *socket, qsizetype headerLength)
{
    if (socket->bytesAvailable() <= headerLength)
        return;
    const QByteArray all = socket->read(socket->bytesAvailable());
    unread(socket, QByteArrayView(all).first(headerLength));
    new EarlyBytes(all.sliced(headerLength), socket);
}

void EarlyBytes::replay(QTcpSocket *socket)
{
    if (!socket)
        return;
    auto *held = socket->findChild<EarlyBytes *>(QString(), Qt::FindDirectChildrenOnly);
    if (!held)
        return;
    unread(socket, held->m_bytes);
    delete held;
    Q_EMIT socket->readyRead();
}

} // namespace flack::server::net
