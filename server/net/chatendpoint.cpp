#include "server/net/chatendpoint.h"

#include "server/net/connectionadmission.h"
#include "server/net/earlybytes.h"
#include "server/net/freedmemory.h"
#include "server/net/socketbuffers.h"
#include "server/net/websockettransport.h"
#include "server/rooms/roomdirectory.h"
#include "server/sessions/clientsession.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <algorithm>
#include <chrono>

namespace flack::server::net {

namespace {
// The rate memory's clock: one for every thread's endpoint, since they may share the memory.
qint64 steadyNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

ChatEndpoint::ChatEndpoint(const ChatEndpointSettings &settings, rooms::RoomDirectory *directory,
                           QObject *parent)
    : QObject(parent), m_settings(settings), m_directory(directory),
      m_server(QStringLiteral("flack-server"), QWebSocketServer::NonSecureMode),
      m_rateMemory(settings.rateMemory
                       ? settings.rateMemory
                       : std::make_shared<sessions::AddressRateMemory>(
                             settings.limits.maxMessagesPerSecond, settings.limits.messageBurst)),
      m_coalescer(settings.coalesceWritesMs),
      m_presenceCoalescer(settings.presenceWindowMs,
                          {kPresenceStretch * settings.presenceWindowMs, kPresenceStormListings})
{
    // Handshakes are taken off the server as soon as they complete, so this only guards
    // against bursts; Qt's default of 30 would refuse busy moments.
    m_server.setMaxPendingConnections(4096);
    connect(&m_server, &QWebSocketServer::newConnection, this, &ChatEndpoint::onNewConnection);
    // The rooms of this thread hold joined/left back in the same window as its transports.
    if (m_directory)
        m_directory->setPresenceWindow(&m_presenceCoalescer);

    m_clock.start();
    m_authTimer.setSingleShot(true);
    connect(&m_authTimer, &QTimer::timeout, this, &ChatEndpoint::closeLateAuthentications);

    if (m_settings.idleTimeoutSeconds > 0) {
        // One timer for all sessions instead of one per connection: per-connection timers
        // cost memory and wake-ups. The sweep interval bounds how late an idle close comes.
        const int intervalMs = std::clamp(m_settings.idleTimeoutSeconds * 1000 / 4, 100, 1000);
        m_idleTimer.setInterval(intervalMs);
        connect(&m_idleTimer, &QTimer::timeout, this, &ChatEndpoint::reapIdleSessions);
        m_idleTimer.start();
    }

    m_memoryTimer.setInterval(1000);
    connect(&m_memoryTimer, &QTimer::timeout, this, &ChatEndpoint::sweepMemory);
    m_memoryTimer.start();
}

ChatEndpoint::~ChatEndpoint()
{
    // Sessions leave their rooms as they die; do it while the directory still exists.
    const auto sessions = std::exchange(m_sessions, {});
    for (const auto &[session, live] : sessions)
        delete live.transport;
}

void ChatEndpoint::accept(QTcpSocket *socket)
{
    if (m_shuttingDown) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    // QWebSocket hides its TCP socket; remember it by peer so the transport can make sure
    // it is really closed and freed in the end (see WebSocketTransport).
    if (m_handshaking.size() > 1024)
        std::erase_if(m_handshaking, [](const auto &entry) { return entry.second.isNull(); });
    m_handshaking[peerKey(socket->peerAddress(), socket->peerPort())] = socket;
    // A client's first frames that come before the session listens wait with the early bytes
    // (QWebSocketServer reads the request a pass later; from another thread, the socket waited
    // a pass already).
    EarlyBytes::holdArrivals(socket);
    m_server.handleConnection(socket);
}

void ChatEndpoint::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        // Up to the bound, an oversized message reaches the session, which answers
        // CHAT_LIMIT-001; beyond it the websocket layer closes with 1009 before reading it.
        const qint64 frameBound = frameBoundFor(m_settings.limits.maxMessageBytes);
        socket->setMaxAllowedIncomingMessageSize(quint64(frameBound));
        socket->setMaxAllowedIncomingFrameSize(quint64(frameBound));
        const auto handshake =
            m_handshaking.find(peerKey(socket->peerAddress(), socket->peerPort()));
        QTcpSocket *tcpSocket = nullptr;
        if (handshake != m_handshaking.end()) {
            tcpSocket = handshake->second.data();
            m_handshaking.erase(handshake);
        }
        releaseFromWebSocketServer(m_server, tcpSocket); // the transport frees it
        dropUnusedWebSocketForwards(*socket, tcpSocket);
        auto *transport = new WebSocketTransport(socket, tcpSocket, frameBound, &m_coalescer,
                                                 &m_presenceCoalescer, this);
        transport->setWriteFlusher(&m_writeFlusher);
        auto *session =
            new sessions::ClientSession(transport, m_directory, m_settings.limits, transport);
        session->setUserIdSigner(m_settings.userIds.get());
        QByteArray addressKey = ConnectionAdmission::addressKey(socket->peerAddress());
        session->startRateFrom(m_rateMemory->startingTokensMilli(addressKey, steadyNowMs()));
        transport->attach(session);
        connect(session, &sessions::ClientSession::finished, this,
                [this, session] { onSessionFinished(session); });
        // Until then the connection is one of the listener's pending ones, which newcomers may
        // evict.
        connect(session, &sessions::ClientSession::authenticated, this,
                [this, session, tcp = QPointer<QTcpSocket>(tcpSocket)] {
                    ConnectionAdmission::markEstablished(tcp.data());
                    if (m_reports)
                        m_reports->sessionAuthenticated(*session);
                });
        if (m_reports) {
            m_reports->sessionOpened(*session);
            // destroyed comes after ~ClientSession, which left its chats.
            connect(session, &QObject::destroyed, this,
                    [this, id = session->connectionId()] { m_reports->sessionClosed(id); });
        }
        m_sessions.emplace(session, LiveSession{transport, std::move(addressKey)});
        ++m_arrivalsThisTick;
        m_authDeadlines.push_back({session, m_clock.elapsed() + m_settings.authTimeoutMs});
        if (!m_authTimer.isActive())
            m_authTimer.start(m_settings.authTimeoutMs);
        if (m_shuttingDown)
            session->closeForShutdown();
        // Now that the session listens, what came with the upgrade request may be read.
        EarlyBytes::replay(tcpSocket);
    }
}

qint64 ChatEndpoint::frameBoundFor(qint64 maxMessageBytes)
{
    return 2 * maxMessageBytes;
}

QString ChatEndpoint::peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

void ChatEndpoint::onSessionFinished(sessions::ClientSession *session)
{
    const auto found = m_sessions.find(session);
    if (found == m_sessions.end())
        return;
    m_rateMemory->remember(found->second.addressKey, session->rateTokensMilli(), steadyNowMs());
    // finished() is emitted from inside the socket's signal handling: delete later.
    found->second.transport->deleteLater();
    m_sessions.erase(found);
    if (m_shuttingDown && m_sessions.empty())
        Q_EMIT drained();
}

std::vector<sessions::ClientSession *> ChatEndpoint::sessionsWhere(
    const std::function<bool(const sessions::ClientSession *)> &predicate) const
{
    std::vector<sessions::ClientSession *> matching;
    for (const auto &entry : m_sessions) {
        if (predicate(entry.first))
            matching.push_back(entry.first);
    }
    return matching;
}

void ChatEndpoint::reapIdleSessions()
{
    const qint64 idleLimitMs = qint64(m_settings.idleTimeoutSeconds) * 1000;
    // Collected first: closing a socket may end its session, and so edit m_sessions, at once.
    const auto idle = sessionsWhere([idleLimitMs](const sessions::ClientSession *session) {
        return session->idleMilliseconds() >= idleLimitMs;
    });
    for (sessions::ClientSession *session : idle)
        session->closeIdle();
}

void ChatEndpoint::closeLateAuthentications()
{
    const qint64 now = m_clock.elapsed();
    // Collected first: closing a session may end it, and so edit m_sessions, at once.
    std::vector<QPointer<sessions::ClientSession>> late;
    while (!m_authDeadlines.empty() && m_authDeadlines.front().deadlineMs <= now) {
        late.push_back(m_authDeadlines.front().session);
        m_authDeadlines.pop_front();
    }
    const QString reason = QStringLiteral("not authenticated within %1 ms of connecting")
                               .arg(m_settings.authTimeoutMs);
    for (const QPointer<sessions::ClientSession> &session : late) {
        if (session)
            session->closeUnauthenticated(reason);
    }
    if (!m_authDeadlines.empty())
        m_authTimer.start(int(std::max<qint64>(0, m_authDeadlines.front().deadlineMs - now)));
}

void ChatEndpoint::sweepMemory()
{
    // Qt keeps each socket's write chunk for the socket's life; a connection that wrote
    // nothing for a whole interval gives it back (one busy again allocates anew, at most once
    // per interval).
    qint64 released = 0;
    for (const auto &entry : m_sessions)
        released += entry.second.transport->releaseIdleWriteBuffer() ? 1 : 0;
    const qint64 arrivals = std::exchange(m_arrivalsThisTick, 0);
    // A trim walks the heap: ~10-45 ms with 15,000 connections here, so at most one per
    // MemoryTrimSettings::minIntervalMs.
    if (m_trimPolicy.onTick(m_clock.elapsed(), arrivals, released))
        returnFreedMemory();
}

void ChatEndpoint::shutdown()
{
    m_shuttingDown = true;
    m_idleTimer.stop();
    m_memoryTimer.stop();
    m_authTimer.stop();
    m_server.close();
    if (m_sessions.empty()) {
        Q_EMIT drained();
        return;
    }
    const auto all = sessionsWhere([](const sessions::ClientSession *) { return true; });
    for (sessions::ClientSession *session : all)
        session->closeForShutdown();
}

} // namespace flack::server::net
