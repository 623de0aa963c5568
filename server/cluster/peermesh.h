#pragma once
// The cluster's membership: one authenticated PeerLink to every other live node, learned by
// gossip from any one seed. Listens for peers, dials seeds and every address it hears of
// (reconnecting with back-off), keeps exactly one link per node (when two nodes dial each other
// at once, the link dialed by the smaller name stays), refuses stale incarnations and
// incarnations that announced they were leaving, and tells the chat layer which nodes are live
// and what they send. Lives on the main thread; owned by ServerApplication.

#include "server/cluster/peerlink.h"
#include "server/cluster/peertransport.h"
#include "server/net/tlsaccept.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace flack::server::cluster {

struct PeerMeshSettings
{
    PeerLinkSettings link; // link.self names this node and the address it advertises
    QString listenHost;    // where peers dial us
    quint16 listenPort = 0;
    QList<std::pair<QString, quint16>> seeds;
    int reconnectMinMs = 100;
    int reconnectMaxMs = 2000;
    int gossipIntervalMs = 1000;
};

// One peer as the mesh sees it, for status displays.
struct PeerStatus
{
    QString name;
    quint64 incarnation = 0;
    QString address;
    int roundTripMs = -1;
};

class PeerMesh : public QObject, public PeerTransport
{
    Q_OBJECT
public:
    explicit PeerMesh(const PeerMeshSettings &settings, QObject *parent = nullptr);
    ~PeerMesh() override;

    // Binds the cluster port; false with a reason.
    bool listen(QString *error);
    quint16 listenPort() const { return m_server.serverPort(); }
    // Who this node is, once its cluster port is known (before start()).
    void setSelf(const PeerIdentity &self) { m_settings.link.self = self; }
    // The links' renewed TLS configuration (the node's certificate and key, the cluster CA):
    // links made from now on use it, the ones up keep theirs. Ignored without TLS.
    void renewTls(const QSslConfiguration &configuration);
    // Starts dialing the seeds.
    void start();
    // Graceful stop: every link says Leaving; left() once they are all closed.
    void leave();

    // PeerTransport
    bool sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload) override;

    // Names of the peers up now (this node not included).
    QStringList liveNodes() const { return m_peers.keys(); }
    QList<PeerStatus> peers() const;
    QString selfName() const { return m_settings.link.self.name; }

Q_SIGNALS:
    void liveNodesChanged(const QStringList &peers);
    // A node was refused at link-up (stale or departed incarnation); logged too.
    void peerRefused(const QString &node, quint64 incarnation, const QString &reason);
    void messageReceived(const QString &node, quint8 type, const QByteArray &payload);
    void left();

private:
    struct DialTarget
    {
        QString host;
        quint16 port = 0;
        int backoffMs = 0;
        PeerLink *link = nullptr; // the attempt in progress
        QTimer *retry = nullptr;
    };

    void onIncoming();
    void adopt(PeerLink *link);
    void onLinkUp(PeerLink *link);
    // Makes an authenticated link the node's link (confirmed: the peer chose it).
    void registerLink(PeerLink *link, bool confirmed);
    void onLinkDown(PeerLink *link, const QString &reason);
    void onFrame(PeerLink *link, quint8 type, const QByteArray &payload);
    void addDialTarget(const QString &host, quint16 port);
    void dial(const QString &key);
    void scheduleRedial(const QString &key);
    void sendGossip(PeerLink *link);
    void gossipToAll();
    void announce();
    bool isSelfAddress(const QString &host, quint16 port) const;

    PeerMeshSettings m_settings;
    net::TlsTcpServer m_server; // accepts QSslSockets when the links run over TLS
    QTimer m_gossipTimer;
    QSet<PeerLink *> m_links;                     // every link, up or not
    QHash<QString, PeerLink *> m_peers;           // up links by node name
    QHash<QString, quint64> m_highestIncarnation; // by node name
    QSet<QString> m_departed;                     // "name#incarnation" that said they were leaving
    QHash<QString, DialTarget> m_targets;         // by "host:port"
    bool m_leaving = false;
    static constexpr qsizetype kMaxTargets = 1024;
    static constexpr qsizetype kMaxPendingInbound = 64;
};

} // namespace flack::server::cluster
