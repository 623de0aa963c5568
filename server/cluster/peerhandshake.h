#pragma once
// The peer links' mutual authentication, with no sockets: each side sends a Hello (identity +
// a fresh nonce) without waiting, answers the other's Hello with a Proof (HMAC-SHA256 under the
// cluster's shared secret over both nonces and both names, see peerhandshake.cpp), and is
// authenticated once it has sent its proof and verified the peer's. Anything unexpected
// refuses the peer. Owned by one PeerLink and used on that link's (the main) thread; pure, so
// tests drive two of them against each other.

#include "server/cluster/peerframe.h"
#include "server/cluster/peeridentity.h"

#include <QByteArray>
#include <QString>

namespace flack::server::cluster {

class PeerHandshake
{
public:
    enum class State {
        AwaitingHello, // our Hello is out (or to be sent); the peer's not yet received
        AwaitingProof, // the peer's Hello checked and our Proof sent
        Authenticated, // the peer's Proof verified
        Failed,        // refused (or refused by the peer): see failureReason()
    };

    static constexpr qsizetype kNonceBytes = 32;
    static constexpr qsizetype kMaxNameBytes = 255;    // UTF-8
    static constexpr qsizetype kMaxAddressBytes = 255; // UTF-8
    static constexpr qsizetype kMaxHelloBytes = 1024;  // the whole CBOR payload
    static constexpr qsizetype kProofBytes = 32;       // HMAC-SHA256

    // nonce: empty for 32 fresh bytes from the system's random generator (tests inject theirs).
    // An empty secret, a self that couldn't be sent (empty or oversized name or address,
    // incarnation >= 2^63) or an injected nonce of the wrong length leave the handshake Failed
    // from the start, with no Hello to send.
    PeerHandshake(QByteArray secret, PeerIdentity self, QByteArray nonce = {});

    // The encoded Hello frame to send first, without waiting for the peer. Empty if Failed
    // from the start.
    QByteArray helloFrame() const { return m_helloFrame; }

    // Takes one frame from the peer; returns encoded frame bytes to send (a Proof, or a
    // Refused when this frame makes the handshake fail), possibly empty. Frames received once
    // Authenticated or Failed are not the handshake's: they are ignored.
    QByteArray receive(const PeerFrame &frame);

    State state() const { return m_state; }
    // The peer's identity as its Hello gave it; to be trusted only once Authenticated.
    PeerIdentity peer() const { return m_peer; }
    const PeerIdentity &self() const { return m_self; }
    // Why it failed, for a log line: names the peer once known, never holds the secret.
    QString failureReason() const { return m_failureReason; }

private:
    QByteArray receiveHello(const QByteArray &payload);
    QByteArray receiveProof(const QByteArray &payload);
    // Sets Failed and returns the Refused frame that tells the peer wireReason.
    QByteArray refuse(const QString &reason, QByteArrayView wireReason);
    QByteArray proof(const PeerIdentity &sender, QByteArrayView senderNonce,
                     const PeerIdentity &receiver, QByteArrayView receiverNonce) const;
    QString peerLabel() const;

    QByteArray m_secret;
    PeerIdentity m_self;
    QByteArray m_nonce;
    QByteArray m_helloFrame;
    State m_state = State::AwaitingHello;
    PeerIdentity m_peer;
    QByteArray m_peerNonce;
    QString m_failureReason;
};

} // namespace flack::server::cluster
