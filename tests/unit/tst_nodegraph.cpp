// NodeGraph places every node inside the widget, apart from each other, the same way each time
// (sorted by name), renders any cluster size, colours links by health and gives tooltips for
// nodes and links.

#include "admin-gui/ui/nodegraph.h"
#include "tests/support/adminsamples.h"

#include <QHelpEvent>
#include <QTest>
#include <QToolTip>

using namespace flack;
using namespace flack::admin;

namespace {

QList<protocol::NodeInfo> cluster(int count)
{
    QStringList names;
    for (int i = 1; i <= count; ++i)
        names.append(QStringLiteral("n%1").arg(i));
    QList<protocol::NodeInfo> nodes;
    for (const QString &name : std::as_const(names))
        nodes.append(testing::sampleNode(name, names));
    return nodes;
}

} // namespace

class TestNodeGraph : public QObject
{
    Q_OBJECT

private slots:
    void placesNodesInsideAndApart_data();
    void placesNodesInsideAndApart();
    void placesStablyWhateverTheOrder();
    void drawsHealthColours();
    void tooltipsForNodesAndLinks();
};

void TestNodeGraph::placesNodesInsideAndApart_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QSize>("size");
    for (const int count : {1, 2, 3, 5, 8, 16}) {
        for (const QSize size : {QSize(400, 260), QSize(1260, 420), QSize(2500, 1200)})
            QTest::addRow("%d nodes in %dx%d", count, size.width(), size.height()) << count << size;
    }
}

void TestNodeGraph::placesNodesInsideAndApart()
{
    QFETCH(int, count);
    QFETCH(QSize, size);
    NodeGraph graph;
    graph.resize(size);
    graph.setNodes(cluster(count), QStringLiteral("n1"));
    const QHash<QString, QPointF> centres = graph.nodeCentres();
    QCOMPARE(centres.size(), count);
    const QList<QPointF> points = centres.values();
    for (const QPointF &p : points)
        QVERIFY2(QRectF(QPointF(0, 0), size).contains(p), qPrintable(QString::number(p.x())));
    for (qsizetype i = 0; i < points.size(); ++i) {
        for (qsizetype j = i + 1; j < points.size(); ++j)
            QVERIFY(QLineF(points[i], points[j]).length() > 20);
    }
    QVERIFY(!graph.grab().isNull());
}

void TestNodeGraph::placesStablyWhateverTheOrder()
{
    NodeGraph graph;
    graph.resize(800, 400);
    QList<protocol::NodeInfo> nodes = cluster(4);
    graph.setNodes(nodes, QStringLiteral("n1"));
    const QHash<QString, QPointF> before = graph.nodeCentres();
    std::reverse(nodes.begin(), nodes.end());
    graph.setNodes(nodes, QStringLiteral("n3"));
    QCOMPARE(graph.nodeCentres(), before);
    // Two nodes sit side by side.
    graph.setNodes(cluster(2), {});
    const QHash<QString, QPointF> two = graph.nodeCentres();
    QCOMPARE(two.value(QStringLiteral("n1")).y(), two.value(QStringLiteral("n2")).y());
    QVERIFY(two.value(QStringLiteral("n1")).x() < two.value(QStringLiteral("n2")).x());
}

void TestNodeGraph::drawsHealthColours()
{
    NodeGraph graph;
    graph.resize(800, 400);
    QList<protocol::NodeInfo> nodes = cluster(2);
    graph.setNodes(nodes, QStringLiteral("n1"));
    const auto colourAtMiddleOfLink = [&] {
        const QImage image = graph.grab().toImage();
        const QHash<QString, QPointF> c = graph.nodeCentres();
        // A quarter of the way along the link: on the line, clear of its label.
        const QPointF at =
            c.value(QStringLiteral("n1")) * 0.7 + c.value(QStringLiteral("n2")) * 0.3;
        return image.pixelColor(at.toPoint());
    };
    QCOMPARE(colourAtMiddleOfLink(), QColor(0x2e, 0x9d, 0x4f)); // up: green
    nodes[1].links[0].state = protocol::LinkState::Down;
    graph.setNodes(nodes, QStringLiteral("n1"));
    QCOMPARE(colourAtMiddleOfLink(), QColor(0xe0, 0x8e, 0x0b)); // half-open: amber
}

void TestNodeGraph::tooltipsForNodesAndLinks()
{
    NodeGraph graph;
    graph.resize(800, 400);
    graph.show();
    QVERIFY(QTest::qWaitForWindowExposed(&graph));
    QList<protocol::NodeInfo> nodes = cluster(2);
    nodes[1].links[0].rttMs = 4;
    graph.setNodes(nodes, QStringLiteral("n1"));
    const QHash<QString, QPointF> c = graph.nodeCentres();
    const auto tipAt = [&](const QPointF &at) {
        QHelpEvent event(QEvent::ToolTip, at.toPoint(), graph.mapToGlobal(at.toPoint()));
        QCoreApplication::sendEvent(&graph, &event);
        return QToolTip::isVisible() ? QToolTip::text() : QString();
    };
    const QString node = tipAt(c.value(QStringLiteral("n2")));
    QVERIFY2(node.contains(QStringLiteral("n2 (127.0.0.1:9192)")), qPrintable(node));
    const QString link =
        tipAt(c.value(QStringLiteral("n1")) * 0.7 + c.value(QStringLiteral("n2")) * 0.3);
    QVERIFY2(link.contains(QStringLiteral("n1 → n2: up, 1 ms")) &&
                 link.contains(QStringLiteral("n2 → n1: up, 4 ms")),
             qPrintable(link));
}

QTEST_MAIN(TestNodeGraph)
#include "tst_nodegraph.moc"
