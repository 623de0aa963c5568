#pragma once
// flack-admin's side of the admin protocol (docs/admin-protocol.md): one websocket to a node's
// /admin, the hello with the token, then the snapshot and every update applied, in order, to a
// ClusterState; kicks sent and their results reported. Every record from the server is decoded
// strictly; a violation, a lost connection or a silent server (no record for a while, when one
// comes about every second) closes the socket and reconnects by itself with back-off, and the
// new snapshot is merged so the views keep their rows. An admin_error is final: the token or
// version won't get better by retrying. Lives on the GUI thread.

#include "admin-gui/core/clusterstate.h"
#include "shared/adminrecord.h"

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace flack::admin {

class AdminClient : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Disconnected,       // not asked to connect, or asked to stop
        Connecting,         // opening the websocket
        Authenticating,     // admin_hello sent, waiting for the snapshot
        Live,               // snapshot received, updates flowing
        WaitingToReconnect, // lost; the next attempt is scheduled
        Refused,            // the server sent admin_error: no retry until asked again
    };
    Q_ENUM(State)

    explicit AdminClient(QObject *parent = nullptr);
    ~AdminClient() override;

    ClusterState *cluster() const { return m_cluster; }
    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    // Why the last connection ended or failed (empty when none did); never holds the token.
    QString lastError() const { return m_lastError; }
    // While WaitingToReconnect: the delay of the scheduled attempt.
    int reconnectDelayMs() const { return m_scheduledDelayMs; }

    // Connects (again); a different URL than before means another cluster: the state is
    // cleared. The token is kept in memory only, to reconnect.
    void connectToServer(const QUrl &url, const QString &token);
    void disconnectFromServer();
    // Sends kick_user; false, and nothing sent, when not Live or the id or reason break the
    // protocol's bounds. The answer comes as kickFinished(); if the connection is lost first,
    // kickFinished() reports that instead, so every kick gets exactly one answer.
    bool kickUser(const QString &connectionId, const QString &reason);
    QStringList pendingKicks() const { return m_pendingKicks; }

    // Back-off: the first retry after initialMs, doubling to maxMs (about ±20% jitter, so many
    // admin apps don't come back in step). Tests use short ones.
    void setReconnectDelays(int initialMs, int maxMs);
    // How long without any record before the connection counts as dead (default 15 s).
    void setSilenceTimeoutMs(int ms);

signals:
    void stateChanged(flack::admin::AdminClient::State state);
    void kickFinished(const flack::protocol::KickResult &result);

private:
    void openSocket();
    void onConnected();
    void onTextMessage(const QString &message);
    void onSocketLost();
    // Ends the current connection. retry: schedule the next attempt; else settle in `final`.
    void dropConnection(const QString &why, bool retry, State final = State::Disconnected);
    void scheduleReconnect();
    void setState(State state);

    ClusterState *m_cluster;
    QWebSocket *m_socket = nullptr; // a fresh one per attempt: no stale signals
    QTimer m_reconnectTimer;
    QTimer m_silenceTimer;
    State m_state = State::Disconnected;
    QUrl m_url;
    QString m_token;
    QString m_lastError;
    QString m_socketError;
    int m_initialDelayMs = 500;
    int m_maxDelayMs = 30000;
    int m_nextDelayMs = 500;
    int m_scheduledDelayMs = 0;
    QStringList m_pendingKicks;
};

} // namespace flack::admin
