#pragma once
// A stand-in for a node's /admin endpoint in flack-admin's tests: a QWebSocketServer on
// loopback that speaks the admin protocol with the shared codec. A good admin_hello gets the
// current snapshot; a wrong token gets ADMIN-001 and a 1008 close (without the real server's
// one-second delay); kick_user gets a kick_result and, when it succeeded, an update removing
// the user, as the next round of a real server would. Tests send updates and raw frames, drop
// connections and read what clients sent. Test thread.

#include "shared/adminrecord.h"

#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocketServer>

class QWebSocket;

namespace flack::testing {

class FakeAdminServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeAdminServer(QObject *parent = nullptr);
    ~FakeAdminServer() override;

    bool listen(quint16 port = 0);
    void close();
    QUrl url() const;
    quint16 port() const;

    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }

    void setSnapshot(const protocol::ClusterSnapshot &snapshot) { m_snapshot = snapshot; }
    const protocol::ClusterSnapshot &snapshot() const { return m_snapshot; }

    // Sends the update to every signed-in client and applies it to the held snapshot, so a
    // client that signs in later gets the same state.
    void sendUpdate(const protocol::ClusterUpdate &update);
    // An update with the snapshot's nodes and time and nothing else, as a quiet round.
    protocol::ClusterUpdate emptyUpdate() const;
    // Sends a text frame as is to every signed-in client (for malformed records).
    void sendRaw(const QByteArray &text);
    // Closes every connection (abort: no close frame, as a crashed node).
    void dropClients(bool abort = false);

    // How kick_user is answered: ok, or failing with this reason. Unanswered when !answer.
    void setKickAnswer(bool ok, const QString &failReason = {})
    {
        m_kickOk = ok;
        m_kickFailReason = failReason;
    }
    void setAnswerKicks(bool answer) { m_answerKicks = answer; }
    // Instead of the snapshot, a good hello gets this frame (empty: the snapshot again).
    void setHelloReply(const QByteArray &text) { m_helloReply = text; }

    int connectionCount() const { return int(m_clients.size()); }
    int signedInCount() const { return int(m_signedIn.size()); }
    const QList<protocol::AdminHello> &hellos() const { return m_hellos; }
    const QList<protocol::KickUser> &kicks() const { return m_kicks; }

signals:
    void helloReceived(const flack::protocol::AdminHello &hello);
    void kickReceived(const flack::protocol::KickUser &kick);

private:
    void onNewConnection();
    void onText(QWebSocket *socket, const QString &text);
    void apply(const protocol::ClusterUpdate &update);

    QWebSocketServer m_server;
    QList<QWebSocket *> m_clients;
    QList<QWebSocket *> m_signedIn;
    QString m_token = QStringLiteral("0123456789abcdef-test-token");
    protocol::ClusterSnapshot m_snapshot;
    QList<protocol::AdminHello> m_hellos;
    QList<protocol::KickUser> m_kicks;
    bool m_kickOk = true;
    QString m_kickFailReason;
    bool m_answerKicks = true;
    QByteArray m_helloReply;
};

} // namespace flack::testing
