#pragma once
// TLS on the one port. Two parts:
// - TlsTcpServer: a QTcpServer whose accepted sockets are QSslSockets, still unencrypted, when
//   given a TLS configuration (plain QTcpSockets otherwise). Qt 6.4's QSslServer is not used:
//   it keeps each socket to itself until its handshake has finished, so a socket mid-handshake
//   could be neither counted against its address nor evicted from the pending pool, and such
//   sockets count against QTcpServer's own pending limit, past which it stops accepting
//   anyone. Here the listener admits (or refuses, or evicts for) a TLS connection the moment
//   it is accepted, like any other.
// - TlsHandshake: runs the server side of one socket's handshake within the listener's
//   deadline (--handshake-timeout-ms covers the handshake and the HTTP request together),
//   refuses what isn't TLS (plain HTTP gets a plain-text 400 naming https://), and reports
//   when the socket is encrypted, from which point an HttpConnection reads it as usual (a
//   QSslSocket's read buffer holds the decrypted bytes, so peeking the request, skipping it
//   and putting back early frames work as on a plain socket).
// Both live on the listener's thread; the server is owned by HttpListener, each handshake is
// a child of its socket.

#include <QDeadlineTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

#include <optional>

class QSslSocket;

namespace flack::server::net {

class TlsTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;
    // From now on, accepted connections are QSslSockets configured with this.
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }
    bool tls() const { return m_tls.has_value(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::optional<QSslConfiguration> m_tls;
};

class TlsHandshake : public QObject
{
    Q_OBJECT
public:
    // Starts at once on a freshly accepted, unencrypted socket. Gives up (resetting the
    // connection) when it isn't encrypted within timeoutMs.
    TlsHandshake(QSslSocket *socket, int timeoutMs);

Q_SIGNALS:
    // The socket is encrypted and this object is about to go; remainingMs is what is left of
    // the deadline for the HTTP request.
    void encrypted(int remainingMs);
    // The connection is refused or dropped for this reason (to be logged); it is closing.
    void failed(const QString &reason);

private:
    void onReadyRead();
    void fail(const QString &reason, bool reset);

    QSslSocket *m_socket;
    QDeadlineTimer m_deadline;
    QTimer m_timer;
    bool m_started = false;
    bool m_done = false;
};

} // namespace flack::server::net
