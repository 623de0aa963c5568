// Aggregation of the cluster's figures for the Overview: counts over every node, rates over
// the reachable ones only, and the mesh's links as node pairs with the health both sides
// report (up, half-open, down, missing) and the larger known round-trip time.

#include "admin-gui/core/clustertotals.h"
#include "admin-gui/core/nodepairs.h"
#include "tests/support/adminsamples.h"

#include <QTest>

using namespace flack;
using namespace flack::admin;
using protocol::LinkInfo;
using protocol::LinkState;
using Health = NodePair::Health;

Q_DECLARE_METATYPE(flack::admin::NodePair::Health)

namespace {

const QStringList kNames{QStringLiteral("n1"), QStringLiteral("n2"), QStringLiteral("n3")};

QList<protocol::NodeInfo> mesh()
{
    QList<protocol::NodeInfo> nodes;
    for (const QString &name : kNames)
        nodes.append(testing::sampleNode(name, kNames));
    return nodes;
}

} // namespace

class TestClusterTotals : public QObject
{
    Q_OBJECT

private slots:
    void sumsAFullMesh();
    void leavesUnreachableRatesOut();
    void emptyCluster();
    void pairHealth_data();
    void pairHealth();
    void pairsAreSortedAndComplete();
};

void TestClusterTotals::sumsAFullMesh()
{
    const ClusterTotals totals = aggregateTotals(mesh(), 4, 9);
    QCOMPARE(totals.nodes, 3);
    QCOMPARE(totals.nodesUp, 3);
    QCOMPARE(totals.links, 3);
    QCOMPARE(totals.linksUp, 3);
    QCOMPARE(totals.connections, 15);
    QCOMPARE(totals.chats, 4);
    QCOMPARE(totals.users, 9);
    QCOMPARE(totals.messagesInPerS, 30.0);
    QCOMPARE(totals.messagesOutPerS, 90.0);
    QCOMPARE(totals.deliveriesPerS, 90.0);
    QVERIFY(!totals.partial);
}

void TestClusterTotals::leavesUnreachableRatesOut()
{
    QList<protocol::NodeInfo> nodes = mesh();
    nodes[2].status = protocol::NodeStatus::Unreachable;
    nodes[2].messagesInPerS = 1000; // its last answer
    nodes[2].connections = 100;
    // The others see their links to n3 down.
    nodes[0].links[1].state = LinkState::Down;
    nodes[1].links[1].state = LinkState::Down;
    const ClusterTotals totals = aggregateTotals(nodes, 0, 0);
    QCOMPARE(totals.nodesUp, 2);
    QVERIFY(totals.partial);
    QCOMPARE(totals.messagesInPerS, 20.0);
    QCOMPARE(totals.connections, 110); // counts as last reported
    QCOMPARE(totals.links, 3);
    QCOMPARE(totals.linksUp, 1);
}

void TestClusterTotals::emptyCluster()
{
    QCOMPARE(aggregateTotals({}, 0, 0), ClusterTotals{});
    const ClusterTotals one =
        aggregateTotals({testing::sampleNode(QStringLiteral("n1"), {})}, 0, 0);
    QCOMPARE(one.nodes, 1);
    QCOMPARE(one.links, 0);
}

void TestClusterTotals::pairHealth_data()
{
    QTest::addColumn<int>("first"); // 0 none, 1 up, 2 down
    QTest::addColumn<int>("second");
    QTest::addColumn<Health>("health");
    QTest::addColumn<qint64>("rtt");
    QTest::newRow("both up") << 1 << 1 << Health::Up << qint64(7);
    QTest::newRow("up and down") << 1 << 2 << Health::HalfOpen << qint64(3);
    QTest::newRow("down and up") << 2 << 1 << Health::HalfOpen << qint64(7);
    QTest::newRow("up, other silent") << 1 << 0 << Health::HalfOpen << qint64(3);
    QTest::newRow("both down") << 2 << 2 << Health::Down << qint64(-1);
    QTest::newRow("down, other silent") << 0 << 2 << Health::Down << qint64(-1);
    QTest::newRow("neither") << 0 << 0 << Health::Missing << qint64(-1);
}

void TestClusterTotals::pairHealth()
{
    QFETCH(int, first);
    QFETCH(int, second);
    QFETCH(Health, health);
    QFETCH(qint64, rtt);
    protocol::NodeInfo a = testing::sampleNode(QStringLiteral("a"), {});
    protocol::NodeInfo b = testing::sampleNode(QStringLiteral("b"), {});
    if (first)
        a.links = {LinkInfo{QStringLiteral("b"), first == 1 ? LinkState::Up : LinkState::Down,
                            first == 1 ? 3 : -1}};
    if (second)
        b.links = {LinkInfo{QStringLiteral("a"), second == 1 ? LinkState::Up : LinkState::Down,
                            second == 1 ? 7 : -1}};
    const QList<NodePair> pairs = nodePairs({b, a});
    QCOMPARE(pairs.size(), 1);
    QCOMPARE(pairs[0].first, QStringLiteral("a"));
    QCOMPARE(pairs[0].health(), health);
    QCOMPARE(pairs[0].rttMs(), rtt);
}

void TestClusterTotals::pairsAreSortedAndComplete()
{
    QList<protocol::NodeInfo> nodes = mesh();
    nodes.append(testing::sampleNode(QStringLiteral("n0"), {})); // joined, no links yet
    std::reverse(nodes.begin(), nodes.end());
    const QList<NodePair> pairs = nodePairs(nodes);
    QCOMPARE(pairs.size(), 6);
    QStringList names;
    for (const NodePair &pair : pairs)
        names.append(pair.first + u'-' + pair.second);
    QCOMPARE(names, (QStringList{QStringLiteral("n0-n1"), QStringLiteral("n0-n2"),
                                 QStringLiteral("n0-n3"), QStringLiteral("n1-n2"),
                                 QStringLiteral("n1-n3"), QStringLiteral("n2-n3")}));
    QCOMPARE(pairs[0].health(), Health::Missing);
    QCOMPARE(pairs[3].health(), Health::Up);
    const ClusterTotals totals = aggregateTotals(nodes, 0, 0);
    QCOMPARE(totals.links, 6);
    QCOMPARE(totals.linksUp, 3);
}

QTEST_GUILESS_MAIN(TestClusterTotals)
#include "tst_clustertotals.moc"
