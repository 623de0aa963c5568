#include "admin-gui/core/adminclient.h"

#include <QRandomGenerator>
#include <QWebSocket>

#include <variant>

namespace flack::admin {

using namespace flack::protocol;

namespace {

// A snapshot of tens of thousands of users is megabytes; far more than that is not a snapshot.
constexpr qint64 kMaxIncomingMessageBytes = 64 * 1024 * 1024;

} // namespace

AdminClient::AdminClient(QObject *parent) : QObject(parent), m_cluster(new ClusterState(this))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &AdminClient::openSocket);
    m_silenceTimer.setSingleShot(true);
    m_silenceTimer.setInterval(15000);
    connect(&m_silenceTimer, &QTimer::timeout, this, [this] {
        dropConnection(
            tr("no answer from the server for %1 s").arg(m_silenceTimer.interval() / 1000.0), true);
    });
}

AdminClient::~AdminClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

void AdminClient::setReconnectDelays(int initialMs, int maxMs)
{
    m_initialDelayMs = qMax(1, initialMs);
    m_maxDelayMs = qMax(m_initialDelayMs, maxMs);
    m_nextDelayMs = m_initialDelayMs;
}

void AdminClient::setSilenceTimeoutMs(int ms)
{
    m_silenceTimer.setInterval(ms);
}

void AdminClient::connectToServer(const QUrl &url, const QString &token)
{
    if (m_socket)
        dropConnection({}, false);
    m_reconnectTimer.stop();
    if (url != m_url)
        m_cluster->clear();
    m_url = url;
    m_token = token;
    m_lastError.clear();
    m_nextDelayMs = m_initialDelayMs;
    openSocket();
}

void AdminClient::disconnectFromServer()
{
    m_reconnectTimer.stop();
    dropConnection({}, false);
    m_token.clear();
    m_lastError.clear();
}

bool AdminClient::kickUser(const QString &connectionId, const QString &reason)
{
    if (m_state != State::Live || !m_socket || connectionId.isEmpty() ||
        connectionId.toUtf8().size() > kAdminMaxConnectionIdBytes ||
        reason.toUtf8().size() > kAdminMaxKickReasonBytes)
        return false;
    m_socket->sendTextMessage(QString::fromUtf8(encodeKickUser({connectionId, reason})));
    m_pendingKicks.append(connectionId);
    return true;
}

void AdminClient::openSocket()
{
    m_socketError.clear();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(kMaxIncomingMessageBytes);
    m_socket->setMaxAllowedIncomingFrameSize(kMaxIncomingMessageBytes);
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, &AdminClient::onConnected);
    connect(socket, &QWebSocket::disconnected, this, &AdminClient::onSocketLost);
    connect(socket, &QWebSocket::textMessageReceived, this, &AdminClient::onTextMessage);
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this] {
        dropConnection(tr("protocol violation by the server: a binary frame"), true);
    });
    const auto onError = [this, socket] {
        m_socketError = socket->errorString();
        // A failed connect or upgrade may end without a disconnected() signal.
        if (socket == m_socket && socket->state() == QAbstractSocket::UnconnectedState)
            onSocketLost();
    };
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    connect(socket, &QWebSocket::errorOccurred, this, onError);
#else
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, onError);
#endif
    // The same deadline covers a connect that hangs (a black-holed address) and a handshake
    // that never finishes.
    m_silenceTimer.start();
    setState(State::Connecting);
    socket->open(m_url);
}

void AdminClient::onConnected()
{
    m_silenceTimer.start();
    m_socket->sendTextMessage(
        QString::fromUtf8(encodeAdminHello({QString(kAdminProtocolVersion), m_token})));
    setState(State::Authenticating);
}

void AdminClient::onTextMessage(const QString &message)
{
    m_silenceTimer.start();
    const AdminServerDecodeResult decoded = decodeAdminServerRecord(message.toUtf8());
    if (!decoded.ok) {
        dropConnection(tr("protocol violation by the server: %1").arg(decoded.violation), true);
        return;
    }
    if (const auto *error = std::get_if<AdminError>(&decoded.record)) {
        dropConnection(
            QStringLiteral("%1: %2").arg(adminErrorCodeString(error->code), error->reason), false,
            State::Refused);
    } else if (const auto *snapshot = std::get_if<ClusterSnapshot>(&decoded.record)) {
        m_cluster->applySnapshot(*snapshot);
        m_nextDelayMs = m_initialDelayMs; // it worked: the next loss retries quickly again
        m_lastError.clear();
        setState(State::Live);
    } else if (m_state != State::Live) {
        dropConnection(tr("protocol violation by the server: %1 before cluster_snapshot")
                           .arg(std::holds_alternative<ClusterUpdate>(decoded.record)
                                    ? QStringLiteral("cluster_update")
                                    : QStringLiteral("kick_result")),
                       true);
    } else if (const auto *update = std::get_if<ClusterUpdate>(&decoded.record)) {
        m_cluster->applyUpdate(*update);
    } else if (const auto *kick = std::get_if<KickResult>(&decoded.record)) {
        m_pendingKicks.removeOne(kick->connectionId);
        emit kickFinished(*kick);
    }
}

void AdminClient::onSocketLost()
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    QString why;
    if (socket->closeCode() != QWebSocketProtocol::CloseCodeNormal ||
        !socket->closeReason().isEmpty())
        why = tr("closed by the server (%1%2)")
                  .arg(int(socket->closeCode()))
                  .arg(socket->closeReason().isEmpty()
                           ? QString()
                           : QStringLiteral(", ") + socket->closeReason());
    if (!m_socketError.isEmpty() && (m_state == State::Connecting || why.isEmpty()))
        why = m_socketError;
    if (why.isEmpty())
        why = tr("connection closed");
    dropConnection(why, true);
}

void AdminClient::dropConnection(const QString &why, bool retry, State final)
{
    if (!why.isEmpty())
        m_lastError = why;
    m_silenceTimer.stop();
    if (QWebSocket *socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState)
            socket->close(retry ? QWebSocketProtocol::CloseCodeProtocolError
                                : QWebSocketProtocol::CloseCodeNormal);
        else
            socket->abort();
        socket->deleteLater();
    }
    const QStringList pending = std::exchange(m_pendingKicks, {});
    for (const QString &connectionId : pending)
        emit kickFinished({connectionId, false,
                           tr("no answer, the connection was lost (%1); the user may or may not "
                              "have been kicked")
                               .arg(why.isEmpty() ? tr("disconnected") : why)});
    if (retry)
        scheduleReconnect();
    else
        setState(final);
}

void AdminClient::scheduleReconnect()
{
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_scheduledDelayMs = qMax(1, int(m_nextDelayMs * jitter));
    m_nextDelayMs = qMin(m_maxDelayMs, m_nextDelayMs * 2);
    m_reconnectTimer.start(m_scheduledDelayMs);
    setState(State::WaitingToReconnect);
}

void AdminClient::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace flack::admin
