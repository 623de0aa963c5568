#include "server/cluster/peerhandshake.h"

#include "server/cluster/constanttime.h"

#include <QCborMap>
#include <QCborValue>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QtEndian>

#include <limits>

using namespace Qt::StringLiterals;

namespace flack::server::cluster {

namespace {

// Keys of the Hello map.
const auto kVersionKey = "version"_L1;
const auto kNameKey = "name"_L1;
const auto kIncarnationKey = "incarnation"_L1;
const auto kAddressKey = "address"_L1;
const auto kNonceKey = "nonce"_L1;

// Domain separation: these MACs can never be mistaken for the secret's use anywhere else, or
// for a later version of this proof.
constexpr QByteArrayView kProofLabel = "flack peer proof v1";

// What a refusal from the peer may put into our log: short, and one line.
constexpr qsizetype kMaxPeerReasonBytes = 200;

bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

// Empty when the text may be sent as a name or address; otherwise what's wrong with it.
QString textProblem(const QString &text, qsizetype maxBytes, bool mayBeEmpty)
{
    if (text.isEmpty() && !mayBeEmpty)
        return u"is empty"_s;
    const qsizetype bytes = text.toUtf8().size();
    if (bytes > maxBytes)
        return u"is %1 bytes long, more than %2"_s.arg(bytes).arg(maxBytes);
    for (QChar c : text) {
        // Names and addresses end up in log lines: no line breaks or escapes in them.
        if (isControl(c.unicode()))
            return u"contains control characters"_s;
    }
    return {};
}

void appendSized(QByteArray &out, QByteArrayView bytes)
{
    char size[4];
    qToBigEndian<quint32>(quint32(bytes.size()), size);
    out.append(size, 4);
    out.append(bytes);
}

QString sanitizedPeerText(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(kMaxPeerReasonBytes));
    for (QChar &c : text) {
        if (isControl(c.unicode()))
            c = u' ';
    }
    return text;
}

QByteArray freshNonce()
{
    QByteArray nonce(PeerHandshake::kNonceBytes, Qt::Uninitialized);
    auto *words = reinterpret_cast<quint32 *>(nonce.data());
    QRandomGenerator::system()->generate(words, words + PeerHandshake::kNonceBytes / 4);
    return nonce;
}

} // namespace

PeerHandshake::PeerHandshake(QByteArray secret, PeerIdentity self, QByteArray nonce)
    : m_secret(std::move(secret)), m_self(std::move(self)),
      m_nonce(nonce.isEmpty() ? freshNonce() : std::move(nonce))
{
    // Our own settings are checked as strictly as the peer's Hello will be: a node that would
    // be refused everywhere fails here, with a reason that says it's our configuration.
    QString problem;
    if (m_secret.isEmpty())
        problem = u"the cluster secret is empty"_s;
    else if (m_nonce.size() != kNonceBytes)
        problem = u"the nonce is %1 bytes, not %2"_s.arg(m_nonce.size()).arg(kNonceBytes);
    else if (m_self.incarnation > quint64(std::numeric_limits<qint64>::max()))
        problem = u"our incarnation %1 is not below 2^63"_s.arg(m_self.incarnation);
    else if (QString p = textProblem(m_self.name, kMaxNameBytes, false); !p.isEmpty())
        problem = u"our node name "_s + p;
    else if (QString p = textProblem(m_self.clusterAddress, kMaxAddressBytes, true); !p.isEmpty())
        problem = u"our cluster address "_s + p;
    if (!problem.isEmpty()) {
        m_state = State::Failed;
        m_failureReason = u"cannot start a handshake: "_s + problem;
        return;
    }
    QCborMap hello;
    hello.insert(kVersionKey, kPeerProtocolVersion);
    hello.insert(kNameKey, m_self.name);
    hello.insert(kIncarnationKey, qint64(m_self.incarnation));
    hello.insert(kAddressKey, m_self.clusterAddress);
    hello.insert(kNonceKey, m_nonce);
    m_helloFrame = encodePeerFrame(PeerFrameType::Hello, hello.toCborValue().toCbor());
}

QByteArray PeerHandshake::receive(const PeerFrame &frame)
{
    if (m_state == State::Failed || m_state == State::Authenticated)
        return {};
    if (frame.type == quint8(PeerFrameType::Refused)) {
        // Not answered: the peer is closing anyway, and two refusals would only echo.
        m_state = State::Failed;
        m_failureReason = u"refused by %1: %2"_s.arg(peerLabel(), sanitizedPeerText(frame.payload));
        return {};
    }
    if (frame.type == quint8(PeerFrameType::Hello)) {
        if (m_state != State::AwaitingHello)
            return refuse(u"second Hello from %1"_s.arg(peerLabel()), "unexpected Hello");
        return receiveHello(frame.payload);
    }
    if (frame.type == quint8(PeerFrameType::Proof) && m_state == State::AwaitingProof)
        return receiveProof(frame.payload);
    return refuse(u"frame of type %1 from %2 before the handshake completed"_s.arg(frame.type)
                      .arg(peerLabel()),
                  "unexpected frame before authentication");
}

QByteArray PeerHandshake::receiveHello(const QByteArray &payload)
{
    if (payload.size() > kMaxHelloBytes)
        return refuse(u"Hello of %1 bytes, more than %2"_s.arg(payload.size()).arg(kMaxHelloBytes),
                      "malformed Hello");
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(payload, &parseError);
    // Bytes after the map would be ignored by the parser; a Hello that has them wasn't made by
    // us.
    if (parseError.error != QCborError::NoError || parseError.offset != payload.size() ||
        !value.isMap())
        return refuse(u"Hello that is not a CBOR map"_s, "malformed Hello");
    const QCborMap hello = value.toMap();

    // The version first: a later version may well have other fields.
    const QCborValue version = hello.value(kVersionKey);
    if (!version.isInteger())
        return refuse(u"Hello without a protocol version"_s, "malformed Hello");
    if (version.toInteger() != kPeerProtocolVersion)
        return refuse(u"Hello for protocol version %1, we speak %2"_s.arg(version.toInteger())
                          .arg(kPeerProtocolVersion),
                      "unsupported protocol version");

    const QCborValue name = hello.value(kNameKey);
    const QCborValue incarnation = hello.value(kIncarnationKey);
    const QCborValue address = hello.value(kAddressKey);
    const QCborValue nonce = hello.value(kNonceKey);
    if (!name.isString() || !incarnation.isInteger() || !address.isString() || !nonce.isByteArray())
        return refuse(u"Hello with a missing or mistyped field"_s, "malformed Hello");
    if (QString p = textProblem(name.toString(), kMaxNameBytes, false); !p.isEmpty())
        return refuse(u"Hello whose name "_s + p, "malformed Hello");
    // Known from here on, so later reasons can say who it was.
    m_peer.name = name.toString();
    if (incarnation.toInteger() < 0)
        return refuse(u"Hello from %1 with a negative incarnation"_s.arg(peerLabel()),
                      "malformed Hello");
    m_peer.incarnation = quint64(incarnation.toInteger());
    if (QString p = textProblem(address.toString(), kMaxAddressBytes, true); !p.isEmpty())
        return refuse(u"Hello from %1 whose cluster address "_s.arg(peerLabel()) + p,
                      "malformed Hello");
    m_peer.clusterAddress = address.toString();
    m_peerNonce = nonce.toByteArray();
    if (m_peerNonce.size() != kNonceBytes)
        return refuse(u"Hello from %1 with a nonce of %2 bytes, not %3"_s.arg(peerLabel())
                          .arg(m_peerNonce.size())
                          .arg(kNonceBytes),
                      "malformed Hello");
    // Our own nonce coming back means our Hello was reflected to us (or our random generator
    // is broken): either way there is no fresh challenge to answer.
    if (m_peerNonce == m_nonce)
        return refuse(u"Hello from %1 carrying our own nonce (reflected?)"_s.arg(peerLabel()),
                      "reflected nonce");
    // Names tell the proof's direction apart (see proof()); a peer using ours is either a
    // reflection or a misconfigured node that would be indistinguishable from us.
    if (m_peer.name == m_self.name)
        return refuse(u"Hello from a peer using our own name '%1'"_s.arg(m_peer.name),
                      "peer uses our node name");

    m_state = State::AwaitingProof;
    return encodePeerFrame(PeerFrameType::Proof, proof(m_self, m_nonce, m_peer, m_peerNonce));
}

QByteArray PeerHandshake::receiveProof(const QByteArray &payload)
{
    const QByteArray expected = proof(m_peer, m_peerNonce, m_self, m_nonce);
    if (!constantTimeEquals(payload, expected))
        return refuse(u"wrong proof from %1 (is the cluster secret the same on both nodes?)"_s.arg(
                          peerLabel()),
                      "authentication failed");
    m_state = State::Authenticated;
    return {};
}

QByteArray PeerHandshake::refuse(const QString &reason, QByteArrayView wireReason)
{
    m_state = State::Failed;
    m_failureReason = reason;
    return encodePeerFrame(PeerFrameType::Refused, wireReason);
}

QByteArray PeerHandshake::proof(const PeerIdentity &sender, QByteArrayView senderNonce,
                                const PeerIdentity &receiver, QByteArrayView receiverNonce) const
{
    // The receiver's nonce is fresh for this handshake, so no proof from an earlier one
    // verifies (replay). The sender's name comes before the nonces and the receiver's after:
    // A's proof for B covers (A, ..., B) and B's proof for A covers (B, ..., A), so a proof can
    // never be sent back to, or forwarded between two handshakes of, the node that made it
    // (reflection) — with the nonces alone it could, since each side's "their nonce, my nonce"
    // is the other's "my nonce, their nonce". The sender's incarnation and address are covered
    // so nobody on the path can alter the identity its Hello announced. Variable-length fields
    // are length-prefixed so no two different inputs concatenate to the same bytes.
    QByteArray message;
    message.reserve(256);
    message.append(kProofLabel);
    appendSized(message, sender.name.toUtf8());
    char incarnation[8];
    qToBigEndian<quint64>(sender.incarnation, incarnation);
    message.append(incarnation, 8);
    appendSized(message, sender.clusterAddress.toUtf8());
    message.append(receiverNonce);
    message.append(senderNonce);
    appendSized(message, receiver.name.toUtf8());
    return QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256);
}

QString PeerHandshake::peerLabel() const
{
    return m_peer.name.isEmpty() ? u"the peer"_s : u"peer '%1'"_s.arg(m_peer.name);
}

} // namespace flack::server::cluster
