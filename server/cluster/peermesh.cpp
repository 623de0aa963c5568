#include "server/cluster/peermesh.h"

#include "server/cluster/clustermessage.h"

#include <QLoggingCategory>
#include <QTcpSocket>

#include <algorithm>

namespace flack::server::cluster {

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace {
QString targetKey(const QString &host, quint16 port)
{
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                               : QStringLiteral("%1:%2").arg(host).arg(port);
}

// "host:port" or "[v6]:port" as gossiped; false when it isn't one.
bool splitAddress(const QString &address, QString *host, quint16 *port)
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint number = address.mid(colon + 1).toUInt(&ok);
    if (!ok || number == 0 || number > 65535)
        return false;
    QString h = address.left(colon);
    if (h.startsWith(u'[') && h.endsWith(u']'))
        h = h.mid(1, h.size() - 2);
    if (h.isEmpty())
        return false;
    *host = h;
    *port = quint16(number);
    return true;
}

QString departedKey(const PeerIdentity &peer)
{
    return peer.name + u'#' + QString::number(peer.incarnation);
}
} // namespace

PeerMesh::PeerMesh(const PeerMeshSettings &settings, QObject *parent)
    : QObject(parent), m_settings(settings)
{
    m_server.setMaxPendingConnections(int(kMaxPendingInbound));
    if (m_settings.link.tls)
        m_server.setTls(*m_settings.link.tls);
    connect(&m_server, &QTcpServer::newConnection, this, &PeerMesh::onIncoming);
    m_gossipTimer.setInterval(m_settings.gossipIntervalMs);
    connect(&m_gossipTimer, &QTimer::timeout, this, &PeerMesh::gossipToAll);
}

PeerMesh::~PeerMesh()
{
    const auto links = std::exchange(m_links, {});
    for (PeerLink *link : links) {
        disconnect(link, nullptr, this, nullptr);
        delete link;
    }
    for (const DialTarget &target : std::as_const(m_targets))
        delete target.retry;
}

void PeerMesh::renewTls(const QSslConfiguration &configuration)
{
    if (!m_settings.link.tls)
        return;
    m_settings.link.tls = configuration;
    m_server.setTls(configuration);
}

bool PeerMesh::listen(QString *error)
{
    QHostAddress address;
    if (m_settings.listenHost == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(m_settings.listenHost))
        address = QHostAddress(QHostAddress::Any);
    if (m_server.listen(address, m_settings.listenPort))
        return true;
    *error = m_server.errorString();
    return false;
}

void PeerMesh::start()
{
    for (const auto &[host, port] : std::as_const(m_settings.seeds))
        addDialTarget(host, port);
    m_gossipTimer.start();
}

void PeerMesh::leave()
{
    m_leaving = true;
    m_gossipTimer.stop();
    m_server.close();
    if (m_links.isEmpty()) {
        Q_EMIT left();
        return;
    }
    const auto links = m_links;
    for (PeerLink *link : links) {
        if (link->state() == PeerLink::State::Up)
            link->leave();
        else
            link->close(QStringLiteral("this node is stopping"));
    }
}

bool PeerMesh::sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload)
{
    PeerLink *link = m_peers.value(node);
    return link && link->send(quint8(type), payload);
}

QList<PeerStatus> PeerMesh::peers() const
{
    QList<PeerStatus> list;
    for (const PeerLink *link : m_peers) {
        const PeerIdentity peer = link->peer();
        list.append({peer.name, peer.incarnation, peer.clusterAddress, link->roundTripMs()});
    }
    return list;
}

bool PeerMesh::isSelfAddress(const QString &host, quint16 port) const
{
    return targetKey(host, port) == m_settings.link.self.clusterAddress ||
           (port == listenPort() && (host == m_settings.listenHost));
}

void PeerMesh::onIncoming()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Unauthenticated links cost a handshake and its deadline each: bound them.
        const auto pending = std::count_if(m_links.begin(), m_links.end(), [](PeerLink *link) {
            return link->state() != PeerLink::State::Up;
        });
        if (m_leaving || pending >= kMaxPendingInbound) {
            qCWarning(lcCluster).noquote()
                << "refusing peer connection from" << socket->peerAddress().toString()
                << ": too many handshakes";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        adopt(new PeerLink(socket, m_settings.link, this));
    }
}

void PeerMesh::adopt(PeerLink *link)
{
    m_links.insert(link);
    connect(link, &PeerLink::up, this, [this, link] { onLinkUp(link); });
    connect(link, &PeerLink::down, this,
            [this, link](const QString &reason) { onLinkDown(link, reason); });
    connect(link, &PeerLink::peerLeaving, this,
            [this, link] { m_departed.insert(departedKey(link->peer())); });
    connect(link, &PeerLink::frameReceived, this,
            [this, link](quint8 type, const QByteArray &payload) { onFrame(link, type, payload); });
}

void PeerMesh::onLinkUp(PeerLink *link)
{
    const PeerIdentity peer = link->peer();
    quint64 &highest = m_highestIncarnation[peer.name];
    if (peer.incarnation < highest || m_departed.contains(departedKey(peer))) {
        qCWarning(lcCluster).noquote()
            << "refusing node" << peer.name << "from" << link->remoteAddress()
            << ": stale incarnation" << peer.incarnation;
        link->close(QStringLiteral("stale incarnation"));
        Q_EMIT peerRefused(peer.name, peer.incarnation, QStringLiteral("stale incarnation"));
        return;
    }
    // Two nodes may dial each other at once. Of each pair the smaller name chooses the link
    // (the first that comes up) and confirms it with its gossip; the larger one uses a link
    // only once that gossip came on it. So neither side ever sends on a link the other is
    // about to close, and nothing is lost or reordered between two links.
    if (selfName() > peer.name)
        return; // pending until the peer's gossip confirms it (onFrame)
    registerLink(link, /*confirmed=*/false);
}

void PeerMesh::registerLink(PeerLink *link, bool confirmed)
{
    const PeerIdentity peer = link->peer();
    quint64 &highest = m_highestIncarnation[peer.name];
    PeerLink *existing = m_peers.value(peer.name);
    if (existing && existing->peer().incarnation == peer.incarnation) {
        if (!confirmed) {
            link->close(QStringLiteral("duplicate link"));
            return;
        }
        // The peer chose this one: the other goes quietly, the node never went down.
        m_peers.insert(peer.name, link);
        existing->close(QStringLiteral("duplicate link"));
        return;
    }
    if (existing) {
        // A restart: the old incarnation is gone, the new one is a new member.
        qCInfo(lcCluster).noquote()
            << "node" << peer.name << "restarted (incarnation" << peer.incarnation << ")";
        m_peers.remove(peer.name);
        existing->close(QStringLiteral("replaced by a newer incarnation"));
        announce();
    }
    highest = peer.incarnation;
    m_peers.insert(peer.name, link);
    qCInfo(lcCluster).noquote() << "node" << peer.name << "up at" << link->remoteAddress();
    // Learn its address, so we redial it if the link breaks.
    QString host;
    quint16 port = 0;
    if (splitAddress(peer.clusterAddress, &host, &port))
        addDialTarget(host, port);
    // Gossip first: for a larger-named peer it confirms the link, and must come before
    // anything the chat layer sends once it hears of the node (announce()).
    sendGossip(link);
    announce();
    gossipToAll();
}

void PeerMesh::onLinkDown(PeerLink *link, const QString &reason)
{
    m_links.remove(link);
    link->deleteLater();
    for (auto it = m_targets.begin(); it != m_targets.end(); ++it) {
        if (it->link == link) {
            it->link = nullptr;
            // A seed that turned out to be this very node is not dialed again.
            if (link->peer().name == selfName() && !selfName().isEmpty()) {
                delete it->retry;
                m_targets.erase(it);
            } else if (!m_leaving) {
                scheduleRedial(it.key());
            }
            break;
        }
    }
    const PeerIdentity peer = link->peer();
    if (m_peers.value(peer.name) == link) {
        m_peers.remove(peer.name);
        qCInfo(lcCluster).noquote() << "node" << peer.name << "down:" << reason;
        announce();
        // Dial it again: a partition heals, a restarted node comes back.
        QString host;
        quint16 port = 0;
        if (!m_leaving && splitAddress(peer.clusterAddress, &host, &port))
            addDialTarget(host, port);
    }
    if (m_leaving && m_links.isEmpty())
        Q_EMIT left();
}

void PeerMesh::onFrame(PeerLink *link, quint8 type, const QByteArray &payload)
{
    const QString node = link->peer().name;
    if (m_peers.value(node) != link) {
        // The smaller-named peer's gossip on a link confirms it as the one to use.
        const bool confirmation = type == quint8(ClusterMessageType::Gossip) && selfName() > node &&
                                  link->state() == PeerLink::State::Up && m_links.contains(link);
        if (!confirmation)
            return; // a duplicate being closed, or a stale incarnation
        registerLink(link, /*confirmed=*/true);
        if (m_peers.value(node) != link)
            return;
    }
    if (type != quint8(ClusterMessageType::Gossip)) {
        Q_EMIT messageReceived(node, type, payload);
        return;
    }
    const auto members = decodeGossip(payload);
    if (!members) {
        qCWarning(lcCluster).noquote() << "malformed gossip from" << node << "ignored";
        return;
    }
    for (const GossipMember &member : *members) {
        if (member.name == selfName() || m_peers.contains(member.name))
            continue;
        if (member.incarnation < m_highestIncarnation.value(member.name))
            continue;
        QString host;
        quint16 port = 0;
        if (splitAddress(member.address, &host, &port))
            addDialTarget(host, port);
    }
}

void PeerMesh::addDialTarget(const QString &host, quint16 port)
{
    if (m_leaving || isSelfAddress(host, port))
        return;
    const QString key = targetKey(host, port);
    if (m_targets.contains(key)) {
        DialTarget &target = m_targets[key];
        if (!target.link && target.retry && !target.retry->isActive())
            dial(key);
        return;
    }
    if (m_targets.size() >= kMaxTargets)
        return;
    DialTarget target;
    target.host = host;
    target.port = port;
    target.backoffMs = m_settings.reconnectMinMs;
    target.retry = new QTimer;
    target.retry->setSingleShot(true);
    connect(target.retry, &QTimer::timeout, this, [this, key] { dial(key); });
    m_targets.insert(key, target);
    dial(key);
}

void PeerMesh::dial(const QString &key)
{
    auto found = m_targets.find(key);
    if (found == m_targets.end() || found->link || m_leaving)
        return;
    // No need to dial a node that is up already at that address.
    for (const PeerLink *link : std::as_const(m_peers)) {
        if (link->peer().clusterAddress == key)
            return;
    }
    PeerLink *link = PeerLink::dial(found->host, found->port, m_settings.link, this);
    found->link = link;
    adopt(link);
    connect(link, &PeerLink::up, this, [this, key] {
        if (m_targets.contains(key))
            m_targets[key].backoffMs = m_settings.reconnectMinMs;
    });
}

void PeerMesh::scheduleRedial(const QString &key)
{
    DialTarget &target = m_targets[key];
    target.retry->start(target.backoffMs);
    target.backoffMs = std::min(target.backoffMs * 2, m_settings.reconnectMaxMs);
}

void PeerMesh::sendGossip(PeerLink *link)
{
    QList<GossipMember> members;
    members.append(
        {selfName(), m_settings.link.self.incarnation, m_settings.link.self.clusterAddress});
    for (const PeerLink *peer : std::as_const(m_peers)) {
        const PeerIdentity identity = peer->peer();
        members.append({identity.name, identity.incarnation, identity.clusterAddress});
    }
    link->send(quint8(ClusterMessageType::Gossip), encodeGossip(members));
}

void PeerMesh::gossipToAll()
{
    const auto peers = m_peers;
    for (PeerLink *link : peers)
        sendGossip(link);
}

void PeerMesh::announce()
{
    Q_EMIT liveNodesChanged(m_peers.keys());
}

} // namespace flack::server::cluster
