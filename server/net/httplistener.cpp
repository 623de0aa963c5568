#include "server/net/httplistener.h"

#include "server/net/chatendpoint.h"
#include "server/net/httpconnection.h"
#include "server/net/httpresponse.h"
#include "server/net/socketbuffers.h"

#include <QTcpSocket>

namespace flack::server::net {

namespace {
// Measured (docs/benchmarks.md): 8 KiB keeps the batching that carries 627k deliveries/s at
// p99 ~22 ms, and saves ~5 KB per idle connection against Qt's 32 KiB. 4 KiB saved 3 KB
// more but splits bursts into more write()s and chunk allocations: at the same load p99
// went past 100 ms.
constexpr int kWriteChunkBytes = 8192;
} // namespace

HttpListener::HttpListener(const HttpListenerSettings &settings, ChatEndpoint *chat,
                           QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_chat(chat)
    , m_files(settings.webRoot)
{
    // The kernel's accept queue, not Qt's, absorbs bursts: take everything at once.
    m_server.setMaxPendingConnections(1024);
    // Qt listens with a backlog of 50: a burst of more simultaneous connects overflows the
    // kernel's accept queue and the dropped SYNs are retried only after a second or more.
    // The kernel caps this at net.core.somaxconn.
    m_server.setListenBacklogSize(4096);
    connect(&m_server, &QTcpServer::newConnection, this,
            &HttpListener::onNewConnection);
}

bool HttpListener::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = m_server.errorString();
    return false;
}

void HttpListener::close()
{
    m_server.close();
}

void HttpListener::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        // Nagle + delayed ACK put a ~40 ms floor under every small frame: turn it off.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        setSocketWriteChunkSize(socket, kWriteChunkBytes);
        ++m_openConnections;
        connect(socket, &QObject::destroyed, this, [this] { --m_openConnections; });
        if (m_openConnections > m_settings.maxConnections) {
            refuse(socket);
            continue;
        }
        // Until handed to the chat endpoint, the socket is ours to delete once it's done.
        auto deleteOnDisconnect =
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto *connection = new HttpConnection(socket, &m_files, m_settings.maxHeaderBytes,
                                              m_settings.requestTimeoutMs);
        connect(connection, &HttpConnection::webSocketUpgrade, this,
                [this, deleteOnDisconnect](QTcpSocket *upgraded) {
                    disconnect(deleteOnDisconnect);
                    upgraded->setParent(nullptr);
                    m_chat->accept(upgraded);
                });
    }
}

void HttpListener::refuse(QTcpSocket *socket)
{
    // Existing users are unaffected: the newcomer gets a clear answer and is let go.
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(buildHttpResponse(503, "text/plain; charset=utf-8",
                                    "server is at its connection limit\n", false));
    socket->disconnectFromHost();
}

} // namespace flack::server::net
