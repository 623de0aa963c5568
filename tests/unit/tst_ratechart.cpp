// RateChart draws with QPainter: the value axis ends on 1, 2 or 5 times a power of ten, the
// line sits where its values say (checked on the rendered pixels), gaps break it, and it
// renders empty, one-point and long histories at small and large sizes.

#include "admin-gui/ui/ratechart.h"

#include <QImage>
#include <QTest>

using namespace flack::admin;

namespace {

const QColor kColor(0x1f, 0x6f, 0xd1);

// How many pixels of the series colour (the line, not its light fill) a column holds.
int lineAt(const QImage &image, int x)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const QColor c = image.pixelColor(x, y);
        if (qAbs(c.red() - kColor.red()) < 40 && qAbs(c.green() - kColor.green()) < 40 &&
            qAbs(c.blue() - kColor.blue()) < 40)
            ++count;
    }
    return count;
}

} // namespace

class TestRateChart : public QObject
{
    Q_OBJECT

private slots:
    void axisMaximum_data();
    void axisMaximum();
    void rendersAllCases();
    void breaksTheLineAtGaps();
};

void TestRateChart::axisMaximum_data()
{
    QTest::addColumn<double>("largest");
    QTest::addColumn<double>("top");
    QTest::newRow("zero") << 0.0 << 1.0;
    QTest::newRow("below one") << 0.3 << 1.0;
    QTest::newRow("one") << 1.0 << 1.0;
    QTest::newRow("1.5") << 1.5 << 2.0;
    QTest::newRow("3") << 3.0 << 5.0;
    QTest::newRow("7") << 7.0 << 10.0;
    QTest::newRow("10") << 10.0 << 10.0;
    QTest::newRow("52") << 52.0 << 100.0;
    QTest::newRow("1840.5") << 1840.5 << 2000.0;
    QTest::newRow("4999") << 4999.0 << 5000.0;
    QTest::newRow("NaN") << std::nan("") << 1.0;
}

void TestRateChart::axisMaximum()
{
    QFETCH(double, largest);
    QFETCH(double, top);
    QCOMPARE(RateChart::axisMaximum(largest), top);
}

void TestRateChart::rendersAllCases()
{
    RateChart chart(QStringLiteral("Messages in/s"), kColor);
    for (const QSize size : {QSize(240, 120), QSize(640, 240), QSize(2400, 900), QSize(10, 10)}) {
        chart.resize(size);
        chart.setPoints({});
        QVERIFY(!chart.grab().isNull());
        chart.setPoints({{1000, 5}});
        QVERIFY(!chart.grab().isNull());
        QList<QPointF> many;
        for (int t = 0; t < 3600; ++t)
            many.append(QPointF(t, 50 + 40 * std::sin(t / 30.0)));
        chart.setPoints(many);
        QVERIFY(!chart.grab().isNull());
    }
    QCOMPARE(chart.points().size(), 3600);
    chart.setWindowSeconds(60);
    QCOMPARE(chart.windowSeconds(), 60);
    chart.setWindowSeconds(1);
    QCOMPARE(chart.windowSeconds(), 10);
}

void TestRateChart::breaksTheLineAtGaps()
{
    RateChart chart(QStringLiteral("rate"), kColor);
    chart.setWindowSeconds(300);
    chart.resize(600, 300);
    // Data for the first and the last 100 s of the window, none in between (a lost connection).
    QList<QPointF> points;
    for (int t = 0; t <= 100; ++t)
        points.append(QPointF(t, 10));
    for (int t = 200; t <= 300; ++t)
        points.append(QPointF(t, 10));
    chart.setPoints(points);
    const QImage image = chart.grab().toImage();
    const int width = image.width();
    // The plot spans most of the width; look well inside each third.
    QVERIFY(lineAt(image, width * 20 / 100) > 0);
    QVERIFY(lineAt(image, width * 90 / 100) > 0);
    QCOMPARE(lineAt(image, width * 55 / 100), 0);
}

QTEST_MAIN(TestRateChart)
#include "tst_ratechart.moc"
