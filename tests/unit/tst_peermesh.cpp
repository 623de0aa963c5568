// PeerMesh in one process over real loopback sockets: a full mesh learned from one seed, one
// link per pair, a restarted node (higher incarnation) replacing the old one, stale and
// departed incarnations refused, and garbage on the cluster port ignored.

#include "server/cluster/peermesh.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using flack::server::cluster::ClusterMessageType;
using flack::server::cluster::PeerMesh;
using flack::server::cluster::PeerMeshSettings;

namespace {

std::unique_ptr<PeerMesh> makeMesh(const QString &name, quint64 incarnation,
                                   const QList<std::pair<QString, quint16>> &seeds = {})
{
    PeerMeshSettings settings;
    settings.link.secret = "unit-test-secret-of-enough-bytes";
    settings.link.heartbeatIntervalMs = 100;
    settings.link.peerTimeoutMs = 2000;
    settings.link.handshakeTimeoutMs = 2000;
    settings.listenHost = u"127.0.0.1"_s;
    settings.seeds = seeds;
    settings.reconnectMinMs = 50;
    settings.reconnectMaxMs = 200;
    settings.gossipIntervalMs = 100;
    auto mesh = std::make_unique<PeerMesh>(settings);
    QString error;
    if (!mesh->listen(&error))
        qFatal("cannot listen: %s", qPrintable(error));
    mesh->setSelf({name, incarnation, u"127.0.0.1:%1"_s.arg(mesh->listenPort())});
    mesh->start();
    return mesh;
}

std::pair<QString, quint16> seedOf(const PeerMesh &mesh)
{
    return {u"127.0.0.1"_s, mesh.listenPort()};
}

bool sees(const PeerMesh &mesh, QStringList names)
{
    QStringList live = mesh.liveNodes();
    live.sort();
    names.sort();
    return live == names;
}

quint64 incarnationOf(const PeerMesh &mesh, const QString &name)
{
    for (const auto &peer : mesh.peers()) {
        if (peer.name == name)
            return peer.incarnation;
    }
    return 0;
}

} // namespace

class TestPeerMesh : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullMeshFromOneSeed()
    {
        auto a = makeMesh(u"a"_s, 1);
        auto b = makeMesh(u"b"_s, 1, {seedOf(*a)});
        auto c = makeMesh(u"c"_s, 1, {seedOf(*a)});
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {u"b"_s, u"c"_s}), 10000);
        // b and c were never told of each other: gossip did it.
        QTRY_VERIFY_WITH_TIMEOUT(sees(*b, {u"a"_s, u"c"_s}), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(sees(*c, {u"a"_s, u"b"_s}), 10000);
        QCOMPARE(a->peers().size(), 2);

        QSignalSpy received(c.get(), &PeerMesh::messageReceived);
        QVERIFY(b->sendTo(u"c"_s, ClusterMessageType::Moved, "payload"));
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().at(0).toString(), u"b"_s);
        QCOMPARE(received.first().at(2).toByteArray(), QByteArray("payload"));
        QVERIFY(!b->sendTo(u"nobody"_s, ClusterMessageType::Moved, "x"));
    }

    void bothDialingAtOnceLeavesOneLink()
    {
        auto a = makeMesh(u"a"_s, 1);
        auto b = makeMesh(u"b"_s, 1, {seedOf(*a)});
        auto a2 = makeMesh(u"a2"_s, 1, {seedOf(*b)});
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {u"b"_s, u"a2"_s}), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(sees(*b, {u"a"_s, u"a2"_s}), 10000);
        // Messages still flow both ways on whatever link was kept.
        QSignalSpy atA(a.get(), &PeerMesh::messageReceived);
        QSignalSpy atB(b.get(), &PeerMesh::messageReceived);
        QTRY_VERIFY_WITH_TIMEOUT(b->sendTo(u"a"_s, ClusterMessageType::Moved, "1") &&
                                     a->sendTo(u"b"_s, ClusterMessageType::Moved, "2"),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!atA.isEmpty() && !atB.isEmpty(), 5000);
    }

    void restartReplacesAndStaleIsRefused()
    {
        auto a = makeMesh(u"a"_s, 1);
        auto b = makeMesh(u"b"_s, 5, {seedOf(*a)});
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {u"b"_s}), 10000);
        QCOMPARE(incarnationOf(*a, u"b"_s), quint64(5));

        // The same node restarted: a higher incarnation replaces the old one.
        auto restarted = makeMesh(u"b"_s, 6, {seedOf(*a)});
        QTRY_COMPARE_WITH_TIMEOUT(incarnationOf(*a, u"b"_s), quint64(6), 10000);

        // An older process of it still running is refused: its link comes up on its side and
        // is cut by a at once; a keeps the new one.
        QSignalSpy refused(a.get(), &PeerMesh::peerRefused);
        auto stale = makeMesh(u"b"_s, 4, {seedOf(*a)});
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.first().at(0).toString(), u"b"_s);
        QCOMPARE(refused.first().at(1).toULongLong(), quint64(4));
        QCOMPARE(incarnationOf(*a, u"b"_s), quint64(6));
        QVERIFY(sees(*a, {u"b"_s}));
    }

    void departedIncarnationIsNotTakenBack()
    {
        auto a = makeMesh(u"a"_s, 1);
        auto b = makeMesh(u"b"_s, 7, {seedOf(*a)});
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {u"b"_s}), 10000);
        QSignalSpy left(b.get(), &PeerMesh::left);
        b->leave();
        QTRY_VERIFY_WITH_TIMEOUT(!left.isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {}), 5000);
        b.reset();
        // The same incarnation coming back (it said it was leaving) is refused.
        QSignalSpy refused(a.get(), &PeerMesh::peerRefused);
        auto again = makeMesh(u"b"_s, 7, {seedOf(*a)});
        QVERIFY(refused.wait(10000));
        QCOMPARE(refused.first().at(1).toULongLong(), quint64(7));
        QVERIFY(sees(*a, {}));
        again.reset();
        // A new incarnation is welcome.
        auto fresh = makeMesh(u"b"_s, 8, {seedOf(*a)});
        QTRY_COMPARE_WITH_TIMEOUT(incarnationOf(*a, u"b"_s), quint64(8), 10000);
    }

    void garbageOnTheClusterPortChangesNothing()
    {
        auto a = makeMesh(u"a"_s, 1);
        auto b = makeMesh(u"b"_s, 1, {seedOf(*a)});
        QTRY_VERIFY_WITH_TIMEOUT(sees(*a, {u"b"_s}), 10000);
        // (The server runs on this thread: wait with the event loop running, not blocking.)
        QTcpSocket raw;
        QSignalSpy disconnected(&raw, &QTcpSocket::disconnected);
        raw.connectToHost(u"127.0.0.1"_s, a->listenPort());
        raw.write(QByteArray("\xff\xff\xff\xff garbage", 12));
        QVERIFY(disconnected.wait(5000));
        QVERIFY(sees(*a, {u"b"_s}));
        QVERIFY(a->sendTo(u"b"_s, ClusterMessageType::Moved, "still up"));
    }
};

QTEST_GUILESS_MAIN(TestPeerMesh)
#include "tst_peermesh.moc"
