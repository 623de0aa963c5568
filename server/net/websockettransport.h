#pragma once
// Carries one ClientSession over a QWebSocket: forwards frames and the disconnect to the
// session, and the session's frames, closes and aborts to the socket. Owns the socket.
// Lives on the connection's thread; created by ChatEndpoint.

#include "server/sessions/sessiontransport.h"

#include <QObject>

class QWebSocket;

namespace flack::server::sessions {
class ClientSession;
}

namespace flack::server::net {

class WebSocketTransport : public QObject, public sessions::SessionTransport
{
    Q_OBJECT
public:
    WebSocketTransport(QWebSocket *socket, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    // Routes the socket's input to session from now on.
    void attach(sessions::ClientSession *session);
    QWebSocket *socket() const { return m_socket; }

    void sendText(const QString &frame) override;
    qint64 queuedBytes() const override;
    void close(quint16 closeCode, const QString &reason) override;
    void abort() override;

private:
    QWebSocket *m_socket;
};

} // namespace flack::server::net
