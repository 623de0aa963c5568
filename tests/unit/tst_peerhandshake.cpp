// PeerHandshake: two handshakes fed each other's frames, a wrong secret, replayed and
// reflected proofs, our own nonce or name coming back, and every kind of malformed Hello or
// out-of-order frame; each refusal says why and sends no secret.

#include "server/cluster/peerframe.h"
#include "server/cluster/peerhandshake.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using flack::server::cluster::encodePeerFrame;
using flack::server::cluster::PeerFrame;
using flack::server::cluster::PeerFrameReader;
using flack::server::cluster::PeerFrameType;
using flack::server::cluster::PeerHandshake;
using flack::server::cluster::PeerIdentity;
using State = PeerHandshake::State;

namespace {

const QByteArray kSecret = "correct horse battery staple"_ba;

PeerIdentity identity(const QString &name, quint64 incarnation = 7)
{
    return PeerIdentity{name, incarnation, name + u".example:7000"_s};
}

QByteArray nonceOf(char fill)
{
    return QByteArray(PeerHandshake::kNonceBytes, fill);
}

QList<PeerFrame> decode(const QByteArray &bytes)
{
    PeerFrameReader reader(1024 * 1024);
    reader.append(bytes);
    QList<PeerFrame> frames;
    PeerFrame frame;
    while (reader.next(&frame, nullptr) == PeerFrameReader::Status::Frame)
        frames.append(frame);
    if (reader.bufferedBytes() != 0 || reader.hasError())
        qWarning("handshake sent bytes that are not whole frames");
    return frames;
}

// The one frame in bytes; type 0 (which no handshake sends) when there isn't exactly one.
PeerFrame single(const QByteArray &bytes)
{
    const QList<PeerFrame> frames = decode(bytes);
    return frames.size() == 1 ? frames.first() : PeerFrame{};
}

PeerFrame frame(PeerFrameType type, const QByteArray &payload)
{
    return PeerFrame{quint8(type), payload};
}

// Everything a and b said to each other, as the wire would carry it.
struct Transcript
{
    QByteArray aToB;
    QByteArray bToA;
};

// Delivers each side's frames to the other until neither has anything more to say.
Transcript run(PeerHandshake &a, PeerHandshake &b)
{
    Transcript transcript{a.helloFrame(), b.helloFrame()};
    QByteArray toB = transcript.aToB;
    QByteArray toA = transcript.bToA;
    while (!toA.isEmpty() || !toB.isEmpty()) {
        QByteArray nextToA;
        QByteArray nextToB;
        for (const PeerFrame &f : decode(toB))
            nextToA += b.receive(f);
        for (const PeerFrame &f : decode(toA))
            nextToB += a.receive(f);
        transcript.aToB += nextToB;
        transcript.bToA += nextToA;
        toA = nextToA;
        toB = nextToB;
    }
    return transcript;
}

QCborMap helloMap(const PeerIdentity &who, const QByteArray &nonce)
{
    QCborMap map;
    map.insert("version"_L1, 1);
    map.insert("name"_L1, who.name);
    map.insert("incarnation"_L1, qint64(who.incarnation));
    map.insert("address"_L1, who.clusterAddress);
    map.insert("nonce"_L1, nonce);
    return map;
}

PeerFrame helloFrom(const QCborMap &map)
{
    return frame(PeerFrameType::Hello, map.toCborValue().toCbor());
}

} // namespace

class TestPeerHandshake : public QObject
{
    Q_OBJECT
private slots:
    void helloCarriesIdentityAndFreshNonce();
    void bothSidesAuthenticate();
    void authenticatesWhateverArrivesFirst();
    void wrongSecretFailsBoth();
    void replayedProofFails();
    void proofReflectedAcrossHandshakesFails();
    void ownProofSentBackFails();
    void ownHelloReflectedFails();
    void reflectedNonceFails();
    void peerUsingOurNameFails();
    void malformedHello_data();
    void malformedHello();
    void largestIdentityIsAccepted();
    void frameBeforeAuthentication_data();
    void frameBeforeAuthentication();
    void secondHelloFails();
    void proofOfWrongLengthFails();
    void refusedByPeer();
    void ignoresFramesOnceFinished();
    void refusesToStartWithBadSettings_data();
    void refusesToStartWithBadSettings();
};

void TestPeerHandshake::helloCarriesIdentityAndFreshNonce()
{
    const PeerIdentity self{u"node-a"_s, quint64(std::numeric_limits<qint64>::max()),
                            u"10.0.0.1:7000"_s};
    PeerHandshake a(kSecret, self);
    PeerHandshake again(kSecret, self);
    QCOMPARE(a.state(), State::AwaitingHello);
    const PeerFrame hello = single(a.helloFrame());
    QCOMPARE(hello.type, quint8(PeerFrameType::Hello));
    const QCborMap map = QCborValue::fromCbor(hello.payload).toMap();
    QCOMPARE(map.value("version"_L1).toInteger(), 1);
    QCOMPARE(map.value("name"_L1).toString(), self.name);
    QCOMPARE(quint64(map.value("incarnation"_L1).toInteger()), self.incarnation);
    QCOMPARE(map.value("address"_L1).toString(), self.clusterAddress);
    const QByteArray nonce = map.value("nonce"_L1).toByteArray();
    QCOMPARE(nonce.size(), PeerHandshake::kNonceBytes);
    const QByteArray otherNonce = QCborValue::fromCbor(single(again.helloFrame()).payload)
                                      .toMap()
                                      .value("nonce"_L1)
                                      .toByteArray();
    QVERIFY(nonce != otherNonce);
    QVERIFY(!a.helloFrame().contains(kSecret));
}

void TestPeerHandshake::bothSidesAuthenticate()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s, 3));
    PeerHandshake b(kSecret, identity(u"node-b"_s, 9));
    const Transcript transcript = run(a, b);
    QCOMPARE(a.state(), State::Authenticated);
    QCOMPARE(b.state(), State::Authenticated);
    QCOMPARE(a.peer(), identity(u"node-b"_s, 9));
    QCOMPARE(b.peer(), identity(u"node-a"_s, 3));
    QVERIFY(a.failureReason().isEmpty());
    // Hello + Proof each way, nothing more.
    QCOMPARE(decode(transcript.aToB).size(), 2);
    QCOMPARE(decode(transcript.bToA).size(), 2);
}

void TestPeerHandshake::authenticatesWhateverArrivesFirst()
{
    // The Hellos cross on the wire: b has answered a's Hello with its Proof before a hears
    // b's Hello; each side still gets the other's Hello before its Proof, which is all it
    // needs.
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    PeerHandshake b(kSecret, identity(u"node-b"_s));
    const QByteArray bProof = b.receive(single(a.helloFrame()));
    QCOMPARE(b.state(), State::AwaitingProof);
    const QByteArray aProof = a.receive(single(b.helloFrame()));
    QCOMPARE(a.receive(single(bProof)), QByteArray());
    QCOMPARE(a.state(), State::Authenticated);
    QCOMPARE(b.receive(single(aProof)), QByteArray());
    QCOMPARE(b.state(), State::Authenticated);
}

void TestPeerHandshake::wrongSecretFailsBoth()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    PeerHandshake b("another secret"_ba, identity(u"node-b"_s));
    const Transcript transcript = run(a, b);
    QCOMPARE(a.state(), State::Failed);
    QCOMPARE(b.state(), State::Failed);
    QVERIFY2(a.failureReason().contains(u"wrong proof from peer 'node-b'"_s),
             qPrintable(a.failureReason()));
    QVERIFY2(b.failureReason().contains(u"wrong proof from peer 'node-a'"_s),
             qPrintable(b.failureReason()));
    // Each told the other, briefly, and neither let its secret out.
    const QList<PeerFrame> fromA = decode(transcript.aToB);
    QCOMPARE(fromA.last().type, quint8(PeerFrameType::Refused));
    QCOMPARE(fromA.last().payload, "authentication failed"_ba);
    QCOMPARE(decode(transcript.bToA).last().type, quint8(PeerFrameType::Refused));
    QVERIFY(!transcript.aToB.contains(kSecret));
    QVERIFY(!a.failureReason().contains(QString::fromUtf8(kSecret)));
}

void TestPeerHandshake::replayedProofFails()
{
    // Someone recorded b's Hello and Proof to a, then replays them to a new handshake of a.
    PeerHandshake a1(kSecret, identity(u"node-a"_s));
    PeerHandshake b1(kSecret, identity(u"node-b"_s));
    const Transcript recorded = run(a1, b1);
    QCOMPARE(a1.state(), State::Authenticated);
    const QList<PeerFrame> fromB = decode(recorded.bToA);
    QCOMPARE(fromB.size(), 2);

    PeerHandshake a2(kSecret, identity(u"node-a"_s));
    QCOMPARE(single(a2.receive(fromB[0])).type, quint8(PeerFrameType::Proof));
    QCOMPARE(a2.state(), State::AwaitingProof);
    QCOMPARE(single(a2.receive(fromB[1])).type, quint8(PeerFrameType::Refused));
    QCOMPARE(a2.state(), State::Failed);
    QVERIFY2(a2.failureReason().contains(u"wrong proof"_s), qPrintable(a2.failureReason()));
}

void TestPeerHandshake::proofReflectedAcrossHandshakesFails()
{
    // The classic reflection: an attacker without the secret opens two handshakes with a,
    // giving each of them the other's nonce, and hopes a's proof in one is the proof a expects
    // in the other. With both nonces alone in the MAC it would be.
    const QByteArray n1 = nonceOf('\x11');
    const QByteArray n2 = nonceOf('\x22');
    PeerHandshake a1(kSecret, identity(u"node-a"_s), n1);
    PeerHandshake a2(kSecret, identity(u"node-a"_s), n2);
    const PeerIdentity claimed = identity(u"node-b"_s);
    const PeerFrame proofFromA1 = single(a1.receive(helloFrom(helloMap(claimed, n2))));
    QCOMPARE(proofFromA1.type, quint8(PeerFrameType::Proof));
    QCOMPARE(single(a2.receive(helloFrom(helloMap(claimed, n1)))).type,
             quint8(PeerFrameType::Proof));
    QCOMPARE(single(a2.receive(proofFromA1)).type, quint8(PeerFrameType::Refused));
    QCOMPARE(a2.state(), State::Failed);
    QVERIFY2(a2.failureReason().contains(u"wrong proof"_s), qPrintable(a2.failureReason()));
}

void TestPeerHandshake::ownProofSentBackFails()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    const PeerFrame ownProof =
        single(a.receive(helloFrom(helloMap(identity(u"node-b"_s), nonceOf('\x33')))));
    a.receive(ownProof);
    QCOMPARE(a.state(), State::Failed);
    QVERIFY(a.failureReason().contains(u"wrong proof"_s));
}

void TestPeerHandshake::ownHelloReflectedFails()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    const PeerFrame refused = single(a.receive(single(a.helloFrame())));
    QCOMPARE(refused.type, quint8(PeerFrameType::Refused));
    QCOMPARE(a.state(), State::Failed);
}

void TestPeerHandshake::reflectedNonceFails()
{
    const QByteArray nonce = nonceOf('\x44');
    PeerHandshake a(kSecret, identity(u"node-a"_s), nonce);
    const PeerFrame refused = single(a.receive(helloFrom(helloMap(identity(u"node-b"_s), nonce))));
    QCOMPARE(refused.type, quint8(PeerFrameType::Refused));
    QCOMPARE(refused.payload, "reflected nonce"_ba);
    QCOMPARE(a.state(), State::Failed);
    QVERIFY2(a.failureReason().contains(u"our own nonce"_s), qPrintable(a.failureReason()));
}

void TestPeerHandshake::peerUsingOurNameFails()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    PeerHandshake impostor(kSecret, identity(u"node-a"_s, 99));
    run(a, impostor);
    QCOMPARE(a.state(), State::Failed);
    QCOMPARE(impostor.state(), State::Failed);
    QVERIFY2(a.failureReason().contains(u"our own name"_s), qPrintable(a.failureReason()));
}

void TestPeerHandshake::malformedHello_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("reasonPart");
    QTest::addColumn<QByteArray>("wireReason");

    const QCborMap valid = helloMap(identity(u"node-b"_s), nonceOf('\x55'));
    auto with = [&valid](const QString &key, const QCborValue &value) {
        QCborMap map = valid;
        map.insert(key, value);
        return map.toCborValue().toCbor();
    };
    auto without = [&valid](const QString &key) {
        QCborMap map = valid;
        map.remove(key);
        return map.toCborValue().toCbor();
    };
    const QByteArray malformed = "malformed Hello"_ba;

    QTest::newRow("empty") << QByteArray() << u"not a CBOR map"_s << malformed;
    QTest::newRow("not CBOR") << "\xff\xff garbage"_ba << u"not a CBOR map"_s << malformed;
    QTest::newRow("array") << QCborValue(QCborArray{1, 2}).toCbor() << u"not a CBOR map"_s
                           << malformed;
    QTest::newRow("truncated map")
        << valid.toCborValue().toCbor().chopped(3) << u"not a CBOR map"_s << malformed;
    QTest::newRow("bytes after the map")
        << valid.toCborValue().toCbor() + '\0' << u"not a CBOR map"_s << malformed;
    QTest::newRow("oversized") << with(u"padding"_s, QByteArray(2000, 'x')) << u"more than 1024"_s
                               << malformed;
    QTest::newRow("no version") << without(u"version"_s) << u"without a protocol version"_s
                                << malformed;
    QTest::newRow("version as text")
        << with(u"version"_s, u"1"_s) << u"without a protocol version"_s << malformed;
    QTest::newRow("version 2") << with(u"version"_s, 2) << u"protocol version 2"_s
                               << "unsupported protocol version"_ba;
    QTest::newRow("version 0") << with(u"version"_s, 0) << u"protocol version 0"_s
                               << "unsupported protocol version"_ba;
    QTest::newRow("no name") << without(u"name"_s) << u"missing or mistyped"_s << malformed;
    QTest::newRow("name as bytes")
        << with(u"name"_s, "node-b"_ba) << u"missing or mistyped"_s << malformed;
    QTest::newRow("empty name") << with(u"name"_s, QString()) << u"name is empty"_s << malformed;
    QTest::newRow("name of 256 bytes")
        << with(u"name"_s, QString(256, u'n')) << u"256 bytes long"_s << malformed;
    QTest::newRow("name of 128 two-byte characters")
        << with(u"name"_s, QString(128, u'é')) << u"256 bytes long"_s << malformed;
    QTest::newRow("name with a line break")
        << with(u"name"_s, u"node\nb"_s) << u"control characters"_s << malformed;
    QTest::newRow("no incarnation")
        << without(u"incarnation"_s) << u"missing or mistyped"_s << malformed;
    QTest::newRow("incarnation as text")
        << with(u"incarnation"_s, u"7"_s) << u"missing or mistyped"_s << malformed;
    QTest::newRow("incarnation as double")
        << with(u"incarnation"_s, 7.5) << u"missing or mistyped"_s << malformed;
    QTest::newRow("negative incarnation")
        << with(u"incarnation"_s, -1) << u"negative incarnation"_s << malformed;
    QTest::newRow("no address") << without(u"address"_s) << u"missing or mistyped"_s << malformed;
    QTest::newRow("address of 256 bytes")
        << with(u"address"_s, QString(256, u'a')) << u"cluster address is 256 bytes"_s << malformed;
    QTest::newRow("address with escape")
        << with(u"address"_s, u"host\x1b[31m:1"_s) << u"control characters"_s << malformed;
    QTest::newRow("no nonce") << without(u"nonce"_s) << u"missing or mistyped"_s << malformed;
    QTest::newRow("nonce as text")
        << with(u"nonce"_s, QString(32, u'x')) << u"missing or mistyped"_s << malformed;
    QTest::newRow("nonce of 31 bytes")
        << with(u"nonce"_s, QByteArray(31, 'x')) << u"nonce of 31 bytes"_s << malformed;
    QTest::newRow("nonce of 33 bytes")
        << with(u"nonce"_s, QByteArray(33, 'x')) << u"nonce of 33 bytes"_s << malformed;
    QTest::newRow("empty nonce") << with(u"nonce"_s, QByteArray()) << u"nonce of 0 bytes"_s
                                 << malformed;
}

void TestPeerHandshake::malformedHello()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, reasonPart);
    QFETCH(QByteArray, wireReason);
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    const PeerFrame refused = single(a.receive(frame(PeerFrameType::Hello, payload)));
    QCOMPARE(a.state(), State::Failed);
    QCOMPARE(refused.type, quint8(PeerFrameType::Refused));
    QCOMPARE(refused.payload, wireReason);
    QVERIFY2(a.failureReason().contains(reasonPart), qPrintable(a.failureReason()));
    QVERIFY(!a.failureReason().contains(u'\n'));
}

void TestPeerHandshake::largestIdentityIsAccepted()
{
    // The bounds are inclusive, and unknown keys are left for later versions.
    PeerIdentity big{QString(255, u'n'), quint64(std::numeric_limits<qint64>::max()),
                     QString(255, u'a')};
    QCborMap map = helloMap(big, nonceOf('\x66'));
    map.insert("future"_L1, u"field"_s);
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    QCOMPARE(single(a.receive(helloFrom(map))).type, quint8(PeerFrameType::Proof));
    QCOMPARE(a.state(), State::AwaitingProof);
    QCOMPARE(a.peer(), big);

    PeerHandshake b(kSecret, big);
    PeerHandshake c(kSecret, identity(u"node-c"_s));
    run(b, c);
    QCOMPARE(c.state(), State::Authenticated);
    QCOMPARE(c.peer(), big);
}

void TestPeerHandshake::frameBeforeAuthentication_data()
{
    QTest::addColumn<bool>("afterHello");
    QTest::addColumn<int>("type");
    QTest::newRow("proof before hello") << false << int(PeerFrameType::Proof);
    QTest::newRow("heartbeat before hello") << false << int(PeerFrameType::Heartbeat);
    QTest::newRow("heartbeat reply before hello") << false << int(PeerFrameType::HeartbeatReply);
    QTest::newRow("leaving before hello") << false << int(PeerFrameType::Leaving);
    QTest::newRow("type 0 before hello") << false << 0;
    QTest::newRow("link type 15 before hello") << false << 15;
    QTest::newRow("cluster 16 before hello") << false << 16;
    QTest::newRow("cluster 255 before hello") << false << 255;
    QTest::newRow("heartbeat instead of proof") << true << int(PeerFrameType::Heartbeat);
    QTest::newRow("leaving instead of proof") << true << int(PeerFrameType::Leaving);
    QTest::newRow("cluster 16 instead of proof") << true << 16;
    QTest::newRow("cluster 200 instead of proof") << true << 200;
}

void TestPeerHandshake::frameBeforeAuthentication()
{
    QFETCH(bool, afterHello);
    QFETCH(int, type);
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    if (afterHello) {
        a.receive(helloFrom(helloMap(identity(u"node-b"_s), nonceOf('\x77'))));
        QCOMPARE(a.state(), State::AwaitingProof);
    }
    const PeerFrame refused = single(a.receive(PeerFrame{quint8(type), "payload"_ba}));
    QCOMPARE(refused.type, quint8(PeerFrameType::Refused));
    QCOMPARE(a.state(), State::Failed);
    QVERIFY2(a.failureReason().contains(u"type %1"_s.arg(type)), qPrintable(a.failureReason()));
}

void TestPeerHandshake::secondHelloFails()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    const PeerFrame hello = helloFrom(helloMap(identity(u"node-b"_s), nonceOf('\x12')));
    a.receive(hello);
    const PeerFrame refused = single(a.receive(hello));
    QCOMPARE(refused.type, quint8(PeerFrameType::Refused));
    QCOMPARE(a.state(), State::Failed);
    QVERIFY2(a.failureReason().contains(u"second Hello from peer 'node-b'"_s),
             qPrintable(a.failureReason()));
}

void TestPeerHandshake::proofOfWrongLengthFails()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    PeerHandshake b(kSecret, identity(u"node-b"_s));
    b.receive(single(a.helloFrame()));
    const PeerFrame proof = single(a.receive(single(b.helloFrame())));
    QCOMPARE(proof.payload.size(), PeerHandshake::kProofBytes);
    // b's side: a's real proof, one byte short and one byte long.
    PeerHandshake b2 = b;
    b.receive(frame(PeerFrameType::Proof, proof.payload.chopped(1)));
    QCOMPARE(b.state(), State::Failed);
    b2.receive(frame(PeerFrameType::Proof, proof.payload + 'x'));
    QCOMPARE(b2.state(), State::Failed);
}

void TestPeerHandshake::refusedByPeer()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    a.receive(helloFrom(helloMap(identity(u"node-b"_s), nonceOf('\x13'))));
    // A refusal is not answered with another, and its text is made one line.
    QCOMPARE(a.receive(frame(PeerFrameType::Refused, "go\naway"_ba)), QByteArray());
    QCOMPARE(a.state(), State::Failed);
    QCOMPARE(a.failureReason(), u"refused by peer 'node-b': go away"_s);
}

void TestPeerHandshake::ignoresFramesOnceFinished()
{
    PeerHandshake a(kSecret, identity(u"node-a"_s));
    PeerHandshake b(kSecret, identity(u"node-b"_s));
    run(a, b);
    QCOMPARE(a.receive(frame(PeerFrameType::Hello, {})), QByteArray());
    QCOMPARE(a.state(), State::Authenticated);

    PeerHandshake failed(kSecret, identity(u"node-c"_s));
    failed.receive(frame(PeerFrameType::Proof, {}));
    const QString reason = failed.failureReason();
    QCOMPARE(failed.receive(single(b.helloFrame())), QByteArray());
    QCOMPARE(failed.state(), State::Failed);
    QCOMPARE(failed.failureReason(), reason);
}

void TestPeerHandshake::refusesToStartWithBadSettings_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("name");
    QTest::addColumn<quint64>("incarnation");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("nonce");
    QTest::addColumn<QString>("reasonPart");
    const quint64 seven = 7;
    QTest::newRow("empty secret") << QByteArray() << u"a"_s << seven << QString() << QByteArray()
                                  << u"secret is empty"_s;
    QTest::newRow("empty name") << kSecret << QString() << seven << QString() << QByteArray()
                                << u"name is empty"_s;
    QTest::newRow("long name") << kSecret << QString(300, u'x') << seven << QString()
                               << QByteArray() << u"name is 300 bytes"_s;
    QTest::newRow("incarnation 2^63")
        << kSecret << u"a"_s << quint64(std::numeric_limits<qint64>::max()) + 1 << QString()
        << QByteArray() << u"not below 2^63"_s;
    QTest::newRow("long address") << kSecret << u"a"_s << seven << QString(256, u'h')
                                  << QByteArray() << u"address is 256 bytes"_s;
    QTest::newRow("short nonce") << kSecret << u"a"_s << seven << QString() << QByteArray(16, 'n')
                                 << u"nonce is 16 bytes"_s;
}

void TestPeerHandshake::refusesToStartWithBadSettings()
{
    QFETCH(QByteArray, secret);
    QFETCH(QString, name);
    QFETCH(quint64, incarnation);
    QFETCH(QString, address);
    QFETCH(QByteArray, nonce);
    QFETCH(QString, reasonPart);
    PeerHandshake a(secret, PeerIdentity{name, incarnation, address}, nonce);
    QCOMPARE(a.state(), State::Failed);
    QCOMPARE(a.helloFrame(), QByteArray());
    QVERIFY2(a.failureReason().contains(reasonPart), qPrintable(a.failureReason()));
}

QTEST_APPLESS_MAIN(TestPeerHandshake)
#include "tst_peerhandshake.moc"
