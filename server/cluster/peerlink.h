#pragma once
// One authenticated TCP link (TLS with a cluster CA, see PeerLinkSettings::tls) to another cluster
// node: runs the PeerHandshake over its socket, then carries the cluster's frames (types >= 16)
// both ways in order, with heartbeats that measure the round trip and detect a silent peer, and a
// bounded send queue so a stalled peer never grows our memory. Whatever ends the link, down() is
// emitted exactly once. The cluster layer on top (membership, chat ownership) creates links, for
// inbound sockets or by dial(), and deletes them. Lives on the main thread; owns its socket.

#include "server/cluster/peerframe.h"
#include "server/cluster/peerhandshake.h"
#include "server/cluster/peeridentity.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace flack::server::cluster {

struct PeerLinkSettings
{
    QByteArray secret; // the cluster's shared secret; never logged
    PeerIdentity self;
    int heartbeatIntervalMs = 1000;
    // Down when no frame arrived for this long once Up; a few heartbeat intervals.
    int peerTimeoutMs = 3000;
    int handshakeTimeoutMs = 5000;            // from creation (connecting included) until Up
    qint64 maxQueuedBytes = 64 * 1024 * 1024; // unsent bytes before the link is cut
    // A frame's body, both ways; never below what a Hello needs (about 1 KiB).
    qsizetype maxFrameBytes = 16 * 1024 * 1024;
    // With a configuration (--cluster-ca): the link runs over TLS, both ends presenting their
    // certificate and verifying the other's against the cluster CA, before the Hello. The
    // HMAC handshake stays on top. Host names are not checked: a certificate of the cluster's
    // own CA is what makes a peer, wherever it is dialed at.
    std::optional<QSslConfiguration> tls;
};

class PeerLink : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Connecting,  // not handshaking yet: outbound, TCP still connecting; inbound, until
                     // the event loop first runs
        Handshaking, // connected, authenticating
        Up,          // authenticated: send() works, frameReceived() comes
        Closed,      // down() was emitted
    };
    Q_ENUM(State)

    // Inbound: takes ownership of a connected socket (e.g. from QTcpServer) and starts the
    // handshake.
    PeerLink(QTcpSocket *acceptedSocket, const PeerLinkSettings &settings,
             QObject *parent = nullptr);
    // Outbound: connects to host:port (on the next turn of the event loop, so every signal,
    // a failure included, comes after the caller has connected to it).
    static PeerLink *dial(const QString &host, quint16 port, const PeerLinkSettings &settings,
                          QObject *parent = nullptr);
    // Deleting a link that isn't Closed drops the connection without emitting down(); a
    // Leaving still being flushed is finished on its own (bounded by a grace period).
    ~PeerLink() override;

    State state() const { return m_state; }
    // The peer's identity: valid once Up (before, what its Hello claimed, if anything).
    PeerIdentity peer() const { return m_handshake.peer(); }
    // "ip:port" of the other end, for logs ("host:port" as dialed before connecting).
    QString remoteAddress() const { return m_remoteAddress; }
    bool isOutbound() const { return m_outbound; }

    // Queues one cluster frame (type >= 16) when Up; false otherwise, or when the payload is
    // larger than maxFrameBytes allows (the link stays up). When the queue would pass
    // maxQueuedBytes the link is cut instead: down() is emitted before this returns false.
    bool send(quint8 type, QByteArrayView payload);
    // Sends Leaving, closes once it is flushed, and emits down(): the graceful stop. Peers then
    // know at once instead of after their timeout.
    void leave();
    // Ends the link and emits down(reason) at once, if not Closed already. What is already
    // queued still goes out (within a grace period) before the connection closes; no Leaving
    // is sent, so the peer sees a plain close.
    void close(const QString &reason);

    // The last heartbeat's round trip, -1 before the first reply.
    int roundTripMs() const { return m_roundTripMs; }
    // Bytes written to the link but not yet handed to the kernel.
    qint64 queuedBytes() const;

Q_SIGNALS:
    void up();
    // A cluster frame (type >= 16), in the order the peer sent them.
    void frameReceived(quint8 type, const QByteArray &payload);
    // The peer announced a graceful stop; down() follows at once.
    void peerLeaving();
    // The link is over, for whatever reason (emitted once; state() is Closed). Emitted from
    // inside send(), leave() and close() too. The link may be deleted with deleteLater() from
    // here, but not with delete: its socket may be in the middle of emitting a signal.
    void down(const QString &reason);

private:
    enum class Ending {
        Reset,    // drop the connection now, unsent bytes included
        Graceful, // let what's queued (a Leaving, a Refused) go out first
    };

    PeerLink(QTcpSocket *socket, bool outbound, const PeerLinkSettings &settings, QObject *parent);
    void onConnected();
    void onEncrypted();
    void startHandshake();
    void onReadyRead();
    void onSocketEnded(const QString &reason);
    void handleFrame(PeerFrame &frame);
    void handleHandshakeFrame(const PeerFrame &frame);
    void handleLinkFrame(const PeerFrame &frame);
    void becomeUp();
    void sendHeartbeat();
    void checkLiveness();
    bool writeFrame(quint8 type, QByteArrayView payload);
    bool writeBytes(QByteArrayView bytes);
    // Closes the link and emits down(reason), once; failure decides the log level.
    void finish(const QString &reason, Ending ending, bool failure = true);
    QString describePeer() const;
    qint64 clockMicros() const { return m_clock.nsecsElapsed() / 1000; }

    QTcpSocket *m_socket;
    bool m_outbound;
    PeerLinkSettings m_settings;
    State m_state = State::Connecting;
    PeerHandshake m_handshake;
    PeerFrameReader m_reader;
    QString m_remoteAddress;
    QTimer m_handshakeTimer;
    QTimer m_heartbeatTimer;
    QTimer m_livenessTimer;
    QElapsedTimer m_clock;        // heartbeat timestamps: our own clock, echoed by the peer
    QElapsedTimer m_lastReceived; // since the last frame from the peer
    int m_roundTripMs = -1;
};

} // namespace flack::server::cluster
