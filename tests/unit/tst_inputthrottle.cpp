// InputThrottle: frames within the rate pass at once, the rest wait in order while reading is
// paused, and a connection that stays over its rate (or overfills the held frames) floods.

#include "server/sessions/inputthrottle.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::sessions::InputThrottle;
using flack::server::sessions::ThrottleSettings;

namespace {

struct Recorder
{
    QStringList passed;
    QList<bool> pauses; // every setReadingPaused() call, in order
    int floods = 0;

    InputThrottle::Callbacks callbacks()
    {
        return {[this](const QString &frame) { passed.append(frame); },
                [this](bool paused) { pauses.append(paused); }, [this] { ++floods; }};
    }
};

ThrottleSettings settings(int perSecond, int burst)
{
    ThrottleSettings s;
    s.messagesPerSecond = perSecond;
    s.burst = burst;
    return s;
}

} // namespace

class TestInputThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withinTheBurstEverythingPassesAtOnce()
    {
        QObject context;
        Recorder r;
        InputThrottle throttle(settings(10, 5), &context, r.callbacks());
        for (int i = 0; i < 5; ++i)
            throttle.offer(QString::number(i));
        QCOMPARE(r.passed, QStringList({u"0"_s, u"1"_s, u"2"_s, u"3"_s, u"4"_s}));
        QVERIFY(r.pauses.isEmpty());
    }

    void beyondItFramesWaitInOrderWhileReadingPauses()
    {
        QObject context;
        Recorder r;
        // 200 a second: the held frames come back within a few event-loop turns.
        InputThrottle throttle(settings(200, 2), &context, r.callbacks());
        for (int i = 0; i < 6; ++i)
            throttle.offer(QString::number(i));
        QCOMPARE(r.passed.size(), 2); // the burst
        QCOMPARE(throttle.heldFrames(), 4);
        QCOMPARE(r.pauses, QList<bool>({true}));
        QTRY_COMPARE_WITH_TIMEOUT(r.passed.size(), 6, 5000);
        QCOMPARE(r.passed, QStringList({u"0"_s, u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s}));
        QCOMPARE(r.pauses, QList<bool>({true, false}));
        QCOMPARE(r.floods, 0);
    }

    void aFrameArrivingWhileOthersWaitQueuesBehindThem()
    {
        QObject context;
        Recorder r;
        InputThrottle throttle(settings(100, 1), &context, r.callbacks());
        throttle.offer(u"a"_s);
        throttle.offer(u"b"_s);
        QTRY_COMPARE_WITH_TIMEOUT(r.passed.size(), 2, 5000);
        throttle.offer(u"c"_s); // maybe a token is back, but order is kept either way
        throttle.offer(u"d"_s);
        QTRY_COMPARE_WITH_TIMEOUT(r.passed.size(), 4, 5000);
        QCOMPARE(r.passed, QStringList({u"a"_s, u"b"_s, u"c"_s, u"d"_s}));
    }

    void overfillingTheHeldFramesIsAFlood()
    {
        QObject context;
        Recorder r;
        ThrottleSettings s = settings(1, 1);
        s.maxHeldBytes = 10;
        InputThrottle throttle(s, &context, r.callbacks());
        throttle.offer(u"pass"_s);
        throttle.offer(u"held-6"_s);
        QCOMPARE(r.floods, 0);
        throttle.offer(u"over-5"_s); // 6 + 6 > 10
        QCOMPARE(r.floods, 1);
        QCOMPARE(throttle.heldFrames(), 0);
        QCOMPARE(r.pauses, QList<bool>({true, false})); // reading resumes for the close
        throttle.offer(u"after"_s);
        QCOMPARE(r.passed, QStringList({u"pass"_s}));
    }

    // No more waits than the rate lets through within the flood window: a pause never
    // outlasts it.
    void heldFramesAreBoundedByTheRateOverTheFloodWindow()
    {
        QObject context;
        Recorder r;
        ThrottleSettings s = settings(10, 1);
        s.floodMs = 1000;
        InputThrottle throttle(s, &context, r.callbacks());
        throttle.offer(u"pass"_s);
        for (int i = 0; i < 10; ++i)
            throttle.offer(u"held"_s);
        QCOMPARE(throttle.heldFrames(), 10);
        QCOMPARE(r.floods, 0);
        throttle.offer(u"one too many"_s);
        QCOMPARE(r.floods, 1);
    }

    void stayingOverTheRateIsAFlood()
    {
        QObject context;
        Recorder r;
        ThrottleSettings s = settings(50, 1);
        s.floodMs = 200;
        InputThrottle throttle(s, &context, r.callbacks());
        // Offered far faster than 50 a second, as a flooder would once reading resumes.
        QDeadlineTimer deadline(10000);
        while (r.floods == 0 && !deadline.hasExpired()) {
            throttle.offer(u"x"_s);
            QTest::qWait(1);
        }
        QCOMPARE(r.floods, 1);
        QVERIFY(r.passed.size() >= 1);
    }

    void keepingWithinTheRateIsNoFlood()
    {
        QObject context;
        Recorder r;
        ThrottleSettings s = settings(100, 1);
        s.floodMs = 50;
        InputThrottle throttle(s, &context, r.callbacks());
        // Each frame offered only after the previous one passed and a token is back: a
        // client that waits for its answers never floods, however long it talks.
        for (int i = 0; i < 30; ++i) {
            throttle.offer(QString::number(i));
            QTRY_COMPARE_WITH_TIMEOUT(r.passed.size(), i + 1, 5000);
            QTest::qWait(12);
        }
        QCOMPARE(r.floods, 0);
    }

    void stopDropsHeldFrames()
    {
        QObject context;
        Recorder r;
        InputThrottle throttle(settings(1, 1), &context, r.callbacks());
        throttle.offer(u"a"_s);
        throttle.offer(u"b"_s);
        throttle.stop();
        QCOMPARE(throttle.heldFrames(), 0);
        QCOMPARE(r.pauses, QList<bool>({true, false}));
        throttle.offer(u"c"_s);
        QCOMPARE(r.passed, QStringList({u"a"_s}));
    }

    void unlimitedNeverHolds()
    {
        QObject context;
        Recorder r;
        InputThrottle throttle(settings(0, 1), &context, r.callbacks());
        for (int i = 0; i < 1000; ++i)
            throttle.offer(u"x"_s);
        QCOMPARE(r.passed.size(), 1000);
        QVERIFY(r.pauses.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestInputThrottle)
#include "tst_inputthrottle.moc"
