#include "server/admin/adminendpoint.h"

#include "server/admin/adminsession.h"
#include "server/net/connectionadmission.h"
#include "server/net/earlybytes.h"
#include "server/net/gracefulclose.h"
#include "server/net/httpresponse.h"
#include "server/net/socketbuffers.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcAdmin)

namespace flack::server::admin {

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}
} // namespace

AdminEndpoint::AdminEndpoint(QByteArray token, ClusterObserver *observer, QObject *parent)
    : QObject(parent), m_token(std::move(token)), m_observer(observer),
      m_server(QStringLiteral("flack-server admin"), QWebSocketServer::NonSecureMode)
{
    m_server.setMaxPendingConnections(int(kMaxSessions));
    connect(&m_server, &QWebSocketServer::newConnection, this, &AdminEndpoint::onNewConnection);
}

AdminEndpoint::~AdminEndpoint()
{
    const auto sessions = std::exchange(m_sessions, {});
    for (AdminSession *session : sessions) {
        disconnect(session, nullptr, this, nullptr);
        delete session;
    }
}

void AdminEndpoint::refuse(QTcpSocket *socket, int status)
{
    socket->setParent(this);
    socket->write(net::buildHttpError(status, false));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    net::closeAfterSending(socket);
}

void AdminEndpoint::accept(QTcpSocket *socket)
{
    if (m_token.isEmpty()) {
        qCInfo(lcAdmin).noquote() << "refused /admin from" << socket->peerAddress().toString()
                                  << ": no admin token is configured";
        return refuse(socket, 403);
    }
    std::erase_if(m_handshaking, [](const auto &entry) { return entry.second.isNull(); });
    if (connectionCount() >= kMaxSessions && !evictOldestUnauthenticated())
        return refuse(socket, 503);
    m_handshaking[peerKey(socket->peerAddress(), socket->peerPort())] = socket;
    m_server.handleConnection(socket);
}

bool AdminEndpoint::evictOldestUnauthenticated()
{
    for (AdminSession *session : m_sessions) {
        if (session->state() != AdminSession::State::AwaitingHello)
            continue;
        QTcpSocket *tcpSocket = m_sessionSockets[session].data();
        if (!tcpSocket)
            continue;
        qCInfo(lcAdmin).noquote() << "dropping /admin connection from" << session->remoteAddress()
                                  << "that has not said admin_hello, for a newcomer";
        // Its session sees the disconnect and finishes; the slot is the newcomer's.
        net::resetConnection(tcpSocket);
        return true;
    }
    return false;
}

void AdminEndpoint::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        QTcpSocket *tcpSocket = nullptr;
        const auto handshake =
            m_handshaking.find(peerKey(socket->peerAddress(), socket->peerPort()));
        if (handshake != m_handshaking.end()) {
            tcpSocket = handshake->second.data();
            m_handshaking.erase(handshake);
        }
        net::releaseFromWebSocketServer(m_server, tcpSocket); // the session frees it
        socket->setMaxAllowedIncomingMessageSize(quint64(kMaxRecordBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(kMaxRecordBytes));
        auto *session = new AdminSession(socket, tcpSocket, m_token, m_observer, this);
        m_sessions.push_back(session);
        m_sessionSockets[session] = tcpSocket;
        // Now that the session listens, what came with the upgrade request may be read.
        net::EarlyBytes::replay(tcpSocket);
        // Pending (evictable by newcomers) until the operator's token is checked.
        connect(session, &AdminSession::authenticated, this,
                [tcp = QPointer<QTcpSocket>(tcpSocket)] {
                    net::ConnectionAdmission::markEstablished(tcp.data());
                });
        connect(session, &AdminSession::finished, this, [this, session] {
            std::erase(m_sessions, session);
            m_sessionSockets.erase(session);
            session->deleteLater();
        });
    }
}

void AdminEndpoint::shutdown()
{
    m_server.close();
    const auto sessions = m_sessions;
    for (AdminSession *session : sessions)
        session->closeForShutdown();
}

} // namespace flack::server::admin
