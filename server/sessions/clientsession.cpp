#include "server/sessions/clientsession.h"

#include "server/admin/servermetrics.h"
#include "server/rooms/chatroom.h"
#include "server/rooms/roomdirectory.h"
#include "server/sessions/sessiontransport.h"
#include "server/sessions/useridsigner.h"
#include "shared/jsonwriter.h"
#include "shared/serverrecordencoder.h"
#include "shared/timestamp.h"
#include "shared/userid.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcSession, "flack.session")

namespace flack::server::sessions {

using namespace flack::protocol;

namespace {
// RFC 6455 close codes the session uses.
constexpr quint16 kCloseNormal = 1000;
constexpr quint16 kCloseGoingAway = 1001;
constexpr quint16 kClosePolicyViolation = 1008;
ThrottleSettings throttleSettings(const SessionLimits &limits)
{
    ThrottleSettings settings;
    settings.messagesPerSecond = limits.maxMessagesPerSecond;
    settings.burst = limits.messageBurst;
    // What was already read when reading paused: the transport reads at most a few messages
    // ahead (see WebSocketTransport).
    settings.maxHeldBytes = 8 * std::max<qint64>(limits.maxMessageBytes, 64 * 1024);
    settings.floodMs = limits.floodMs;
    return settings;
}

} // namespace

ClientSession::ClientSession(SessionTransport *transport, rooms::RoomDirectory *directory,
                             const SessionLimits &limits, QObject *parent)
    : QObject(parent), m_transport(transport), m_directory(directory),
      m_metrics(directory->metrics()), m_limits(limits),
      m_connectionId(directory->connections().allocateId()),
      m_throttle(throttleSettings(limits), this,
                 {[this](const QString &text) { handleFrame(text); },
                  [this](bool paused) { m_transport->setReadingPaused(paused); },
                  [this] {
                      fail(ErrorCode::Flooding,
                           QStringLiteral("sending faster than %1 messages per second")
                               .arg(m_limits.maxMessagesPerSecond));
                  }}),
      m_backlog(limits.maxQueuedBytes, limits.slowReaderGraceMs, this,
                [this] { return m_transport->queuedBytes(); }, [this] { dropSlowReader(); })
{
    m_lastActivity.start();
    m_connectedSince = currentTimestamp();
    m_directory->connections().add(this);
    if (m_metrics)
        m_metrics->connectionOpened();
}

ClientSession::~ClientSession()
{
    // A session destroyed while still in rooms (server shutdown) must not leave dangling
    // members behind.
    leaveAllChats();
    m_directory->connections().remove(this);
    if (m_metrics)
        m_metrics->connectionClosed();
}

void ClientSession::handleTextMessage(const QString &text)
{
    m_lastActivity.restart();
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_throttle.offer(text);
}

void ClientSession::handleFrame(const QString &text)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    // The decoder needs the UTF-8 anyway, so its size is the byte count for free.
    const QByteArray utf8 = text.toUtf8();
    if (m_metrics)
        m_metrics->frameReceived(utf8.size());
    if (utf8.size() > m_limits.maxMessageBytes)
        return fail(ErrorCode::MessageTooLarge,
                    QStringLiteral("message exceeds the size limit of %1 bytes")
                        .arg(m_limits.maxMessageBytes));
    const ClientDecodeResult decoded = decodeClientRecord(utf8);
    if (!decoded.ok) {
        // Before the handshake, anything that isn't a valid client_hello is CHAT-001; before
        // authenticating, a broken join/message/leave is still "not authenticate" (002).
        if (m_state == State::AwaitingHello)
            fail(ErrorCode::InvalidHello, decoded.reason);
        else if (m_state == State::AwaitingAuthentication &&
                 decoded.error != ErrorCode::Malformed &&
                 decoded.error != ErrorCode::InvalidUserName)
            fail(ErrorCode::NotAuthenticated, decoded.reason);
        else
            fail(decoded.error, decoded.reason);
        return;
    }
    handleRecord(decoded.record);
}

void ClientSession::handleBinaryMessage()
{
    m_lastActivity.restart();
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    fail(ErrorCode::UnexpectedFrameType);
}

void ClientSession::handleInputProcessed()
{
    checkBacklog();
}

void ClientSession::handleOutputQueued()
{
    checkBacklog();
}

void ClientSession::checkBacklog()
{
    if (m_state == State::Closed)
        return;
    m_backlog.check();
}

void ClientSession::handleDisconnected()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_throttle.stop();
    leaveAllChats();
    Q_EMIT finished();
}

void ClientSession::closeIdle()
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    beginClosing();
    leaveAllChats();
    m_transport->close(kCloseNormal, QStringLiteral("idle timeout"));
}

void ClientSession::closeForShutdown()
{
    if (m_state == State::Closed)
        return;
    beginClosing();
    leaveAllChats();
    m_transport->close(kCloseGoingAway, QStringLiteral("server shutting down"));
}

void ClientSession::closeUnauthenticated(const QString &reason)
{
    if (m_state == State::AwaitingHello || m_state == State::AwaitingAuthentication)
        fail(ErrorCode::AuthenticationTimeout, reason);
}

void ClientSession::deliver(const QString &frame)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    m_transport->sendText(frame);
    m_backlog.check();
}

void ClientSession::deliverEncoded(const QString &frame, const QByteArray &utf8,
                                   rooms::DeliveryPace pace)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    // A frame the transport holds is counted when it is handed over (handleOutputQueued): in a
    // storm of joins, a member held to a long window costs an append, not a look at its socket.
    if (m_transport->sendEncoded(frame, utf8, pace))
        m_backlog.check();
}

void ClientSession::deliverBatch(const rooms::PresenceBatch &batch, qsizetype from)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    if (m_transport->sendBatch(batch, from))
        m_backlog.check();
}

void ClientSession::deliverState(const QByteArray &json)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    const qint64 before = m_transport->queuedBytes();
    m_transport->sendUtf8(json);
    m_backlog.queuedState(m_transport->queuedBytes() - before);
}

void ClientSession::dropSlowReader()
{
    if (m_state == State::Closed)
        return;
    // The client doesn't take its data: drop it so it can't hold our memory or slow the room.
    // Deferred, because this runs inside a room's fan-out loop or the socket's read handling.
    if (m_dropScheduled)
        return;
    m_dropScheduled = true;
    beginClosing();
    qCInfo(lcSession) << "dropping" << m_connectionId << m_userId
                      << "which does not read its messages";
    QMetaObject::invokeMethod(
        this, [this] { abortConnection(); }, Qt::QueuedConnection);
}

void ClientSession::joinRefused(const QString &chatName, ErrorCode code, const QString &reason)
{
    // The owner (maybe on another node) said no after we had counted the chat as joined.
    if (!m_chats.remove(chatName))
        return;
    fail(code, reason);
}

rooms::ConnectionDetails ClientSession::details() const
{
    rooms::ConnectionDetails details;
    details.authenticated = m_state == State::Ready;
    details.remoteAddress = m_transport->remoteAddress();
    details.connectedSince = m_connectedSince;
    details.chats = m_chats.keys();
    details.messagesSent = m_messagesSent;
    return details;
}

void ClientSession::kick(const QString &reason)
{
    if (m_state == State::Closing || m_state == State::Closed)
        return;
    qCInfo(lcSession) << "kicked" << m_connectionId << m_userId << "by an administrator";
    fail(ErrorCode::KickedByAdmin,
         reason.isEmpty() ? QString(defaultReason(ErrorCode::KickedByAdmin)) : reason);
}

void ClientSession::handleRecord(const ClientRecord &record)
{
    switch (m_state) {
    case State::AwaitingHello:
        if (record.type != ClientRecordType::ClientHello)
            return fail(ErrorCode::InvalidHello,
                        QStringLiteral("first message must be client_hello, got %1")
                            .arg(clientRecordName(record.type)));
        return handleHello(record);
    case State::AwaitingAuthentication:
        if (record.type != ClientRecordType::Authenticate)
            return fail(
                ErrorCode::NotAuthenticated,
                QStringLiteral("expected authenticate, got %1").arg(clientRecordName(record.type)));
        return handleAuthenticate(record);
    case State::Ready:
        break;
    case State::Closing:
    case State::Closed:
        return;
    }
    switch (record.type) {
    case ClientRecordType::ClientHello:
        return fail(ErrorCode::Malformed, QStringLiteral("client_hello was already received"));
    case ClientRecordType::Authenticate:
        return fail(ErrorCode::AlreadyAuthenticated);
    case ClientRecordType::JoinChat:
        return handleJoin(record);
    case ClientRecordType::ChatMessage:
        return handleChatMessage(record);
    case ClientRecordType::LeaveChat:
        return handleLeave(record);
    case ClientRecordType::Ping:
        return reply(encodePingReply());
    case ClientRecordType::ClientGoodbye:
        return handleGoodbye();
    }
}

void ClientSession::handleHello(const ClientRecord &record)
{
    if (record.protocolVersion != kProtocolVersion)
        return fail(ErrorCode::UnsupportedVersion,
                    QStringLiteral("unsupported protocol_version '%1'; this server speaks 1.0")
                        .arg(record.protocolVersion.left(32)));
    m_state = State::AwaitingAuthentication;
    reply(encodeServerHello());
}

void ClientSession::handleAuthenticate(const ClientRecord &record)
{
    if (nameTooLong(record.userName))
        return fail(ErrorCode::NameTooLong,
                    QStringLiteral("user_name is longer than %1 bytes").arg(m_limits.maxNameBytes));
    if (nameTooLong(record.userId))
        return fail(ErrorCode::NameTooLong,
                    QStringLiteral("user_id is longer than %1 bytes").arg(m_limits.maxNameBytes));
    m_userName = record.userName;
    // A reconnecting client keeps its identity by sending the id it was given before.
    if (m_userIds) {
        // Not an error: a client that lost its id (or never had one of ours) just gets a new
        // one, as a first-time client does.
        m_userId = !record.userId.isEmpty() && m_userIds->verify(record.userId) ? record.userId
                                                                               : m_userIds->issue();
    } else {
        m_userId = record.userId.isEmpty() ? generateUserId() : record.userId;
    }
    m_state = State::Ready;
    reply(encodeAuthenticated(m_userId));
    Q_EMIT authenticated();
}

void ClientSession::handleJoin(const ClientRecord &record)
{
    if (nameTooLong(record.chatName))
        return fail(ErrorCode::NameTooLong,
                    QStringLiteral("chat_name is longer than %1 bytes").arg(m_limits.maxNameBytes));
    if (m_chats.contains(record.chatName))
        return fail(ErrorCode::AlreadyJoined,
                    QStringLiteral("chat '%1' already joined").arg(record.chatName));
    if (m_chats.size() >= m_limits.maxChatsPerConnection)
        return fail(ErrorCode::TooManyChats,
                    QStringLiteral("a connection may join at most %1 chats")
                        .arg(m_limits.maxChatsPerConnection));
    rooms::ChatRoom *room = m_directory->open(record.chatName);
    if (!room)
        return fail(ErrorCode::TooManyRooms,
                    QStringLiteral("the server holds its maximum number of chats; join an "
                                   "existing one or try later"));
    m_chats.insert(record.chatName, room);
    room->join(this);
}

void ClientSession::handleChatMessage(const ClientRecord &record)
{
    rooms::ChatRoom *room = m_chats.value(record.chatName);
    if (!room)
        return fail(ErrorCode::InvalidChatMessage,
                    QStringLiteral("chat '%1' not joined").arg(record.chatName.left(256)));
    ++m_messagesSent;
    if (m_metrics)
        m_metrics->messageReceived();
    room->post(this, record.mimeType, record.message);
}

void ClientSession::handleLeave(const ClientRecord &record)
{
    rooms::ChatRoom *room = m_chats.take(record.chatName);
    if (!room)
        return fail(ErrorCode::NotJoined,
                    QStringLiteral("chat '%1' not joined").arg(record.chatName.left(256)));
    room->leave(this);
}

void ClientSession::handleGoodbye()
{
    reply(encodeServerGoodbye());
    beginClosing();
    leaveAllChats();
    m_transport->close(kCloseNormal, QStringLiteral("goodbye"));
}

void ClientSession::reply(const QByteArray &json)
{
    // Counted here, where the UTF-8 size is known; room frames are counted by their replica.
    if (m_metrics)
        m_metrics->frameSent(json.size());
    deliver(QString::fromUtf8(json));
}

void ClientSession::fail(ErrorCode code, const QString &reason)
{
    qCDebug(lcSession) << "protocol error" << errorCodeString(code) << reason;
    if (m_metrics)
        m_metrics->protocolErrorSent(code);
    reply(encodeProtocolError(code, reason));
    beginClosing();
    leaveAllChats();
    m_transport->close(kClosePolicyViolation, QString(errorCodeString(code)));
}

void ClientSession::beginClosing()
{
    m_state = State::Closing;
    m_throttle.stop();
}

void ClientSession::abortConnection()
{
    if (m_state == State::Closed)
        return;
    leaveAllChats();
    m_transport->abort();
}

void ClientSession::leaveAllChats()
{
    const auto chats = std::exchange(m_chats, {});
    for (rooms::ChatRoom *room : chats)
        room->drop(this);
}

bool ClientSession::nameTooLong(const QString &name) const
{
    // Measured as the name is sent in every record that carries it, escapes included: a name
    // of control characters is 6 bytes of JSON per character, and rosters carry every name.
    if (name.size() > m_limits.maxNameBytes)
        return true; // every UTF-16 unit costs at least one byte
    return JsonWriter::escapedSize(name.toUtf8()) > m_limits.maxNameBytes;
}

} // namespace flack::server::sessions
