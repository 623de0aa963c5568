#pragma once
// The /chat-server endpoint: finishes websocket handshakes (QWebSocketServer in
// handleConnection mode, so it shares the HTTP port), creates one ClientSession per socket,
// applies the per-connection limits, closes sessions that don't authenticate in time
// (CHAT_LIMIT-006), reaps idle sessions and closes everyone on shutdown.
// The listener reaches it through its route for /chat-server (as a WebSocketEndpoint).
// Lives on the main thread; owned by ServerApplication.

#include "server/net/memorytrimpolicy.h"
#include "server/net/websocketendpoint.h"
// Complete, not forward-declared: QPointer needs to know it is a QObject.
#include "server/sessions/clientsession.h"
#include "server/sessions/sessionlimits.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocketServer>

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace flack::server::rooms {
class RoomDirectory;
}

namespace flack::server::net {

class WebSocketTransport;

struct ChatEndpointSettings
{
    sessions::SessionLimits limits; // limits.maxMessageBytes: --max-message-bytes
    int idleTimeoutSeconds = 60;    // 0 disables the idle close
    // From the websocket handshake to `authenticated`; an unauthenticated peer holds a session
    // for no longer than this.
    int authTimeoutMs = 10000;
    // --signed-user-ids: set, sessions honour only ids it issued. Shared by every session.
    std::shared_ptr<const sessions::UserIdSigner> userIds;
};

class ChatEndpoint : public QObject, public WebSocketEndpoint
{
    Q_OBJECT
public:
    ChatEndpoint(const ChatEndpointSettings &settings, rooms::RoomDirectory *directory,
                 QObject *parent = nullptr);
    ~ChatEndpoint() override;

    // Takes a socket whose buffered (unread) bytes are a complete upgrade request for
    // /chat-server. The endpoint owns it from now on.
    void accept(QTcpSocket *socket) override;
    // Live sessions; a socket still in its websocket handshake is not counted yet.
    qsizetype connectionCount() const override { return qsizetype(m_sessions.size()); }

    // Closes every session with 1001 (going away); emits drained when all are gone.
    void shutdown();

    // The largest message the websocket layer takes for a --max-message-bytes: messages
    // between the two get CHAT_LIMIT-001, larger ones close 1009.
    static qint64 frameBoundFor(qint64 maxMessageBytes);

Q_SIGNALS:
    void drained();

private:
    void onNewConnection();
    void onSessionFinished(sessions::ClientSession *session);
    static QString peerKey(const QHostAddress &address, quint16 port);
    void reapIdleSessions();
    void closeLateAuthentications();
    void sweepMemory();
    std::vector<sessions::ClientSession *>
    sessionsWhere(const std::function<bool(const sessions::ClientSession *)> &predicate) const;

    ChatEndpointSettings m_settings;
    rooms::RoomDirectory *m_directory;
    QWebSocketServer m_server;
    QTimer m_idleTimer;
    // Sessions in arrival order with their authentication deadline. Every session gets the
    // same timeout, so arrival order is deadline order and one timer, armed for the front,
    // serves them all (a timer per connection would cost memory and wake-ups). Entries of
    // sessions that authenticated or died are dropped when their deadline comes.
    struct AuthDeadline
    {
        QPointer<sessions::ClientSession> session;
        qint64 deadlineMs;
    };
    std::deque<AuthDeadline> m_authDeadlines;
    QElapsedTimer m_clock;
    QTimer m_authTimer;
    // Each live session and the transport that owns it.
    std::unordered_map<sessions::ClientSession *, WebSocketTransport *> m_sessions;
    // TCP sockets between handoff and finished handshake, by peer address and port.
    std::unordered_map<QString, QPointer<QTcpSocket>> m_handshaking;
    // Once a second: idle sockets' write chunks are released, and after a connect burst the
    // freed heap goes back to the kernel (see MemoryTrimPolicy). One timer for all sessions.
    QTimer m_memoryTimer;
    MemoryTrimPolicy m_trimPolicy;
    qint64 m_arrivalsThisTick = 0;
    bool m_shuttingDown = false;
};

} // namespace flack::server::net
