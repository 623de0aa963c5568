#include "server/net/earlybytes.h"

#include <QTcpSocket>

#include <utility>

namespace flack::server::net {

EarlyBytes::EarlyBytes(qsizetype headerLength, QTcpSocket *socket)
    : QObject(socket), m_headerLength(headerLength)
{
}

void EarlyBytes::unread(QTcpSocket *socket, QByteArrayView bytes)
{
    // QIODevice's one way to put bytes back in front of its read buffer; last byte first.
    for (qsizetype i = bytes.size() - 1; i >= 0; --i)
        socket->ungetChar(bytes[i]);
}

void EarlyBytes::take(QTcpSocket *socket)
{
    if (socket->bytesAvailable() <= m_headerLength)
        return;
    const QByteArray all = socket->read(socket->bytesAvailable());
    unread(socket, QByteArrayView(all).first(m_headerLength));
    m_bytes += QByteArrayView(all).sliced(m_headerLength);
}

void EarlyBytes::hold(QTcpSocket *socket, qsizetype headerLength)
{
    // Kept even with nothing held yet: holdArrivals() needs the header's length.
    auto *held = new EarlyBytes(headerLength, socket);
    held->take(socket);
}

void EarlyBytes::holdArrivals(QTcpSocket *socket)
{
    if (!socket)
        return;
    auto *held = socket->findChild<EarlyBytes *>(QString(), Qt::FindDirectChildrenOnly);
    if (!held)
        return;
    held->take(socket);
    // Connected before QWebSocketServer's own (queued) reader, so this runs first; QWebSocket
    // drops the connection when it takes the socket over.
    connect(socket, &QIODevice::readyRead, held, [held, socket] { held->take(socket); });
}

qsizetype EarlyBytes::heldSize(const QTcpSocket *socket)
{
    const auto *held =
        socket ? socket->findChild<EarlyBytes *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
    return held ? held->m_bytes.size() : 0;
}

void EarlyBytes::replay(QTcpSocket *socket)
{
    if (!socket)
        return;
    auto *held = socket->findChild<EarlyBytes *>(QString(), Qt::FindDirectChildrenOnly);
    if (!held)
        return;
    const QByteArray bytes = std::exchange(held->m_bytes, {});
    delete held;
    if (bytes.isEmpty())
        return;
    unread(socket, bytes);
    Q_EMIT socket->readyRead();
}

} // namespace flack::server::net
