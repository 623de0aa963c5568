// MessageRateLimiter: the token bucket's arithmetic on a fake clock.

#include "server/sessions/messageratelimiter.h"

#include <QTest>

using flack::server::sessions::MessageRateLimiter;

class TestMessageRateLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void burstThenRefillRate()
    {
        MessageRateLimiter limiter(10, 3, 1000);
        QVERIFY(limiter.take(1000));
        QVERIFY(limiter.take(1000));
        QVERIFY(limiter.take(1000));
        QVERIFY(!limiter.take(1000)); // the burst is spent
        QCOMPARE(limiter.msUntilToken(1000), 100); // 10 per second: one every 100 ms
        QVERIFY(!limiter.take(1099));
        QCOMPARE(limiter.msUntilToken(1099), 1);
        QVERIFY(limiter.take(1100));
        QVERIFY(!limiter.take(1100));
    }

    void refillStopsAtTheBurst()
    {
        MessageRateLimiter limiter(5, 2, 0);
        QVERIFY(limiter.take(0));
        QVERIFY(limiter.take(0));
        // A long silence refills the bucket only up to its capacity.
        for (int i = 0; i < 2; ++i)
            QVERIFY(limiter.take(60'000));
        QVERIFY(!limiter.take(60'000));
    }

    void fractionsAccumulate()
    {
        // 3 per second is a token every 333.3 ms: three of them in exactly one second (the
        // bucket, emptied first, never fills up, so no fraction is cut off at its capacity).
        MessageRateLimiter limiter(3, 2, 0);
        QVERIFY(limiter.take(0));
        QVERIFY(limiter.take(0));
        int taken = 0;
        for (qint64 now = 1; now <= 1000; ++now)
            taken += limiter.take(now) ? 1 : 0;
        QCOMPARE(taken, 3);
    }

    void sustainedRateIsTheConfiguredRate()
    {
        MessageRateLimiter limiter(20, 40, 0);
        int taken = 0;
        // Offered every millisecond for 10 s: the burst plus 20 a second.
        for (qint64 now = 0; now < 10'000; ++now)
            taken += limiter.take(now) ? 1 : 0;
        QCOMPARE(taken, 40 + 20 * 10 - 1);
    }

    void zeroRateIsUnlimited()
    {
        MessageRateLimiter limiter(0, 1, 0);
        QVERIFY(limiter.unlimited());
        for (int i = 0; i < 10'000; ++i)
            QVERIFY(limiter.take(0));
        QCOMPARE(limiter.msUntilToken(0), 0);
    }

    // What a bucket holds can be read and carried over into another one.
    void levelIsReadAndCarriedOver()
    {
        MessageRateLimiter spent(10, 5, 0);
        QCOMPARE(spent.capacityMilli(), 5000);
        QCOMPARE(spent.tokensMilli(0), 5000);
        for (int i = 0; i < 5; ++i)
            QVERIFY(spent.take(0));
        QCOMPARE(spent.tokensMilli(0), 0);
        QCOMPARE(spent.tokensMilli(250), 2500); // 10 a second
        MessageRateLimiter next(10, 5, 0);
        next.setTokensMilli(spent.tokensMilli(250), 0);
        QVERIFY(next.take(0));
        QVERIFY(next.take(0));
        QVERIFY(!next.take(0));
        QCOMPARE(next.msUntilToken(0), 50);
        // Out of range is clamped.
        next.setTokensMilli(-7, 0);
        QCOMPARE(next.tokensMilli(0), 0);
        next.setTokensMilli(1'000'000, 0);
        QCOMPARE(next.tokensMilli(0), 5000);
    }

    void clockGoingBackIsIgnored()
    {
        MessageRateLimiter limiter(10, 1, 5000);
        QVERIFY(limiter.take(5000));
        QVERIFY(!limiter.take(4000));
        QVERIFY(limiter.take(5100));
    }
};

QTEST_GUILESS_MAIN(TestMessageRateLimiter)
#include "tst_messageratelimiter.moc"
