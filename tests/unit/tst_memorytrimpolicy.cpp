// MemoryTrimPolicy: when the server returns freed heap to the kernel, on a fake clock.

#include "server/net/memorytrimpolicy.h"

#include <QTest>

#include <vector>

using flack::server::net::MemoryTrimPolicy;
using flack::server::net::MemoryTrimSettings;

namespace {

struct Tick
{
    qint64 nowMs;
    qint64 arrivals;
    qint64 released;
};

MemoryTrimSettings smallSettings()
{
    MemoryTrimSettings settings;
    settings.quietArrivalsPerTick = 10;
    settings.quietTicks = 1;
    settings.minArrivals = 100;
    settings.minReleasedBuffers = 50;
    settings.minIntervalMs = 10'000;
    return settings;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Tick>)

class TestMemoryTrimPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decisions_data()
    {
        QTest::addColumn<std::vector<Tick>>("ticks");
        QTest::addColumn<QList<bool>>("trims");

        QTest::newRow("nothing freed, never")
            << std::vector<Tick>{{1000, 0, 0}, {2000, 0, 0}} << QList<bool>{false, false};
        QTest::newRow("burst, then its first quiet tick")
            << std::vector<Tick>{{1000, 60, 0}, {2000, 60, 0}, {3000, 2, 0}, {4000, 0, 0}}
            << QList<bool>{false, false, true, false};
        QTest::newRow("no trim while the burst goes on, however much it freed")
            << std::vector<Tick>{{1000, 500, 500}, {2000, 11, 500}, {3000, 10, 0}}
            << QList<bool>{false, false, true};
        QTest::newRow("a few arrivals are not worth a trim")
            << std::vector<Tick>{{1000, 5, 0}, {2000, 5, 0}, {3000, 5, 0}}
            << QList<bool>{false, false, false};
        QTest::newRow("trickle adds up")
            << std::vector<Tick>{{1000, 10, 0}, {2000, 10, 0}, {3000, 10, 30}, {4000, 10, 30}}
            << QList<bool>{false, false, false, true};
        QTest::newRow("released buffers alone are enough")
            << std::vector<Tick>{{1000, 0, 49}, {2000, 0, 1}} << QList<bool>{false, true};
        QTest::newRow("no two trims closer than the interval")
            << std::vector<Tick>{{1000, 0, 100}, {2000, 0, 100}, {10'999, 0, 0}, {11'000, 0, 0}}
            << QList<bool>{true, false, false, true};
        QTest::newRow("what a trim took is not counted again")
            << std::vector<Tick>{{1000, 0, 100}, {20'000, 0, 0}} << QList<bool>{true, false};
        QTest::newRow("negative counts neither trim nor cancel")
            << std::vector<Tick>{{1000, 0, 40}, {2000, -1000, -1000}, {3000, 0, 10}}
            << QList<bool>{false, false, true};
    }

    void decisions()
    {
        QFETCH(std::vector<Tick>, ticks);
        QFETCH(QList<bool>, trims);
        QCOMPARE(qsizetype(ticks.size()), trims.size());
        MemoryTrimPolicy policy(smallSettings());
        for (size_t i = 0; i < ticks.size(); ++i) {
            const Tick &tick = ticks[i];
            QCOMPARE(policy.onTick(tick.nowMs, tick.arrivals, tick.released), trims[qsizetype(i)]);
        }
    }

    void waitsForQuietTicksInARow()
    {
        MemoryTrimSettings settings = smallSettings();
        settings.quietTicks = 2;
        MemoryTrimPolicy policy(settings);
        QVERIFY(!policy.onTick(1000, 200, 0)); // burst
        QVERIFY(!policy.onTick(2000, 0, 0));   // quiet once
        QVERIFY(!policy.onTick(3000, 50, 0));  // a burst again starts the count over
        QVERIFY(!policy.onTick(4000, 0, 100)); // quiet once
        QVERIFY(policy.onTick(5000, 0, 0));    // twice in a row
        // Idle from now on: each tick is quiet, so what is released later trims on its own tick.
        QVERIFY(!policy.onTick(16'000, 0, 10));
        QVERIFY(policy.onTick(17'000, 0, 40));
    }

    void countsClearedByATrimOnly()
    {
        MemoryTrimPolicy policy(smallSettings());
        QVERIFY(!policy.onTick(1000, 40, 20)); // a burst tick
        QCOMPARE(policy.pendingArrivals(), 40);
        QCOMPARE(policy.pendingReleasedBuffers(), 20);
        QVERIFY(policy.onTick(2000, 0, 30));
        QCOMPARE(policy.pendingArrivals(), 0);
        QCOMPARE(policy.pendingReleasedBuffers(), 0);
    }

    void defaultsWaitForTheBurst()
    {
        // The server's own settings: 15,000 connections arriving at ~500/s trim once, after.
        MemoryTrimPolicy policy;
        int trims = 0;
        qint64 now = 0;
        for (int second = 0; second < 30; ++second)
            trims += policy.onTick(now += 1000, 500, 500) ? 1 : 0;
        QCOMPARE(trims, 0);
        QVERIFY(!policy.onTick(now += 1000, 0, 0)); // buffers of the last second still held
        QVERIFY(policy.onTick(now += 1000, 0, 15'000));
        QVERIFY(!policy.onTick(now += 1000, 0, 0));
    }
};

QTEST_GUILESS_MAIN(TestMemoryTrimPolicy)
#include "tst_memorytrimpolicy.moc"
