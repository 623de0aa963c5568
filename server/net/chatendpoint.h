#pragma once
// The /chat-server endpoint: finishes websocket handshakes (QWebSocketServer in
// handleConnection mode, so it shares the HTTP port), creates one ClientSession per socket,
// applies the per-connection limits (a new connection's message rate carries on from what
// recent ones from its address left), closes sessions that don't authenticate in time
// (CHAT_LIMIT-006), reaps idle sessions and closes everyone on shutdown.
// The listener reaches it through its route for /chat-server (as a WebSocketEndpoint).
// Lives on its thread (the main one, or a worker thread: ChatWorker); owned by
// ServerApplication or ChatWorker.

#include "server/net/memorytrimpolicy.h"
#include "server/net/passwriteflusher.h"
#include "server/net/websocketendpoint.h"
#include "server/net/writecoalescer.h"
// Complete, not forward-declared: QPointer needs to know it is a QObject.
#include "server/sessions/addressratememory.h"
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
class RoomMember;
} // namespace flack::server::rooms

namespace flack::server::net {

class WebSocketTransport;

struct ChatEndpointSettings
{
    sessions::SessionLimits limits; // limits.maxMessageBytes: --max-message-bytes
    int idleTimeoutSeconds = 60;    // 0 disables the idle close
    // From the websocket handshake to `authenticated`; an unauthenticated peer holds a session
    // for no longer than this.
    int authTimeoutMs = 10000;
    // Frames to a connection written to less than this ago wait for it (see WriteCoalescer).
    int coalesceWritesMs = 0;
    // The same for joined/left, which may wait longer (see m_presenceCoalescer).
    int presenceWindowMs = 250;
    // --signed-user-ids: set, sessions honour only ids it issued. Shared by every session.
    std::shared_ptr<const sessions::UserIdSigner> userIds;
    // What ended connections left of their message rate, by address: shared by the node's
    // endpoints (one per thread), so a reconnect to another thread carries it too. Null: the
    // endpoint keeps its own.
    std::shared_ptr<sessions::AddressRateMemory> rateMemory;
};

// Told of each session's life, for a thread other than the node's main one (WorkerRooms):
// the main thread's view of the node's connections follows these.
class SessionReports
{
public:
    virtual void sessionOpened(const rooms::RoomMember &session) = 0;
    virtual void sessionAuthenticated(const rooms::RoomMember &session) = 0;
    // After the session left its chats and is gone.
    virtual void sessionClosed(const QString &connectionId) = 0;

protected:
    ~SessionReports() = default;
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
    // Where session lives are reported (null: nowhere). Set before the first connection.
    void setReports(SessionReports *reports) { m_reports = reports; }

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
    SessionReports *m_reports = nullptr;
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
    // Each live session, the transport that owns it, and its peer's address key.
    struct LiveSession
    {
        WebSocketTransport *transport;
        QByteArray addressKey;
    };
    std::unordered_map<sessions::ClientSession *, LiveSession> m_sessions;
    // What ended sessions left of their message rate, by address: a reconnect doesn't refill.
    std::shared_ptr<sessions::AddressRateMemory> m_rateMemory;
    // Declared before the sessions' transports are made; they hold it by QPointer, as some
    // (deleted later) may outlive this member.
    WriteCoalescer m_coalescer;
    // joined/left may wait longer (--presence-window-ms): a room filling up sends every member
    // one per newcomer, and those were one write() each. While this many connections hold
    // them at once (rooms filling up across the server, as after a restart) the window doubles
    // up to kPresenceStretch times its length: members are then written once per long window,
    // where a short one left the connect rate bound by these writes (docs/benchmarks.md). A
    // few connections, as in a quiet time, never stretch it.
    static constexpr std::size_t kPresenceStormListings = 256;
    static constexpr int kPresenceStretch = 4;
    WriteCoalescer m_presenceCoalescer;
    // The sessions' writes go to the kernel at the end of each pass (see PassWriteFlusher).
    PassWriteFlusher m_writeFlusher;
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
