// TimerSchedule: timers come due in deadline order, repeat on their rhythm, and a timer
// stopped, restarted or still being delivered is never delivered (again). The clock is passed
// in, so nothing here waits.

#include "server/eventloop/timerschedule.h"

#include <QObject>
#include <QTest>

using flack::server::eventloop::TimerSchedule;
using namespace std::chrono_literals;

namespace {

const TimerSchedule::TimePoint t0 = TimerSchedule::Clock::now();

QList<int> dueIds(const TimerSchedule &schedule, TimerSchedule::TimePoint now)
{
    std::vector<TimerSchedule::Due> due;
    schedule.collectDue(now, &due);
    QList<int> ids;
    for (const auto &d : due)
        ids.append(d.id);
    return ids;
}

// Fires every timer due at now, as the dispatcher does; returns their ids in order.
QList<int> fire(TimerSchedule &schedule, TimerSchedule::TimePoint now)
{
    std::vector<TimerSchedule::Due> due;
    schedule.collectDue(now, &due);
    QList<int> fired;
    for (auto &d : due) {
        if (schedule.startFiring(d, now)) {
            fired.append(d.id);
            schedule.finishFiring(d);
        }
    }
    return fired;
}

} // namespace

class TestTimerSchedule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dueInDeadlineOrder()
    {
        QObject owner;
        TimerSchedule s;
        s.add(1, 30, Qt::PreciseTimer, &owner, t0);
        s.add(2, 10, Qt::PreciseTimer, &owner, t0);
        s.add(3, 20, Qt::CoarseTimer, &owner, t0);
        QCOMPARE(dueIds(s, t0 + 9ms), QList<int>());
        QCOMPARE(dueIds(s, t0 + 25ms), QList<int>({2, 3}));
        QCOMPARE(dueIds(s, t0 + 30ms), QList<int>({2, 3, 1}));
    }

    void waitIsUntilTheFirstDeadlineRoundedUp()
    {
        QObject owner;
        TimerSchedule s;
        QCOMPARE(s.waitMs(t0), -1);
        s.add(1, 10, Qt::PreciseTimer, &owner, t0);
        s.add(2, 50, Qt::PreciseTimer, &owner, t0);
        QCOMPARE(s.waitMs(t0), 10);
        QCOMPARE(s.waitMs(t0 + 9500us), 1); // never 0 before the deadline: no early wake-up
        QCOMPARE(s.waitMs(t0 + 10ms), 0);
        QCOMPARE(s.waitMs(t0 + 1s), 0);
        QCOMPARE(s.remainingMs(2, t0 + 20ms), 30);
        QCOMPARE(s.remainingMs(3, t0), -1);
    }

    void repeatingTimerKeepsItsRhythmOrSkipsWhatItMissed()
    {
        QObject owner;
        TimerSchedule s;
        s.add(7, 10, Qt::PreciseTimer, &owner, t0);
        QCOMPARE(fire(s, t0 + 12ms), QList<int>({7}));
        QCOMPARE(s.remainingMs(7, t0 + 12ms), 8); // next at t0 + 20 ms, not t0 + 22 ms
        QCOMPARE(fire(s, t0 + 15ms), QList<int>());
        // Far behind: one delivery, then an interval from now (no burst of missed ones).
        QCOMPARE(fire(s, t0 + 95ms), QList<int>({7}));
        QCOMPARE(s.remainingMs(7, t0 + 95ms), 10);
        QCOMPARE(fire(s, t0 + 95ms), QList<int>());
    }

    void zeroIntervalFiresOncePerPass()
    {
        QObject owner;
        TimerSchedule s;
        s.add(1, 0, Qt::CoarseTimer, &owner, t0);
        QCOMPARE(fire(s, t0), QList<int>({1}));
        QCOMPARE(fire(s, t0 + 1us), QList<int>({1}));
        QCOMPARE(s.size(), std::size_t(1));
    }

    void stoppedOrRestartedTimerFromAnEarlierListIsNotFired()
    {
        QObject owner;
        TimerSchedule s;
        s.add(1, 5, Qt::PreciseTimer, &owner, t0);
        s.add(2, 5, Qt::PreciseTimer, &owner, t0);
        std::vector<TimerSchedule::Due> due;
        s.collectDue(t0 + 5ms, &due);
        QCOMPARE(due.size(), std::size_t(2));
        QVERIFY(s.remove(1));
        QVERIFY(!s.remove(1));
        s.add(2, 5, Qt::PreciseTimer, &owner, t0 + 5ms); // the same id started again
        QCOMPARE(s.startFiring(due[0], t0 + 5ms), nullptr);
        QCOMPARE(s.startFiring(due[1], t0 + 5ms), nullptr);
        QCOMPARE(fire(s, t0 + 10ms), QList<int>({2}));
    }

    void timerBeingDeliveredIsNotDueAgainNorWaitedFor()
    {
        QObject owner;
        TimerSchedule s;
        s.add(1, 1, Qt::PreciseTimer, &owner, t0);
        s.add(2, 100, Qt::PreciseTimer, &owner, t0);
        std::vector<TimerSchedule::Due> due;
        s.collectDue(t0 + 1ms, &due);
        QCOMPARE(due.size(), std::size_t(1));
        TimerSchedule::Due firing = due[0];
        QCOMPARE(s.startFiring(firing, t0 + 1ms), &owner);
        // A nested loop in its handler: timer 1 is not due for it, and it waits for timer 2.
        QCOMPARE(dueIds(s, t0 + 50ms), QList<int>());
        QCOMPARE(s.waitMs(t0 + 50ms), 50);
        s.finishFiring(firing);
        QCOMPARE(dueIds(s, t0 + 50ms), QList<int>({1}));
        QCOMPARE(s.waitMs(t0 + 50ms), 0);
    }

    void removeAllTakesOneObjectsTimers()
    {
        QObject a;
        QObject b;
        TimerSchedule s;
        s.add(1, 10, Qt::PreciseTimer, &a, t0);
        s.add(2, 20, Qt::CoarseTimer, &b, t0);
        s.add(3, 30, Qt::VeryCoarseTimer, &a, t0);
        QCOMPARE(s.timersOf(&a).size(), 2);
        QVERIFY(s.removeAll(&a));
        QVERIFY(!s.removeAll(&a));
        QCOMPARE(s.timersOf(&a).size(), 0);
        QCOMPARE(s.size(), std::size_t(1));
        const auto left = s.timersOf(&b);
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().timerId, 2);
        QCOMPARE(left.first().interval, 20);
        QCOMPARE(left.first().timerType, Qt::CoarseTimer);
        QCOMPARE(fire(s, t0 + 1s), QList<int>({2}));
    }

    void veryCoarseTimerRoundsToWholeSeconds_data()
    {
        QTest::addColumn<int>("interval");
        QTest::addColumn<int>("effective");
        QTest::newRow("1400") << 1400 << 1000;
        QTest::newRow("1600") << 1600 << 2000;
        QTest::newRow("300") << 300 << 0;
        QTest::newRow("2000") << 2000 << 2000;
    }

    void veryCoarseTimerRoundsToWholeSeconds()
    {
        QFETCH(int, interval);
        QFETCH(int, effective);
        QObject owner;
        TimerSchedule s;
        s.add(1, interval, Qt::VeryCoarseTimer, &owner, t0);
        QCOMPARE(s.timersOf(&owner).first().interval, effective);
        QCOMPARE(s.remainingMs(1, t0), effective);
    }
};

QTEST_GUILESS_MAIN(TestTimerSchedule)
#include "tst_timerschedule.moc"
