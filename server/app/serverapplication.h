#pragma once
// Wires the server together at start-up and takes it down on SIGINT/SIGTERM: the room
// directory, the chat endpoint, the HTTP listener and the signal watcher. No singletons:
// everything hangs off this object. Lives on the main thread; created by main().

#include "server/app/serverconfig.h"

#include <QObject>

#include <memory>

namespace flack::server::admin {
class ServerMetrics;
}
namespace flack::server::rooms {
class RoomDirectory;
}
namespace flack::server::cluster {
class ClusterRouter;
class PeerMesh;
} // namespace flack::server::cluster
namespace flack::server::admin {
class AdminEndpoint;
class ClusterObserver;
class NodeReporter;
} // namespace flack::server::admin
namespace flack::server::net {
class ChatEndpoint;
class HttpListener;
class HttpRoutes;
class WebSocketEndpoint;
} // namespace flack::server::net
namespace flack::server::workers {
class WorkerPool;
}

namespace flack::server::app {

class UnixSignalWatcher;

class ServerApplication : public QObject
{
    Q_OBJECT
public:
    explicit ServerApplication(const ServerConfig &config, QObject *parent = nullptr);
    ~ServerApplication() override;

    // Binds the port and prints the start-up line. False with a one-line reason otherwise.
    bool start(QString *error);
    // Closes every websocket with 1001 and quits the event loop with exit code 0.
    void stop();

private:
    void applyLogLevel();
    // Joins the cluster once the HTTP port is known (it names the node by default).
    bool startCluster(const QString &name, quint64 incarnation, QString *error);
    void exitAfterLeaving();
    // SIGHUP: the TLS certificates and keys are read again from their files; new connections
    // (and new peer links) use them. A file that doesn't load leaves the current ones in use.
    void reloadTls();
    // What the one port serves besides the static files: websocket endpoints and GET handlers.
    net::HttpRoutes buildRoutes() const;
    // Whichever of m_chat and m_workers carries the chat connections.
    net::WebSocketEndpoint *chatEndpoint() const;

    ServerConfig m_config;
    // First in, last out: sessions and rooms update it until they are gone.
    std::unique_ptr<admin::ServerMetrics> m_metrics;
    std::unique_ptr<rooms::RoomDirectory> m_directory;
    // Chat connections: on this thread (m_chat), or with --threads 2 or more on worker threads
    // (m_workers); one of the two.
    std::unique_ptr<net::ChatEndpoint> m_chat;
    std::unique_ptr<workers::WorkerPool> m_workers;
    // The admin view: this node's report, the whole cluster's, and the /admin endpoint.
    std::unique_ptr<admin::NodeReporter> m_reporter;
    std::unique_ptr<admin::ClusterObserver> m_observer;
    std::unique_ptr<admin::AdminEndpoint> m_admin;
    std::unique_ptr<net::HttpListener> m_listener;
    std::unique_ptr<UnixSignalWatcher> m_signals;
    // Only when clustered: the links to the other nodes and the chats' placement over them.
    std::unique_ptr<cluster::PeerMesh> m_mesh;
    std::unique_ptr<cluster::ClusterRouter> m_router;
    bool m_stopping = false;
};

} // namespace flack::server::app
