#include "server/admin/adminsession.h"

#include "server/admin/adminendpoint.h"
#include "server/admin/clusterobserver.h"
#include "server/cluster/constanttime.h"
#include "server/net/socketbuffers.h"
#include "shared/timestamp.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcAudit, "flack.audit")

namespace flack::server::admin {

using protocol::AdminErrorCode;

namespace {
constexpr quint16 kClosePolicyViolation = 1008;
constexpr quint16 kCloseGoingAway = 1001;
} // namespace

AdminSession::AdminSession(QWebSocket *socket, QTcpSocket *tcpSocket, QByteArray token,
                           ClusterObserver *observer, QObject *parent)
    : QObject(parent), m_socket(socket), m_tcpSocket(tcpSocket), m_token(std::move(token)),
      m_observer(observer),
      m_backlog(kQueueBytesBeforeHello, kSlowReaderGraceMs, this, [this] { return queuedBytes(); },
                [this] { dropSlowReader(); })
{
    m_socket->setParent(this);
    const QHostAddress address = m_socket->peerAddress();
    m_remoteAddress =
        (address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                             : address.toString()) +
        u':' + QString::number(m_socket->peerPort());
    connect(m_socket, &QWebSocket::textMessageReceived, this, &AdminSession::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
        fail(AdminErrorCode::Malformed, QStringLiteral("binary frames are not accepted"));
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_state = State::Closing;
        Q_EMIT finished();
    });
    connect(m_observer, &ClusterObserver::viewUpdated, this, &AdminSession::onViewUpdated);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_state == State::AwaitingHello)
            fail(AdminErrorCode::Malformed, QStringLiteral("no admin_hello within 10 s"));
    });
    m_deadline.start(kHelloDeadlineMs);
    if (m_tcpSocket) {
        // As for chat connections (see WebSocketTransport): bounded reads, and after each one
        // (this handler runs after the websocket layer's) what its answers queued counts.
        m_tcpSocket->setReadBufferSize(2 * AdminEndpoint::kMaxRecordBytes + 16 * 1024);
        connect(m_tcpSocket.data(), &QIODevice::readyRead, this,
                [this] { m_backlog.check(); });
    }
}

AdminSession::~AdminSession()
{
    if (m_watching)
        m_observer->removeWatcher();
    m_socket->disconnect();
    delete m_socket;
    net::releaseUpgradedSocket(m_tcpSocket.data());
}

qint64 AdminSession::send(const QByteArray &json)
{
    const qint64 before = queuedBytes();
    m_socket->sendTextMessage(QString::fromUtf8(json));
    const qint64 after = queuedBytes();
    m_backlog.check();
    return after - before;
}

qint64 AdminSession::queuedBytes() const
{
    return m_tcpSocket ? net::unsentBytes(m_tcpSocket.data()) : m_socket->bytesToWrite();
}

void AdminSession::dropSlowReader()
{
    if (m_dropped)
        return;
    m_dropped = true;
    m_state = State::Closing;
    qCWarning(lcAudit).noquote() << "audit:" << protocol::currentTimestamp() << "admin from"
                                 << m_remoteAddress << "dropped: does not read its data";
    // Deferred: this may run inside the socket's own read or write handling.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_tcpSocket)
                net::resetConnection(m_tcpSocket.data());
            else
                m_socket->abort();
        },
        Qt::QueuedConnection);
}

void AdminSession::audit(const QString &what) const
{
    qCInfo(lcAudit).noquote() << "audit:" << protocol::currentTimestamp() << "admin from"
                              << m_remoteAddress << what;
}

void AdminSession::fail(AdminErrorCode code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    m_state = State::Closing;
    closeWithError(code, reason);
}

void AdminSession::closeWithError(AdminErrorCode code, const QString &reason)
{
    m_deadline.stop();
    if (m_watching) {
        m_watching = false;
        m_observer->removeWatcher();
    }
    send(protocol::encodeAdminError({code, reason}));
    m_socket->close(QWebSocketProtocol::CloseCode(kClosePolicyViolation),
                    QString(protocol::adminErrorCodeString(code)));
}

void AdminSession::closeForShutdown()
{
    m_state = State::Closing;
    m_socket->close(QWebSocketProtocol::CloseCode(kCloseGoingAway),
                    QStringLiteral("server shutting down"));
}

void AdminSession::onText(const QString &text)
{
    if (m_state == State::Closing)
        return;
    const QByteArray utf8 = text.toUtf8();
    const protocol::AdminClientDecodeResult decoded = protocol::decodeAdminClientRecord(utf8);
    if (!decoded.ok)
        return fail(m_state == State::AwaitingHello &&
                            decoded.error != AdminErrorCode::UnsupportedVersion
                        ? AdminErrorCode::Malformed
                        : decoded.error,
                    decoded.reason);
    if (m_state == State::AwaitingHello) {
        const auto *hello = std::get_if<protocol::AdminHello>(&decoded.record);
        if (!hello)
            return fail(AdminErrorCode::Malformed,
                        QStringLiteral("first record must be admin_hello"));
        if (!cluster::constantTimeEquals(hello->token.toUtf8(), m_token)) {
            qCWarning(lcAudit).noquote() << "audit:" << protocol::currentTimestamp() << "admin from"
                                         << m_remoteAddress << "refused: wrong admin token";
            // Answered late, so guessing tokens is slow; nothing else is read meanwhile.
            m_state = State::Closing;
            m_deadline.stop();
            QTimer::singleShot(kFailureDelayMs, this, [this] {
                closeWithError(AdminErrorCode::WrongToken,
                               QString(protocol::adminDefaultReason(AdminErrorCode::WrongToken)));
            });
            return;
        }
        m_deadline.stop();
        m_state = State::Watching;
        m_backlog.setLimit(kQueueBytes);
        Q_EMIT authenticated();
        audit(QStringLiteral("connected"));
        m_watching = true;
        m_observer->addWatcher();
        if (m_observer->hasView())
            onViewUpdated();
        return;
    }
    const auto *kick = std::get_if<protocol::KickUser>(&decoded.record);
    if (!kick)
        return fail(AdminErrorCode::Malformed, QStringLiteral("admin_hello was already received"));
    const QString reason =
        kick->reason.isEmpty() ? QString(protocol::kAdminDefaultKickReason) : kick->reason;
    const QString connectionId = kick->connectionId;
    if (m_kicksInFlight >= kMaxKicksInFlight) {
        const QString refusal =
            QStringLiteral("too many kicks waiting for an answer (%1)").arg(kMaxKicksInFlight);
        // Not audited: nothing was done, and a line each would let a client flood the log.
        send(protocol::encodeKickResult({connectionId, false, refusal}));
        return;
    }
    ++m_kicksInFlight;
    QPointer<AdminSession> self(this);
    m_observer->kick(connectionId, reason,
                     [self, connectionId, reason](const cluster::KickReplyMessage &reply) {
                         if (!self)
                             return;
                         --self->m_kicksInFlight;
                         self->audit(QStringLiteral("kick_user %1 (%2) reason \"%3\": %4")
                                         .arg(connectionId, reply.userName, reason,
                                              reply.ok ? QStringLiteral("ok") : reply.reason));
                         if (self->m_state != State::Watching)
                             return;
                         self->send(protocol::encodeKickResult(
                             {connectionId, reply.ok, reply.ok ? QString() : reply.reason}));
                     });
}

void AdminSession::onViewUpdated()
{
    if (m_state != State::Watching)
        return;
    const ClusterView &view = m_observer->view();
    if (!m_snapshotSent) {
        // Like a chat_state: however big the cluster, the snapshot must get through.
        const QByteArray snapshot = protocol::encodeClusterSnapshot(view.snapshot());
        m_backlog.allowState(qint64(snapshot.size()) + 16);
        send(snapshot);
        m_snapshotSent = true;
    } else {
        send(protocol::encodeClusterUpdate(view.updateSince(m_sent)));
    }
    m_sent = view;
}

} // namespace flack::server::admin
