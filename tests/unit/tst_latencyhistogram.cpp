// Latency percentiles within the histogram's ~3% resolution, merging, and the edges.

#include "tools/core/latencyhistogram.h"

#include <QTest>

using flack::tools::LatencyHistogram;

class TestLatencyHistogram : public QObject
{
    Q_OBJECT
private slots:
    void empty();
    void uniformPercentiles_data();
    void uniformPercentiles();
    void maxAndMinAreExact();
    void mergeEqualsRecordingAll();
};

void TestLatencyHistogram::empty()
{
    LatencyHistogram histogram;
    QCOMPARE(histogram.count(), 0u);
    QCOMPARE(histogram.percentile(99), 0);
    QCOMPARE(histogram.max(), 0);
}

void TestLatencyHistogram::uniformPercentiles_data()
{
    QTest::addColumn<double>("percentile");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("p50") << 50.0 << qint64(500'000);
    QTest::newRow("p90") << 90.0 << qint64(900'000);
    QTest::newRow("p99") << 99.0 << qint64(990'000);
    QTest::newRow("p99.9") << 99.9 << qint64(999'000);
    QTest::newRow("p0.1") << 0.1 << qint64(1'000);
}

void TestLatencyHistogram::uniformPercentiles()
{
    QFETCH(double, percentile);
    QFETCH(qint64, expected);
    LatencyHistogram histogram;
    for (qint64 v = 1; v <= 1000; ++v)
        histogram.record(v * 1000); // 1 µs .. 1 ms
    const double got = double(histogram.percentile(percentile));
    QVERIFY2(std::abs(got - double(expected)) <= 0.035 * double(expected),
             qPrintable(QStringLiteral("got %1, expected %2").arg(got).arg(expected)));
}

void TestLatencyHistogram::maxAndMinAreExact()
{
    LatencyHistogram histogram;
    histogram.record(123'456'789);
    histogram.record(5);
    histogram.record(-3); // a clock hiccup counts as zero, never as garbage
    QCOMPARE(histogram.max(), 123'456'789);
    QCOMPARE(histogram.min(), 0);
    QCOMPARE(histogram.percentile(100), 123'456'789);
    QCOMPARE(histogram.count(), 3u);
}

void TestLatencyHistogram::mergeEqualsRecordingAll()
{
    LatencyHistogram a;
    LatencyHistogram b;
    LatencyHistogram all;
    for (int i = 0; i < 5000; ++i) {
        const qint64 v = qint64(i) * 7919 % 100'000'000;
        (i % 2 ? a : b).record(v);
        all.record(v);
    }
    a.merge(b);
    QCOMPARE(a.count(), all.count());
    QCOMPARE(a.max(), all.max());
    for (const double p : {50.0, 90.0, 99.0, 99.9})
        QCOMPARE(a.percentile(p), all.percentile(p));
}

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
