#pragma once
// One freshly accepted TCP connection until we know what it is: reads (peeks) the request
// header within a size cap and a deadline, then either answers it as plain HTTP (static
// files, /healthz, errors) or hands the untouched socket over for a websocket upgrade.
// Lives on the listener's thread as a child of its socket.

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace flack::server::net {

class StaticFileStore;
struct HttpRequest;

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, const StaticFileStore *files, qsizetype maxHeaderBytes,
                   int timeoutMs);

    // The path at which websocket upgrades are accepted.
    static constexpr QByteArrayView kChatPath = "/chat-server";

Q_SIGNALS:
    // The socket's unread bytes hold a complete upgrade request for kChatPath. This object is
    // gone by the time the receiver runs its own event loop; the receiver owns the socket.
    void webSocketUpgrade(QTcpSocket *socket);

private:
    void onReadyRead();
    void respond(const HttpRequest &request);
    void finish(const QByteArray &response);

    QTcpSocket *m_socket;
    const StaticFileStore *m_files;
    qsizetype m_maxHeaderBytes;
    QTimer m_deadline;
    bool m_done = false;
};

} // namespace flack::server::net
