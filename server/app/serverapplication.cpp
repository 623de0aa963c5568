#include "server/app/serverapplication.h"

#include "server/admin/adminendpoint.h"
#include "server/admin/clusterobserver.h"
#include "server/admin/metricshandler.h"
#include "server/admin/nodereporter.h"
#include "server/admin/servermetrics.h"
#include "server/app/eventdispatcherchoice.h"
#include "server/app/unixsignalwatcher.h"
#include "server/cluster/clusterrouter.h"
#include "server/cluster/peermesh.h"
#include "server/net/chatendpoint.h"
#include "server/net/httplistener.h"
#include "server/net/httproutes.h"
#include "server/net/tlscredentials.h"
#include "server/rooms/roomdirectory.h"
#include "server/sessions/useridsigner.h"
#include "server/workers/workerpool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>

namespace flack::server::app {

Q_LOGGING_CATEGORY(lcTls, "flack.tls")

namespace {
// Bounded wait for clients to answer our close frames before exiting anyway.
constexpr int kShutdownGraceMs = 3000;
// Bounded wait for peers to take our Leaving before exiting anyway.
constexpr int kLeaveGraceMs = 1000;

// The paths are fixed in code, so a refused registration is a wiring bug: fail at start-up.
void requireRoute(bool registered, const char *path)
{
    if (!registered)
        qFatal("flack-server: cannot route %s (registered twice?)", path);
}

net::HttpResponse healthResponse()
{
    return {200, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArrayLiteral("ok\n"), {}};
}

void raiseOpenFileLimit()
{
    // Every connection is a file descriptor; the soft limit (often 1024) would cap users long
    // before --max-connections does.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}
} // namespace

ServerApplication::ServerApplication(const ServerConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{
    applyLogLevel();
    raiseOpenFileLimit();

    m_metrics = std::make_unique<admin::ServerMetrics>();
    m_directory = std::make_unique<rooms::RoomDirectory>(m_config.maxRooms);
    m_directory->setMetrics(m_metrics.get());

    net::ChatEndpointSettings chatSettings;
    chatSettings.limits.maxMessageBytes = m_config.maxMessageBytes;
    chatSettings.limits.maxMessagesPerSecond = m_config.maxMessagesPerSecond;
    chatSettings.limits.messageBurst = m_config.messageBurst;
    if (m_config.signedUserIds)
        chatSettings.userIds = std::make_shared<const sessions::UserIdSigner>(
            m_config.clustered() ? m_config.clusterSecret : QByteArray());
    chatSettings.idleTimeoutSeconds = m_config.idleTimeoutSeconds;
    chatSettings.authTimeoutMs = m_config.authTimeoutSeconds * 1000;
    chatSettings.coalesceWritesMs = m_config.coalesceWritesMs;
    chatSettings.presenceWindowMs = m_config.presenceWindowMs;
    chatSettings.limits.maxNameBytes = m_config.maxNameBytes;
    chatSettings.limits.maxChatsPerConnection = m_config.maxChatsPerConnection;
    chatSettings.limits.maxQueuedBytes = m_config.maxQueuedBytes;
    if (m_config.threads > 1) {
        const ServerConfig::EventDispatcher loop = m_config.eventDispatcher;
        m_workers = std::make_unique<workers::WorkerPool>(
            m_config.threads, chatSettings, m_directory.get(), m_metrics.get(),
            [loop] { return EventDispatcherChoice::create(loop); });
        // The stand-ins of the workers' connections keep the workers' id series; this is
        // the one left.
        m_directory->connections().setIdSeries(0, quint64(m_config.threads) + 1);
    } else {
        m_chat = std::make_unique<net::ChatEndpoint>(chatSettings, m_directory.get());
    }

    net::HttpListenerSettings httpSettings;
    if (!m_config.webRoot.isEmpty())
        httpSettings.webRoot = m_config.webRoot;
    httpSettings.maxConnections = m_config.maxConnections;
    httpSettings.allowedOrigins = m_config.allowedOrigins;
    httpSettings.maxConnectionsPerAddress = m_config.maxConnectionsPerAddress;
    httpSettings.maxPendingConnections = m_config.maxPendingConnections;
    httpSettings.requestTimeoutMs = m_config.handshakeTimeoutMs;
    if (m_config.tlsEnabled())
        httpSettings.tls = m_config.tls;
    m_reporter = std::make_unique<admin::NodeReporter>(m_directory.get(), nullptr, [this] {
        const admin::MetricsSnapshot values = m_metrics->snapshot();
        return admin::NodeReporter::Counters{qint64(values.messagesIn), qint64(values.messagesOut),
                                             qint64(values.deliveries)};
    });
    m_observer = std::make_unique<admin::ClusterObserver>(
        m_reporter.get(), &m_directory->connections(), m_metrics.get());
    m_admin = std::make_unique<admin::AdminEndpoint>(m_config.adminToken, m_observer.get());
    m_listener = std::make_unique<net::HttpListener>(httpSettings, buildRoutes());

    m_signals = std::make_unique<UnixSignalWatcher>();
    connect(m_signals.get(), &UnixSignalWatcher::terminationRequested, this,
            &ServerApplication::stop);
    connect(m_signals.get(), &UnixSignalWatcher::reloadRequested, this,
            &ServerApplication::reloadTls);
}

ServerApplication::~ServerApplication()
{
    // Sessions first (they leave rooms, which may tell other nodes), then the listener, then
    // the cluster, then the rooms themselves.
    m_chat.reset();
    m_workers.reset();
    m_admin.reset();
    m_listener.reset();
    m_observer.reset();
    m_reporter.reset();
    m_directory->setRouter(nullptr);
    m_router.reset();
    m_mesh.reset();
    m_directory.reset();
}

bool ServerApplication::start(QString *error)
{
    if (!m_listener->listen(m_config.bindAddress, m_config.port, error)) {
        *error = QStringLiteral("cannot listen on %1 port %2: %3")
                     .arg(m_config.bindAddress.toString())
                     .arg(m_config.port)
                     .arg(*error);
        return false;
    }
    const bool anyAddress = m_config.bindAddress == QHostAddress(QHostAddress::Any) ||
                            m_config.bindAddress == QHostAddress(QHostAddress::AnyIPv4) ||
                            m_config.bindAddress == QHostAddress(QHostAddress::AnyIPv6);
    QString host = anyAddress ? QStringLiteral("localhost") : m_config.bindAddress.toString();
    if (m_config.bindAddress.protocol() == QAbstractSocket::IPv6Protocol && !anyAddress)
        host = QStringLiteral("[%1]").arg(host);
    const QString base = QStringLiteral("%1:%2").arg(host).arg(m_listener->port());
    const quint64 incarnation = quint64(QDateTime::currentMSecsSinceEpoch());
    const QString name = m_config.nodeName.isEmpty() ? base : m_config.nodeName;
    m_directory->connections().setNode(name, incarnation);
    if (m_workers)
        m_workers->start(name, incarnation);
    m_reporter->setIdentity(name, qint64(incarnation), base);
    if (m_config.clustered() && !startCluster(name, incarnation, error))
        return false;
    const bool tls = m_config.tlsEnabled();
    std::printf("flack-server %s serving %s://%s/ (chat websocket: %s://%s/chat-server)\n",
                FLACK_VERSION, tls ? "https" : "http", qPrintable(base), tls ? "wss" : "ws",
                qPrintable(base));
    std::fflush(stdout);
    return true;
}

void ServerApplication::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_listener->close();
    QTimer::singleShot(kShutdownGraceMs, this, &ServerApplication::exitAfterLeaving);
    m_admin->shutdown();
    if (m_workers) {
        connect(m_workers.get(), &workers::WorkerPool::drained, this,
                &ServerApplication::exitAfterLeaving);
        m_workers->shutdown();
    } else {
        connect(m_chat.get(), &net::ChatEndpoint::drained, this,
                &ServerApplication::exitAfterLeaving);
        m_chat->shutdown();
    }
}

void ServerApplication::exitAfterLeaving()
{
    // Our users' lefts went out as their sessions closed; now tell the peers we are going, so
    // they re-home our chats at once instead of waiting for the timeout.
    if (!m_mesh)
        return QCoreApplication::exit(0);
    connect(m_mesh.get(), &cluster::PeerMesh::left, this, [] { QCoreApplication::exit(0); });
    QTimer::singleShot(kLeaveGraceMs, this, [] { QCoreApplication::exit(0); });
    m_mesh->leave();
}

void ServerApplication::reloadTls()
{
    if (!m_config.tlsEnabled() && !m_config.clusterTlsEnabled()) {
        qCInfo(lcTls) << "SIGHUP: no TLS configured, nothing to reload";
        return;
    }
    const auto expiry = [](const QSslConfiguration &configuration) {
        return configuration.localCertificate().expiryDate().toUTC().toString(Qt::ISODate);
    };
    if (m_config.tlsEnabled()) {
        QSslConfiguration renewed;
        const QString problem =
            net::loadServerTls(m_config.tlsCertFile, m_config.tlsKeyFile, &renewed);
        if (!problem.isEmpty()) {
            qCWarning(lcTls).noquote() << "reload failed, the current certificate stays in use:"
                                       << problem;
        } else {
            m_config.tls = renewed;
            m_listener->renewTls(renewed);
            qCInfo(lcTls).noquote() << "reloaded the certificate" << m_config.tlsCertFile
                                    << "and its key; it expires" << expiry(renewed);
        }
    }
    if (m_config.clusterTlsEnabled() && m_mesh) {
        QSslConfiguration renewed;
        const QString problem = net::loadPeerTls(m_config.clusterCaFile, m_config.clusterCertFile,
                                                 m_config.clusterKeyFile, &renewed);
        if (!problem.isEmpty()) {
            qCWarning(lcTls).noquote()
                << "peer links: reload failed, the current certificate stays in use:" << problem;
        } else {
            m_config.clusterTls = renewed;
            m_mesh->renewTls(renewed);
            qCInfo(lcTls).noquote() << "peer links: reloaded the certificate"
                                    << m_config.clusterCertFile << "and the cluster CA"
                                    << m_config.clusterCaFile << "; it expires" << expiry(renewed);
        }
    }
}

bool ServerApplication::startCluster(const QString &name, quint64 incarnation, QString *error)
{
    cluster::PeerMeshSettings settings;
    settings.link.secret = m_config.clusterSecret;
    settings.link.peerTimeoutMs = m_config.peerTimeoutMs;
    if (m_config.clusterTlsEnabled())
        settings.link.tls = m_config.clusterTls;
    // Heartbeats well inside the timeout: a few may be lost before a peer counts as gone.
    settings.link.heartbeatIntervalMs = std::max(20, m_config.peerTimeoutMs / 4);
    settings.link.handshakeTimeoutMs = std::max(1000, m_config.peerTimeoutMs);
    // A frame carries one chat message at most plus its envelope.
    settings.link.maxFrameBytes =
        std::max<qsizetype>(16 * 1024 * 1024, 3 * qsizetype(m_config.maxMessageBytes));
    settings.listenHost = m_config.clusterListenHost;
    settings.listenPort = m_config.clusterListenPort;
    for (const ServerConfig::PeerAddress &peer : m_config.peers)
        settings.seeds.append({peer.host, peer.port});
    settings.reconnectMaxMs = std::max(200, m_config.peerTimeoutMs / 2);
    settings.gossipIntervalMs = settings.link.heartbeatIntervalMs;
    m_mesh = std::make_unique<cluster::PeerMesh>(settings);
    if (!m_mesh->listen(error)) {
        *error = QStringLiteral("cannot listen for cluster peers on %1 port %2: %3")
                     .arg(m_config.clusterListenHost)
                     .arg(m_config.clusterListenPort)
                     .arg(*error);
        return false;
    }
    const QString host = m_config.clusterListenHost.contains(u':')
                             ? u'[' + m_config.clusterListenHost + u']'
                             : m_config.clusterListenHost;
    settings.link.self = {name, incarnation,
                          QStringLiteral("%1:%2").arg(host).arg(m_mesh->listenPort())};
    m_mesh->setSelf(settings.link.self);

    // Long enough for the nodes' reports after one change (they notice a silent death up to a
    // heartbeat apart), short against the failover budget of timeout + 1 s. A report later
    // than this is merged into the running chat all the same.
    const int recoveryWindowMs = std::clamp(m_config.peerTimeoutMs / 4, 20, 500);
    m_router =
        std::make_unique<cluster::ClusterRouter>(m_directory.get(), m_mesh.get(), recoveryWindowMs);
    m_directory->setRouter(m_router.get());
    connect(m_mesh.get(), &cluster::PeerMesh::liveNodesChanged, m_router.get(),
            &cluster::ClusterRouter::setLiveNodes);
    // Chat messages to the router, the admin view's to the observer.
    connect(m_mesh.get(), &cluster::PeerMesh::messageReceived, this,
            [this](const QString &node, quint8 type, const QByteArray &payload) {
                if (type >= cluster::kFirstAdminMessageType)
                    m_observer->handleMessage(node, type, payload);
                else
                    m_router->handleMessage(node, type, payload);
            });
    m_observer->setCluster(m_mesh.get(), [this] { return m_mesh->liveNodes(); });
    m_reporter->setLinks([this] {
        QList<protocol::LinkInfo> links;
        for (const cluster::PeerStatus &peer : m_mesh->peers())
            links.append({peer.name, protocol::LinkState::Up, peer.roundTripMs});
        return links;
    });
    m_mesh->start();
    std::printf("flack-server node %s (incarnation %llu) clustering on %s%s\n", qPrintable(name),
                static_cast<unsigned long long>(incarnation),
                qPrintable(settings.link.self.clusterAddress),
                m_config.clusterTlsEnabled() ? " (TLS)" : "");
    return true;
}

net::HttpRoutes ServerApplication::buildRoutes() const
{
    net::HttpRoutes routes;
    requireRoute(routes.addWebSocketEndpoint(QByteArrayLiteral("/chat-server"), chatEndpoint()),
                 "/chat-server");
    requireRoute(routes.addGetHandler(QByteArrayLiteral("/healthz"), healthResponse), "/healthz");
    requireRoute(routes.addWebSocketEndpoint(QByteArrayLiteral("/admin"), m_admin.get()), "/admin");
    // The node's name and its mesh exist only once the cluster started: asked at each scrape.
    auto metrics = std::make_shared<admin::MetricsHandler>(
        m_metrics.get(), QStringLiteral(FLACK_VERSION), [this] { return m_directory->localNode(); },
        [this] {
            QList<admin::MetricsHandler::UpLink> links;
            if (m_mesh) {
                for (const cluster::PeerStatus &peer : m_mesh->peers())
                    links.append({peer.name, peer.roundTripMs});
            }
            return links;
        });
    requireRoute(routes.addGetHandler(QByteArrayLiteral("/metrics"),
                                      [metrics] { return metrics->respond(); }),
                 "/metrics");
    return routes;
}

net::WebSocketEndpoint *ServerApplication::chatEndpoint() const
{
    if (m_workers)
        return m_workers.get();
    return m_chat.get();
}

void ServerApplication::applyLogLevel()
{
    // Levels below the chosen one are filtered for our categories and Qt's alike.
    QString rules;
    const QString &level = m_config.logLevel;
    if (level != u"debug")
        rules += QStringLiteral("*.debug=false\n");
    if (level == u"warning" || level == u"error")
        rules += QStringLiteral("*.info=false\n");
    if (level == u"error")
        rules += QStringLiteral("*.warning=false\n");
    QLoggingCategory::setFilterRules(rules);
}

} // namespace flack::server::app
