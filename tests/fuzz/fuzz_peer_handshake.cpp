// The peer handshake as the accepting node runs it: the input is the byte stream an unknown
// peer sends to the cluster port, cut into frames by PeerFrameReader (with the Hello's bound)
// and given to PeerHandshake::receive() one by one, with our nonce and secret fixed so a seed
// can carry a correct Proof. Beyond "no crash, no leak, no UB":
// - what the handshake answers is one well-formed Proof or Refused frame;
// - states only move forward (AwaitingHello -> AwaitingProof -> Authenticated, or Failed), and
//   a failure is explained without the secret;
// - Authenticated only for the identity the secret's holder announced: the proof covers the
//   peer's name, incarnation and address, so no mutation of them may still authenticate.

#include "fuzzcommon.h"
#include "server/cluster/peerframe.h"
#include "server/cluster/peerhandshake.h"

using namespace flack::server::cluster;
using State = PeerHandshake::State;

namespace {

const QByteArray kSecret("fuzz cluster secret");
const QByteArray kOurNonce(PeerHandshake::kNonceBytes, 'A');
const QByteArray kPeerNonce(PeerHandshake::kNonceBytes, 'B');

PeerIdentity us()
{
    return {QStringLiteral("node-a"), 1764633600123, QStringLiteral("127.0.0.1:9001")};
}
PeerIdentity them()
{
    return {QStringLiteral("node-b"), 1764633600456, QStringLiteral("[::1]:9002")};
}

// The peer's side of a correct handshake with us: its Hello, then its Proof.
QByteArray honestPeerBytes(const QByteArray &secret)
{
    PeerHandshake peer(secret, them(), kPeerNonce);
    const PeerHandshake ours(kSecret, us(), kOurNonce);
    PeerFrameReader reader(PeerHandshake::kMaxHelloBytes + 2);
    reader.append(ours.helloFrame());
    PeerFrame hello;
    reader.next(&hello, nullptr);
    return peer.helloFrame() + peer.receive(hello);
}

int rank(State s)
{
    switch (s) {
    case State::AwaitingHello:
        return 0;
    case State::AwaitingProof:
        return 1;
    case State::Authenticated:
    case State::Failed:
        return 2;
    }
    return -1;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const QByteArray honest = honestPeerBytes(kSecret);
    PeerHandshake peer(kSecret, them(), kPeerNonce);
    flack::fuzz::writeSeedsIfAsked({
        {"honest_peer", honest},
        {"honest_then_cluster_frames",
         honest + encodePeerFrame(PeerFrameType::Heartbeat, {}) + encodePeerFrame(16, "\xa0")},
        {"wrong_secret", honestPeerBytes("another secret")},
        {"hello_only", peer.helloFrame()},
        {"refused", encodePeerFrame(PeerFrameType::Refused, "authentication failed\n\x1b[31m")},
        {"proof_first", encodePeerFrame(PeerFrameType::Proof, QByteArray(32, 'p'))},
        {"reflected_hello", PeerHandshake(kSecret, them(), kOurNonce).helloFrame()},
        {"our_name", PeerHandshake(kSecret, us(), kPeerNonce).helloFrame()},
        {"edge_hello_not_cbor", encodePeerFrame(PeerFrameType::Hello, "\xa5\x67version\x02")},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    PeerHandshake handshake(kSecret, us(), kOurNonce);
    FUZZ_CHECK(handshake.state() == State::AwaitingHello && !handshake.helloFrame().isEmpty());
    PeerFrameReader reader(PeerHandshake::kMaxHelloBytes + 2);
    reader.append(flack::fuzz::bytesOf(data, size));
    PeerFrame frame;
    while (reader.next(&frame, nullptr) == PeerFrameReader::Status::Frame) {
        const State before = handshake.state();
        const QByteArray answer = handshake.receive(frame);
        const State after = handshake.state();
        FUZZ_CHECK(rank(after) >= rank(before));
        if (before == State::Failed || before == State::Authenticated) {
            FUZZ_CHECK(after == before && answer.isEmpty());
            continue;
        }
        if (!answer.isEmpty()) {
            PeerFrameReader answerReader(1024);
            answerReader.append(answer);
            PeerFrame sent;
            FUZZ_CHECK(answerReader.next(&sent, nullptr) == PeerFrameReader::Status::Frame);
            FUZZ_CHECK(answerReader.bufferedBytes() == 0);
            if (sent.type == quint8(PeerFrameType::Proof))
                FUZZ_CHECK(after == State::AwaitingProof &&
                           sent.payload.size() == PeerHandshake::kProofBytes);
            else
                FUZZ_CHECK(sent.type == quint8(PeerFrameType::Refused) && after == State::Failed);
        }
        if (after == State::Failed) {
            FUZZ_CHECK(!handshake.failureReason().isEmpty());
            FUZZ_CHECK(!handshake.failureReason().toUtf8().contains(kSecret));
        }
        if (after == State::Authenticated)
            FUZZ_CHECK(handshake.peer() == them());
    }
    return 0;
}
