#pragma once
// Bytes a client sent right behind its websocket upgrade request, before our 101 (RFC 6455
// section 4.1 says a client must wait for it; some send their first frame in the same
// segment). Qt 6.4's QWebSocket processes whatever its QTcpSocket already holds inside its own
// constructor (QWebSocketPrivate::makeConnections() emits readyRead), which QWebSocketServer
// runs before it emits newConnection — before anyone is connected to textMessageReceived — so
// such a frame would be decoded and dropped. HttpConnection takes those bytes out of the socket
// at the handoff (hold()) and the endpoint puts them back once its session listens (replay()).
// Rides on the socket as a child (QWebSocket drops the socket's signal connections, not its
// children). Used on the listener's thread.

#include <QByteArray>
#include <QObject>

class QTcpSocket;

namespace flack::server::net {

class EarlyBytes : public QObject
{
    Q_OBJECT
public:
    // Leaves only the first headerLength bytes (the upgrade request) in socket's read buffer;
    // anything after them waits in a child of the socket.
    static void hold(QTcpSocket *socket, qsizetype headerLength);
    // Puts back what hold() took, ahead of anything read since, and lets the socket's readers
    // know. Nothing happens for a socket without held bytes (or a null one).
    static void replay(QTcpSocket *socket);

private:
    EarlyBytes(QByteArray bytes, QTcpSocket *socket);
    static void unread(QTcpSocket *socket, QByteArrayView bytes);

    QByteArray m_bytes;
};

} // namespace flack::server::net
