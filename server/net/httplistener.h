#pragma once
// The server's one port: accepts TCP connections, sets TCP_NODELAY on each, enforces the
// connection cap (503 beyond it) and gives each new connection an HttpConnection, which
// serves HTTP or passes a /chat-server upgrade on to the ChatEndpoint.
// Lives on the main thread; owned by ServerApplication.

#include "server/net/staticfilestore.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

namespace flack::server::net {

class ChatEndpoint;

struct HttpListenerSettings
{
    QString webRoot = QStringLiteral(":/web"); // a directory, or the compiled-in resources
    qsizetype maxConnections = 10000;
    qsizetype maxHeaderBytes = 16 * 1024;
    int requestTimeoutMs = 10000;
};

class HttpListener : public QObject
{
    Q_OBJECT
public:
    HttpListener(const HttpListenerSettings &settings, ChatEndpoint *chat,
                 QObject *parent = nullptr);

    // False with a readable reason when the address/port can't be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    quint16 port() const { return m_server.serverPort(); }

private:
    void onNewConnection();
    void refuse(QTcpSocket *socket);

    HttpListenerSettings m_settings;
    ChatEndpoint *m_chat;
    StaticFileStore m_files;
    QTcpServer m_server;
    qsizetype m_httpConnections = 0; // accepted sockets not (yet) handed to the chat endpoint
};

} // namespace flack::server::net
