#pragma once
// One operator's connection to /admin: the hello with its token (compared in constant time; a
// wrong one is answered ADMIN-001 after a delay and logged with the address), then the cluster
// snapshot and an update about once a second, and kicks. Every action goes to the audit log.
// Lives on the main thread; owned by AdminEndpoint.

#include "server/admin/clusterview.h"
#include "server/sessions/backlogwatch.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;
class QWebSocket;

namespace flack::server::admin {

class ClusterObserver;

class AdminSession : public QObject
{
    Q_OBJECT
public:
    enum class State {
        AwaitingHello, // nothing valid yet; a deadline runs
        Watching,      // authenticated: snapshot sent or coming, updates, kicks
        Closing,       // an error was (or is about to be) sent; the socket is closing
    };
    Q_ENUM(State)

    // tcpSocket: the connection under socket (may be null), freed with the session.
    AdminSession(QWebSocket *socket, QTcpSocket *tcpSocket, QByteArray token,
                 ClusterObserver *observer, QObject *parent = nullptr);
    ~AdminSession() override;

    State state() const { return m_state; }
    QString remoteAddress() const { return m_remoteAddress; }
    // Closes with 1001 (the server stops).
    void closeForShutdown();

    // How long a wrong token waits for its answer: slows down guessing.
    static constexpr int kFailureDelayMs = 1000;
    static constexpr int kHelloDeadlineMs = 10000;
    // What may wait unread for a client (OutputBacklog's rule: over it, it must show it reads
    // within kSlowReaderGraceMs; over twice it, it goes). Before the hello only answers to its
    // own frames (pongs, an error) wait; after it the cluster view, whose snapshot is always
    // let through like a joiner's chat_state.
    static constexpr qint64 kQueueBytesBeforeHello = 64 * 1024;
    static constexpr qint64 kQueueBytes = 16 * 1024 * 1024;
    static constexpr int kSlowReaderGraceMs = 2000;
    // Kicks waiting for another node's answer (each held until it comes or its deadline):
    // more are answered at once with a failed kick_result, so an operator's client can't make
    // the server hold an unbounded list of them. A person clicking never has this many.
    static constexpr int kMaxKicksInFlight = 64;

Q_SIGNALS:
    // The admin_hello's token was right (the session is Watching).
    void authenticated();
    // The socket is gone; the owner may delete the session.
    void finished();

private:
    void onText(const QString &text);
    void onViewUpdated();
    // Any error: no more input is taken, admin_error then the close.
    void fail(protocol::AdminErrorCode code, const QString &reason);
    void closeWithError(protocol::AdminErrorCode code, const QString &reason);
    // Returns the bytes it queued.
    qint64 send(const QByteArray &json);
    // The backlog's verdict: the client doesn't take its data.
    void dropSlowReader();
    // What waits to be sent, the encrypted bytes of a TLS connection included.
    qint64 queuedBytes() const;
    void audit(const QString &what) const;

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcpSocket;
    QByteArray m_token;
    ClusterObserver *m_observer;
    QString m_remoteAddress;
    State m_state = State::AwaitingHello;
    QTimer m_deadline;
    bool m_watching = false; // counted as a watcher by the observer
    bool m_snapshotSent = false;
    int m_kicksInFlight = 0;
    ClusterView m_sent; // what the client holds: updates are the difference from it
    sessions::BacklogWatch m_backlog;
    bool m_dropped = false;
};

} // namespace flack::server::admin
