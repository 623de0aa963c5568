// Three real flack-server processes clustered on loopback: cross-node chat_state, joined,
// chat_message and left; identical sequences and bytes at every client; a burst with no loss,
// repeat or reordering; kill -9 of a chat's owner in the middle of a burst (every message once,
// lefts for the dead node's user, sequences never going back); the node's restart; a wrong
// secret refused; and a graceful stop that re-homes at once instead of after the timeout.

#include "server/cluster/chatplacement.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/chatcollector.h"
#include "tests/support/localcluster.h"
#include "tests/support/wstestclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace flack::test;
using namespace Qt::StringLiterals;
namespace protocol = flack::protocol;
using flack::server::cluster::ChatPlacement;

namespace {

bool strictlyIncreasing(const Collector &c, const QString &chat)
{
    qint64 previous = 0;
    for (const QJsonObject &r : c.records) {
        if (str(r, "chat_name") != chat || !r.contains(u"sequence"_s))
            continue;
        const qint64 sequence = r.value(u"sequence"_s).toInteger();
        if (sequence <= previous)
            return false;
        previous = sequence;
    }
    return true;
}

const QStringList kThree = {u"n1"_s, u"n2"_s, u"n3"_s};

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

    std::unique_ptr<LocalCluster> m_cluster;

    // Ann on n1, Bo on n2, Cy on n3 join the chat in that order; returns once each has seen
    // the joins after its own.
    void joinOnePerNode(const QString &chat, Collector &ann, Collector &bo, Collector &cy)
    {
        QVERIFY(ann.connect(m_cluster->node(1), u"Ann"_s));
        QVERIFY(bo.connect(m_cluster->node(2), u"Bo"_s));
        QVERIFY(cy.connect(m_cluster->node(3), u"Cy"_s));
        for (Collector *c : {&ann, &bo, &cy}) {
            c->client->sendText(protocol::encodeJoinChat(chat));
            QVERIFY(c->readUntil([&] { return c->count(u"joined") >= 1; }));
        }
        QVERIFY(ann.readUntil([&] { return ann.count(u"joined") == 3; }));
        QVERIFY(bo.readUntil([&] { return bo.count(u"joined") == 2; }));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The bursts below check ordering and loss across nodes, not the per-connection
        // message rate (tst_hardening does): no rate limit.
        m_cluster = std::make_unique<LocalCluster>(
            3000, QStringList{QStringLiteral("--max-messages-per-second"), QStringLiteral("0")});
        for (int i = 1; i <= 3; ++i)
            QVERIFY2(m_cluster->startNode(i), m_cluster->node(i).output().constData());
        // n2 and n3 were given only n1: they find each other by gossip.
        QVERIFY2(m_cluster->waitForMesh({1, 2, 3}), m_cluster->node(3).output().constData());
    }

    void crossNodeStateJoinedMessagesAndLeft()
    {
        const QString chat = u"lobby"_s;
        Collector ann, bo, cy;
        QVERIFY(ann.connect(m_cluster->node(1), u"Ann"_s));
        QVERIFY(bo.connect(m_cluster->node(2), u"Bo"_s));
        QVERIFY(cy.connect(m_cluster->node(3), u"Cy"_s));
        ann.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(ann.readUntil([&] { return ann.count(u"joined") == 1; }));
        bo.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(bo.readUntil([&] { return bo.count(u"joined") == 1; }));
        cy.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(cy.readUntil([&] { return cy.count(u"joined") == 1; }));
        // Cy's chat_state, on n3, lists the members on n1 and n2.
        const QJsonArray users = cy.of(u"chat_state").first().value(u"users"_s).toArray();
        QCOMPARE(users.size(), 2);
        QCOMPARE(str(users[0].toObject(), "user_id"), ann.userId);
        QCOMPARE(str(users[1].toObject(), "user_id"), bo.userId);
        QVERIFY(ann.readUntil([&] { return ann.count(u"joined") == 3; }));
        QVERIFY(bo.readUntil([&] { return bo.count(u"joined") == 2; }));

        ann.post(chat, u"from n1"_s);
        QVERIFY(cy.readUntil([&] { return cy.count(u"chat_message") == 1; }));
        bo.post(chat, u"from n2"_s);
        QVERIFY(cy.readUntil([&] { return cy.count(u"chat_message") == 2; }));
        cy.post(chat, u"from n3"_s);
        for (Collector *c : {&ann, &bo, &cy})
            QVERIFY(c->readUntil([&] { return c->count(u"chat_message") == 3; }));
        // The same events with the same sequences everywhere (from Cy's join on).
        const QStringList reference = timeline(cy, chat);
        QCOMPARE(timeline(ann, chat).mid(timeline(ann, chat).size() - reference.size()), reference);
        QCOMPARE(timeline(bo, chat).mid(timeline(bo, chat).size() - reference.size()), reference);

        bo.client->sendText(protocol::encodeLeaveChat(chat));
        for (Collector *c : {&ann, &bo, &cy}) {
            QVERIFY(c->readUntil([&] { return c->count(u"left") == 1; }));
            QCOMPARE(str(c->of(u"left").first(), "user_id"), bo.userId);
        }
        // A disconnect on n3 is a left on n1.
        cy.client->socket().abort();
        QVERIFY(ann.readUntil([&] { return ann.count(u"left") == 2; }));
        QCOMPARE(str(ann.of(u"left").last(), "user_id"), cy.userId);
    }

    void burstHasNoLossRepeatOrReordering()
    {
        const QString chat = chatOwnedBy(u"n3"_s, kThree, u"burst"_s);
        Collector ann, bo, cy;
        joinOnePerNode(chat, ann, bo, cy);
        if (QTest::currentTestFailed())
            return;
        constexpr int kEach = 300;
        for (int i = 0; i < kEach; ++i) {
            ann.post(chat, u"a%1"_s.arg(i));
            bo.post(chat, u"b%1"_s.arg(i));
        }
        for (Collector *c : {&ann, &bo, &cy})
            QVERIFY(c->readUntil([&] { return c->count(u"chat_message") == 2 * kEach; }));
        const QStringList reference = timeline(cy, chat);
        QCOMPARE(timeline(ann, chat).mid(timeline(ann, chat).size() - reference.size()), reference);
        QCOMPARE(timeline(bo, chat).mid(timeline(bo, chat).size() - reference.size()), reference);
        // Each sender's messages in the order sent.
        QStringList fromAnn;
        for (const QJsonObject &r : cy.of(u"chat_message")) {
            if (str(r, "user_id") == ann.userId)
                fromAnn.append(str(r, "message"));
        }
        QCOMPARE(fromAnn.size(), kEach);
        for (int i = 0; i < kEach; ++i)
            QCOMPARE(fromAnn[i], u"a%1"_s.arg(i));
        QVERIFY(strictlyIncreasing(cy, chat));
    }

    void wrongSecretIsRefused()
    {
        QVERIFY(m_cluster->startNode(4, "a-different-secret-of-enough-bytes"));
        // n1 refuses it and says from where; n4 never gets a live peer.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return m_cluster->node(1).output().contains(
                                    "wrong proof from peer 'n4'") &&
                                m_cluster->node(4).output().contains("wrong proof from peer 'n1'");
                     },
                     20000),
                 m_cluster->node(1).output().constData());
        QVERIFY(!m_cluster->node(4).output().contains("live nodes: n1"));
        QVERIFY(!m_cluster->node(1).output().contains("node n4 up"));
        QCOMPARE(m_cluster->terminate(4), 0);
    }

    void killOwnerMidBurstLosesNothing()
    {
        const QString chat = chatOwnedBy(u"n3"_s, kThree, u"failover"_s);
        Collector ann, bo, cy;
        joinOnePerNode(chat, ann, bo, cy);
        if (QTest::currentTestFailed())
            return;

        // Ann sends steadily; n3 (the chat's owner, holding Cy) dies in the middle.
        constexpr int kTotal = 400;
        int sent = 0;
        QTimer sender;
        sender.setInterval(2);
        QObject::connect(&sender, &QTimer::timeout, &sender, [&] {
            ann.post(chat, u"m%1"_s.arg(sent));
            if (++sent == kTotal)
                sender.stop();
        });
        sender.start();
        QVERIFY(bo.readUntil([&] { return bo.count(u"chat_message") >= 100; }));
        QElapsedTimer sinceKill;
        m_cluster->kill(3);
        sinceKill.start();
        // The bound: lefts within the peer timeout + 1 s.
        QVERIFY(bo.readUntil([&] { return bo.count(u"left") == 1; },
                             m_cluster->peerTimeoutMs() + 1000));
        const qint64 failoverMs = sinceKill.elapsed();
        qInfo("left for the dead node's user after %lld ms (peer timeout %d ms)",
              static_cast<long long>(failoverMs), m_cluster->peerTimeoutMs());
        QCOMPARE(str(bo.of(u"left").first(), "user_id"), cy.userId);
        QVERIFY(QTest::qWaitFor([&] { return sent == kTotal; }, 20000));
        for (Collector *c : {&ann, &bo}) {
            QVERIFY2(
                c->readUntil([&] { return c->count(u"chat_message", chat) >= kTotal; }),
                qPrintable(u"got %1 of %2"_s.arg(c->count(u"chat_message", chat)).arg(kTotal)));
            // Exactly once each, in the order sent, sequences never going back.
            const auto received = c->of(u"chat_message", chat);
            QCOMPARE(received.size(), kTotal);
            for (int i = 0; i < kTotal; ++i)
                QCOMPARE(str(received[i], "message"), u"m%1"_s.arg(i));
            QVERIFY(strictlyIncreasing(*c, chat));
            QCOMPARE(c->count(u"left", chat), 1);
        }
        // Nothing more arrives twice afterwards either: one more message each way.
        bo.post(chat, u"after"_s);
        QVERIFY(ann.readUntil([&] { return ann.count(u"chat_message", chat) == kTotal + 1; }));
        QCOMPARE(str(ann.of(u"chat_message", chat).last(), "message"), u"after"_s);

        // The node comes back as a new incarnation and takes its share again.
        QVERIFY(m_cluster->startNode(3));
        QVERIFY2(m_cluster->waitForMesh({1, 2, 3}), m_cluster->node(3).output().constData());
        Collector dee;
        QVERIFY(dee.connect(m_cluster->node(3), u"Dee"_s));
        dee.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(dee.readUntil([&] { return dee.count(u"joined") == 1; }));
        const QJsonArray users = dee.of(u"chat_state").first().value(u"users"_s).toArray();
        QCOMPARE(users.size(), 2);
        dee.post(chat, u"back"_s);
        for (Collector *c : {&ann, &bo})
            QVERIFY(c->readUntil([&] {
                return !c->of(u"chat_message", chat).isEmpty() &&
                       str(c->of(u"chat_message", chat).last(), "message") == u"back";
            }));
        QVERIFY(strictlyIncreasing(ann, chat));
        QVERIFY(strictlyIncreasing(bo, chat));
    }

    void gracefulStopRehomesAtOnce()
    {
        // A long timeout: only the Leaving announcement can explain a quick left.
        LocalCluster slow(60000);
        QVERIFY(slow.startNode(1));
        QVERIFY(slow.startNode(2));
        QVERIFY(slow.waitForMesh({1, 2}));
        const QString chat = chatOwnedBy(u"n2"_s, {u"n1"_s, u"n2"_s}, u"graceful"_s);
        Collector ann, bo;
        QVERIFY(ann.connect(slow.node(1), u"Ann"_s));
        QVERIFY(bo.connect(slow.node(2), u"Bo"_s));
        ann.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(ann.readUntil([&] { return ann.count(u"joined") == 1; }));
        bo.client->sendText(protocol::encodeJoinChat(chat));
        QVERIFY(ann.readUntil([&] { return ann.count(u"joined") == 2; }));
        QCOMPARE(slow.terminate(2), 0);
        QVERIFY(ann.readUntil([&] { return ann.count(u"left") == 1; }, 15000));
        QVERIFY(slow.waitForView(1, {u"n1"_s}, 15000));
        // Ann's chat now lives on n1: it answers at once.
        ann.post(chat, u"still here"_s);
        QVERIFY2(ann.readUntil([&] { return ann.count(u"chat_message") >= 1; }, 15000),
                 slow.node(1).output().constData());
        QCOMPARE(ann.count(u"chat_message"), 1);
        QVERIFY(strictlyIncreasing(ann, chat));
    }

    void cleanupTestCase()
    {
        for (int i = 1; i <= m_cluster->size(); ++i) {
            if (m_cluster->node(i).process().state() == QProcess::Running)
                QCOMPARE(m_cluster->terminate(i), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
