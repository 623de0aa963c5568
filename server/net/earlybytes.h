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
    // The same again for what arrived since, and for whatever arrives until QWebSocket takes
    // the socket over: QWebSocketServer reads the request a pass of the event loop later, and
    // a socket handed to another thread waited a pass or more already. What arrives joins
    // what was held, behind it.
    static void holdArrivals(QTcpSocket *socket);
    // How many bytes wait for replay() on socket.
    static qsizetype heldSize(const QTcpSocket *socket);
    // Puts back what hold() took, ahead of anything read since, and lets the socket's readers
    // know. Nothing happens for a socket without held bytes (or a null one).
    static void replay(QTcpSocket *socket);

private:
    EarlyBytes(qsizetype headerLength, QTcpSocket *socket);
    static void unread(QTcpSocket *socket, QByteArrayView bytes);
    // Moves what the socket holds beyond the header to the end of m_bytes.
    void take(QTcpSocket *socket);

    qsizetype m_headerLength;
    QByteArray m_bytes;
};

} // namespace flack::server::net
