#pragma once
// One chat client's conversation: decodes its frames, enforces the protocol's state machine
// and limits, and turns valid requests into room calls. Also the client's RoomMember, so
// room events and replies leave through the same deliver() path. Lives on the thread of its
// connection; owned by ChatEndpoint.

#include "server/rooms/roommember.h"
#include "server/sessions/inputthrottle.h"
#include "server/sessions/backlogwatch.h"
#include "server/sessions/sessionlimits.h"
#include "shared/clientrecord.h"
#include "shared/errorcode.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>

namespace flack::server::admin {
class ServerMetrics;
}
namespace flack::server::rooms {
class ChatRoom;
class RoomDirectory;
} // namespace flack::server::rooms

namespace flack::server::sessions {

class SessionTransport;
class UserIdSigner;

class ClientSession : public QObject, public rooms::RoomMember
{
    Q_OBJECT
public:
    enum class State {
        AwaitingHello,          // nothing valid received yet
        AwaitingAuthentication, // server_hello sent
        Ready,                  // authenticated: may join, chat, leave
        Closing,                // goodbye or error sent; waiting for the connection to end
        Closed,                 // connection gone, rooms left
    };
    Q_ENUM(State)

    ClientSession(SessionTransport *transport, rooms::RoomDirectory *directory,
                  const SessionLimits &limits, QObject *parent = nullptr);
    ~ClientSession() override;

    // Input from the transport.
    void handleTextMessage(const QString &text);
    void handleBinaryMessage();
    void handleDisconnected();
    // The transport handed over a batch of input: what it made us queue (pongs to pings
    // too) counts against the connection's backlog.
    void handleInputProcessed();
    // The transport handed frames it had held to the connection (see
    // SessionTransport::sendEncoded): they count against the backlog from now on.
    void handleOutputQueued();

    // With a signer (--signed-user-ids), an authenticate may reclaim only an id it issued;
    // any other gets a fresh one. Borrowed: it outlives the session.
    void setUserIdSigner(const UserIdSigner *signer) { m_userIds = signer; }
    // The message rate's bucket, in thousandths of a token: what this connection has left
    // (read when it ends), and where it starts (set before its first frame; see
    // AddressRateMemory).
    qint64 rateTokensMilli() { return m_throttle.tokensMilli(); }
    void startRateFrom(qint64 tokensMilli) { m_throttle.startFrom(tokensMilli); }

    // Server-initiated ends.
    void closeIdle();
    void closeForShutdown();
    // CHAT_LIMIT-006 and close 1008, unless the client has authenticated (or is leaving).
    void closeUnauthenticated(const QString &reason);

    // Drops the connection at once, without a close handshake.
    void abortConnection();

    State state() const { return m_state; }
    qint64 idleMilliseconds() const { return m_lastActivity.elapsed(); }

    qsizetype chatCount() const { return m_chats.size(); }
    // Over maxQueuedBytes, waiting for the end of a grace period to see if it reads.
    bool backlogUnderReview() const { return m_backlog.reviewPending(); }

    // RoomMember
    QString connectionId() const override { return m_connectionId; }
    QString userId() const override { return m_userId; }
    QString userName() const override { return m_userName; }
    void deliver(const QString &frame) override;
    void deliverEncoded(const QString &frame, const QByteArray &utf8,
                        rooms::DeliveryPace pace) override;
    void deliverBatch(const rooms::PresenceBatch &batch, qsizetype from) override;
    void deliverState(const QByteArray &json) override;
    void joinRefused(const QString &chatName, protocol::ErrorCode code,
                     const QString &reason) override;
    rooms::ConnectionDetails details() const override;
    void kick(const QString &reason) override;

Q_SIGNALS:
    // The client has authenticated (the session is Ready): it no longer counts as pending.
    void authenticated();
    // The connection is gone and the session left its rooms; the owner may delete it.
    void finished();

private:
    void checkBacklog(); // what is queued now, against the limit (unless closed)
    // One text frame the throttle let through.
    void handleFrame(const QString &text);
    void handleRecord(const protocol::ClientRecord &record);
    void handleHello(const protocol::ClientRecord &record);
    void handleAuthenticate(const protocol::ClientRecord &record);
    void handleJoin(const protocol::ClientRecord &record);
    void handleChatMessage(const protocol::ClientRecord &record);
    void handleLeave(const protocol::ClientRecord &record);
    void handleGoodbye();

    void reply(const QByteArray &json);
    // Sends one protocol_error, closes the connection and leaves every chat.
    void fail(protocol::ErrorCode code, const QString &reason = {});
    void leaveAllChats();
    void beginClosing();
    bool nameTooLong(const QString &name) const;
    void dropSlowReader();

    SessionTransport *m_transport;
    rooms::RoomDirectory *m_directory;
    admin::ServerMetrics *m_metrics; // the directory's, taken once; may be null
    SessionLimits m_limits;
    QString m_connectionId; // unique in the cluster; the directory's registry maps it to us
    State m_state = State::AwaitingHello;
    QString m_userId;
    QString m_userName;
    // A map, not a hash: most connections are in a few chats, and a QHash's first block
    // costs ~1.5 KB per connection where a tree node costs ~60 bytes.
    QMap<QString, rooms::ChatRoom *> m_chats;
    QElapsedTimer m_lastActivity;
    QByteArray m_connectedSince;
    qint64 m_messagesSent = 0;
    const UserIdSigner *m_userIds = nullptr;
    InputThrottle m_throttle;
    BacklogWatch m_backlog;
    bool m_dropScheduled = false;
};

} // namespace flack::server::sessions
