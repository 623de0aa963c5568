#include "tests/support/fakeadminserver.h"

#include <QWebSocket>

#include <variant>

namespace flack::testing {

using namespace flack::protocol;

FakeAdminServer::FakeAdminServer(QObject *parent)
    : QObject(parent), m_server(QStringLiteral("fake-admin"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeAdminServer::onNewConnection);
}

FakeAdminServer::~FakeAdminServer()
{
    close();
}

bool FakeAdminServer::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

void FakeAdminServer::close()
{
    dropClients(true);
    m_server.close();
}

QUrl FakeAdminServer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/admin").arg(m_server.serverPort()));
}

quint16 FakeAdminServer::port() const
{
    return m_server.serverPort();
}

void FakeAdminServer::onNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_clients.append(socket);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.removeOne(socket);
            m_signedIn.removeOne(socket);
            socket->deleteLater();
        });
    }
}

void FakeAdminServer::onText(QWebSocket *socket, const QString &text)
{
    const AdminClientDecodeResult decoded = decodeAdminClientRecord(text.toUtf8());
    const auto refuse = [socket](AdminErrorCode code, const QString &reason) {
        socket->sendTextMessage(QString::fromUtf8(encodeAdminError({code, reason})));
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated);
    };
    if (!decoded.ok) {
        refuse(decoded.error, decoded.reason);
        return;
    }
    const bool signedIn = m_signedIn.contains(socket);
    if (const auto *hello = std::get_if<AdminHello>(&decoded.record)) {
        m_hellos.append(*hello);
        emit helloReceived(*hello);
        if (signedIn) {
            refuse(AdminErrorCode::Malformed, QStringLiteral("admin_hello twice"));
        } else if (hello->token != m_token) {
            refuse(AdminErrorCode::WrongToken, {});
        } else {
            m_signedIn.append(socket);
            socket->sendTextMessage(QString::fromUtf8(
                m_helloReply.isEmpty() ? encodeClusterSnapshot(m_snapshot) : m_helloReply));
        }
        return;
    }
    const KickUser kick = std::get<KickUser>(decoded.record);
    if (!signedIn) {
        refuse(AdminErrorCode::Malformed, QStringLiteral("kick_user before admin_hello"));
        return;
    }
    m_kicks.append(kick);
    emit kickReceived(kick);
    if (!m_answerKicks)
        return;
    bool known = false;
    for (const UserInfo &user : std::as_const(m_snapshot.users))
        known = known || user.connectionId == kick.connectionId;
    const bool ok = m_kickOk && known;
    const QString reason = ok          ? QString()
                           : !m_kickOk ? m_kickFailReason
                                       : QStringLiteral("no such connection");
    socket->sendTextMessage(QString::fromUtf8(encodeKickResult({kick.connectionId, ok, reason})));
    if (ok) {
        ClusterUpdate update = emptyUpdate();
        update.usersRemoved = {kick.connectionId};
        sendUpdate(update);
    }
}

ClusterUpdate FakeAdminServer::emptyUpdate() const
{
    ClusterUpdate update;
    update.node = m_snapshot.node;
    update.time = m_snapshot.time;
    update.nodes = m_snapshot.nodes;
    update.unreachable = m_snapshot.unreachable;
    return update;
}

void FakeAdminServer::apply(const ClusterUpdate &update)
{
    m_snapshot.node = update.node;
    m_snapshot.time = update.time;
    m_snapshot.nodes = update.nodes;
    m_snapshot.unreachable = update.unreachable;
    const auto upsert = [](auto &list, const auto &changed, const QStringList &removed,
                           auto keyOf) {
        list.removeIf([&](const auto &item) { return removed.contains(keyOf(item)); });
        for (const auto &item : changed) {
            bool replaced = false;
            for (auto &held : list) {
                if (keyOf(held) == keyOf(item)) {
                    held = item;
                    replaced = true;
                }
            }
            if (!replaced)
                list.append(item);
        }
    };
    upsert(m_snapshot.chats, update.chatsChanged, update.chatsRemoved,
           [](const ChatInfo &chat) { return chat.name; });
    upsert(m_snapshot.users, update.usersChanged, update.usersRemoved,
           [](const UserInfo &user) { return user.connectionId; });
}

void FakeAdminServer::sendUpdate(const ClusterUpdate &update)
{
    apply(update);
    sendRaw(encodeClusterUpdate(update));
}

void FakeAdminServer::sendRaw(const QByteArray &text)
{
    for (QWebSocket *socket : std::as_const(m_signedIn))
        socket->sendTextMessage(QString::fromUtf8(text));
}

void FakeAdminServer::dropClients(bool abort)
{
    const QList<QWebSocket *> clients = std::exchange(m_clients, {});
    m_signedIn.clear();
    for (QWebSocket *socket : clients) {
        socket->disconnect(this);
        if (abort)
            socket->abort();
        else
            socket->close(QWebSocketProtocol::CloseCodeGoingAway);
        socket->deleteLater();
    }
}

} // namespace flack::testing
