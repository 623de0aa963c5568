#pragma once
// The /admin endpoint: finishes websocket handshakes on the shared port (QWebSocketServer in
// handleConnection mode, like the chat endpoint) and gives each socket an AdminSession. Closed
// with 403 unless an admin token is configured; at most kMaxSessions operators at once. When
// they are all taken, a newcomer takes the place of the oldest session that hasn't sent its
// admin_hello yet (as the listener does for every connection), so sockets that upgrade and
// stall can't keep the operator out; with none, it gets 503.
// Lives on the main thread; owned by ServerApplication.

#include "server/net/websocketendpoint.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocketServer>

#include <unordered_map>
#include <vector>

namespace flack::server::admin {

class AdminSession;
class ClusterObserver;

class AdminEndpoint : public QObject, public net::WebSocketEndpoint
{
    Q_OBJECT
public:
    // An empty token keeps the endpoint closed.
    AdminEndpoint(QByteArray token, ClusterObserver *observer, QObject *parent = nullptr);
    ~AdminEndpoint() override;

    void accept(QTcpSocket *socket) override;
    qsizetype connectionCount() const override
    {
        return qsizetype(m_handshaking.size() + m_sessions.size());
    }

    void shutdown();

    static constexpr qsizetype kMaxSessions = 16;
    static constexpr qint64 kMaxRecordBytes = 64 * 1024;

private:
    void onNewConnection();
    void refuse(QTcpSocket *socket, int status);
    // Resets the oldest session still awaiting its admin_hello; false when there is none.
    bool evictOldestUnauthenticated();

    QByteArray m_token;
    ClusterObserver *m_observer;
    QWebSocketServer m_server;
    // Sockets handed over whose handshake hasn't finished, by peer: QWebSocket drops the
    // signal connections of its TCP socket, so they are watched with QPointer instead.
    std::unordered_map<QString, QPointer<QTcpSocket>> m_handshaking;
    std::vector<AdminSession *> m_sessions; // oldest first
    // Each session's TCP socket, to reset it when evicted.
    std::unordered_map<AdminSession *, QPointer<QTcpSocket>> m_sessionSockets;
};

} // namespace flack::server::admin
