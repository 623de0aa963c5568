#pragma once
// Every setting of flack-server, with its default. Filled by ConfigLoader from the command
// line, FLACK_* environment variables and an INI file, in that order of precedence; read by
// ServerApplication on the main thread at start-up and never changed afterwards.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>

namespace flack::server::app {

struct ServerConfig
{
    // One "host:port" of --peers. The host is a name or an address as written, an IPv6
    // address without its brackets.
    struct PeerAddress
    {
        QString host;
        quint16 port = 0;
        friend bool operator==(const PeerAddress &, const PeerAddress &) = default;
    };

    // The main thread's event loop, chosen before the QCoreApplication exists (see
    // app/eventdispatcherchoice.h): epoll (eventloop::EpollEventDispatcher, Linux only) or
    // Qt's own Unix dispatcher.
    enum class EventDispatcher { Epoll, Qt };
#if defined(Q_OS_LINUX)
    static constexpr EventDispatcher kDefaultEventDispatcher = EventDispatcher::Epoll;
#else
    static constexpr EventDispatcher kDefaultEventDispatcher = EventDispatcher::Qt;
#endif

    quint16 port = 8080;
    QHostAddress bindAddress = QHostAddress::Any;
    QString webRoot;             // empty: the web client compiled into the binary
    int idleTimeoutSeconds = 60; // 0 disables
    qint64 maxMessageBytes = 65536;
    qint64 maxConnections = 10000;
    qint64 maxNameBytes = 256;
    qint64 maxChatsPerConnection = 1000;
    qint64 maxRooms = 100000;
    qint64 maxQueuedBytes = 8 * 1024 * 1024;
    int maxMessagesPerSecond = 20; // per connection; 0 = unlimited
    int messageBurst = 60;
    bool signedUserIds = false; // ids carry an HMAC tag; invented ones are replaced
    QString logLevel = QStringLiteral("info"); // debug, info, warning, error
    EventDispatcher eventDispatcher = kDefaultEventDispatcher;
    // Browser origins besides the web client's own that may open websockets, normalized
    // ("https://chat.example.com"); see net::OriginPolicy.
    QStringList allowedOrigins;
    qint64 maxConnectionsPerAddress = 1000; // one IPv4 address or IPv6 /64, every phase
    qint64 maxPendingConnections = 1000;    // not yet authenticated; newcomers evict the oldest
    int handshakeTimeoutMs = 10000;         // the HTTP request or websocket upgrade head
    int authTimeoutSeconds = 10;            // websocket handshake to `authenticated`
    int coalesceWritesMs = 0;               // see WriteCoalescer; 0: every frame at once
    int threads = 1;                        // 1: all on the main thread; more: workers
    int presenceWindowMs = 250;             // the same for joined/left

    // TLS on the one port (https://, wss://): both files or neither. Empty: plain HTTP.
    QString tlsCertFile;
    QString tlsKeyFile;
    QSslConfiguration tls; // the certificate chain and key read from them at start-up
    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }

    // Cluster. Without --cluster-listen and --peers the server runs alone and ignores the rest.
    QString nodeName;          // empty: "host:port" of the HTTP listener, derived at start-up
    QString clusterListenHost; // name or address as written, IPv6 without brackets
    quint16 clusterListenPort = 0;
    bool clusterListenSet = false;
    QList<PeerAddress> peers; // seeds to dial; may include this node itself
    QByteArray clusterSecret; // shared by all nodes; never printed
    int peerTimeoutMs = 3000; // a peer silent for this long is considered gone
    // Peer links over TLS: with a CA, this node's certificate and key are --cluster-cert and
    // --cluster-key, or --tls-cert and --tls-key when those are not given.
    QString clusterCaFile;
    QString clusterCertFile;
    QString clusterKeyFile;
    QSslConfiguration clusterTls; // read from them at start-up
    bool clusterTlsEnabled() const { return !clusterCaFile.isEmpty(); }

    // Admin endpoint (/admin). Empty: closed, the websocket upgrade is answered 403.
    QByteArray adminToken; // at least 16 bytes when set; never printed

    bool clustered() const { return clusterListenSet || !peers.isEmpty(); }
};

} // namespace flack::server::app
