// EpollEventDispatcher, installed as this test's main-thread dispatcher: timers (order, never
// early, single-shot and repeating, stopped from inside a callback), socket notifiers (read,
// write, enable and disable, deleted inside their own activation), posted events and
// deleteLater, wake-ups and interrupts from another thread, nested event loops. Waits are
// QTRY_* or run until a deadline timer; nothing asserts how long anything took.

#include "server/eventloop/epolleventdispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSemaphore>
#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

#if defined(FLACK_HAVE_EPOLL_DISPATCHER)
#include <sys/socket.h>
#include <unistd.h>

using flack::server::eventloop::EpollEventDispatcher;

namespace {

// A connected pair of non-blocking local stream sockets, closed on destruction.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    bool valid() const { return fds[0] >= 0 && fds[1] >= 0; }
    void send(int side, char byte = 'x') const { QCOMPARE(::write(fds[side], &byte, 1), 1); }
    int drain(int side) const
    {
        char buffer[256];
        int total = 0;
        qint64 n = 0;
        while ((n = ::read(fds[side], buffer, sizeof buffer)) > 0)
            total += int(n);
        return total;
    }
};

// Runs the event loop until a timer of its own has fired: whatever was due before it (shorter
// timers, ready sockets, posted events) has had its turn by then.
void runEventLoopFor(int ms)
{
    bool done = false;
    QTimer::singleShot(ms, Qt::PreciseTimer, qApp, [&done] { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
}

class TimerOwner : public QObject
{
public:
    QList<int> events;
    std::function<void(int)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        events.append(event->timerId());
        if (onTimer)
            onTimer(event->timerId());
    }
};

class CountingEvent : public QEvent
{
public:
    static QEvent::Type kind()
    {
        static const int type = QEvent::registerEventType();
        return QEvent::Type(type);
    }
    CountingEvent() : QEvent(kind()) {}
};

class EventCounter : public QObject
{
public:
    std::atomic<int> count{0};
    std::function<void()> onEvent;

protected:
    bool event(QEvent *event) override
    {
        if (event->type() == CountingEvent::kind()) {
            ++count;
            if (onEvent)
                onEvent();
            return true;
        }
        return QObject::event(event);
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isTheMainThreadsDispatcher()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireInDeadlineOrderAndNeverEarly()
    {
        QList<int> order;
        QList<qint64> elapsedAtFiring;
        QElapsedTimer clock;
        clock.start();
        for (int ms : {60, 20, 40, 0}) {
            QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
                order.append(ms);
                elapsedAtFiring.append(clock.elapsed());
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 4, 10000);
        QCOMPARE(order, QList<int>({0, 20, 40, 60}));
        for (int i = 0; i < 4; ++i)
            QVERIFY2(elapsedAtFiring[i] >= order[i], "a timer fired before its interval");
    }

    void everyTimerTypeFires_data()
    {
        QTest::addColumn<Qt::TimerType>("type");
        QTest::newRow("precise") << Qt::PreciseTimer;
        QTest::newRow("coarse") << Qt::CoarseTimer;
        QTest::newRow("very coarse") << Qt::VeryCoarseTimer;
    }

    void everyTimerTypeFires()
    {
        QFETCH(Qt::TimerType, type);
        bool fired = false;
        QTimer::singleShot(10, type, this, [&fired] { fired = true; });
        QTRY_VERIFY_WITH_TIMEOUT(fired, 10000);
    }

    void repeatingTimerRepeatsUntilStopped()
    {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(2);
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 3, 10000);
        timer.stop();
        const int stoppedAt = ticks;
        runEventLoopFor(30);
        QCOMPARE(ticks, stoppedAt);
    }

    void timerStoppedInsideACallbackDoesNotFire()
    {
        // Two timers due together: whichever fires first stops both, so exactly one fires,
        // even though the other was already on the pass's list of due timers.
        TimerOwner owner;
        const int a = owner.startTimer(5, Qt::PreciseTimer);
        const int b = owner.startTimer(5, Qt::PreciseTimer);
        owner.onTimer = [&](int) {
            owner.killTimer(a);
            owner.killTimer(b);
        };
        QTRY_COMPARE_WITH_TIMEOUT(owner.events.size(), 1, 10000);
        runEventLoopFor(30);
        QCOMPARE(owner.events.size(), 1);
    }

    void timerOwnerDeletedInsideAnotherTimersCallback()
    {
        auto *victim = new TimerOwner;
        QPointer<TimerOwner> watch(victim);
        victim->startTimer(5, Qt::PreciseTimer);
        TimerOwner killer;
        killer.startTimer(5, Qt::PreciseTimer);
        killer.onTimer = [&](int id) {
            killer.killTimer(id);
            delete watch.data(); // ~QObject unregisters its timers; nullptr if it went first
        };
        QTRY_COMPARE_WITH_TIMEOUT(killer.events.size(), 1, 10000);
        runEventLoopFor(30);
        QVERIFY(watch.isNull());
        QCOMPARE(killer.events.size(), 1);
    }

    void registeredTimersAndRemainingTime()
    {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        TimerOwner owner;
        const int id = owner.startTimer(60000, Qt::CoarseTimer);
        const auto timers = dispatcher->registeredTimers(&owner);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().timerId, id);
        QCOMPARE(timers.first().interval, 60000);
        QCOMPARE(timers.first().timerType, Qt::CoarseTimer);
        const int remaining = dispatcher->remainingTime(id);
        QVERIFY(remaining > 0 && remaining <= 60000);
        owner.killTimer(id);
        QCOMPARE(dispatcher->remainingTime(id), -1);
        QVERIFY(dispatcher->registeredTimers(&owner).isEmpty());
    }

    void readNotifierFiresWhenDataArrivesAndNotWhenDisabled()
    {
        SocketPair pair;
        QVERIFY(pair.valid());
        QSocketNotifier reader(pair.fds[1], QSocketNotifier::Read);
        int reads = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            pair.drain(1);
        });
        runEventLoopFor(20);
        QCOMPARE(reads, 0); // nothing to read yet
        pair.send(0);
        QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 10000);

        reader.setEnabled(false);
        pair.send(0);
        runEventLoopFor(30);
        QCOMPARE(reads, 1); // disabled: the byte waits
        reader.setEnabled(true);
        QTRY_COMPARE_WITH_TIMEOUT(reads, 2, 10000);
    }

    void writeNotifierFiresWhileWritableAndStopsWhenDisabled()
    {
        SocketPair pair;
        QVERIFY(pair.valid());
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        int writes = 0;
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            if (writes == 3)
                writer.setEnabled(false);
        });
        QTRY_COMPARE_WITH_TIMEOUT(writes, 3, 10000);
        runEventLoopFor(30);
        QCOMPARE(writes, 3);
    }

    void writeNotifierOfAFullSocketWaitsUntilItDrains()
    {
        SocketPair pair;
        QVERIFY(pair.valid());
        const std::string chunk(65536, 'x');
        while (::write(pair.fds[0], chunk.data(), chunk.size()) > 0) {
        }
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        int writes = 0;
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writer.setEnabled(false);
        });
        runEventLoopFor(30);
        QCOMPARE(writes, 0); // full: not writable
        QVERIFY(pair.drain(1) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(writes, 1, 10000);
    }

    void readAndWriteNotifiersOnOneSocket()
    {
        SocketPair pair;
        QVERIFY(pair.valid());
        QSocketNotifier reader(pair.fds[1], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fds[1], QSocketNotifier::Write);
        int reads = 0;
        int writes = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            pair.drain(1);
        });
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writer.setEnabled(false);
        });
        pair.send(0);
        QTRY_VERIFY_WITH_TIMEOUT(reads == 1 && writes == 1, 10000);
        writer.setEnabled(true); // enabled again: writable at once
        QTRY_COMPARE_WITH_TIMEOUT(writes, 2, 10000);
        QCOMPARE(reads, 1);
    }

    void notifierDeletedInsideItsOwnActivation()
    {
        // Both notifiers are ready in the same pass; the first activated deletes both.
        SocketPair pair;
        QVERIFY(pair.valid());
        pair.send(0);
        auto *reader = new QSocketNotifier(pair.fds[1], QSocketNotifier::Read);
        auto *writer = new QSocketNotifier(pair.fds[1], QSocketNotifier::Write);
        QPointer<QSocketNotifier> readerAlive(reader);
        QPointer<QSocketNotifier> writerAlive(writer);
        int activations = 0;
        auto deleteBoth = [&] {
            ++activations;
            delete readerAlive.data();
            delete writerAlive.data();
        };
        connect(reader, &QSocketNotifier::activated, this, deleteBoth);
        connect(writer, &QSocketNotifier::activated, this, deleteBoth);
        QTRY_VERIFY_WITH_TIMEOUT(readerAlive.isNull() && writerAlive.isNull(), 10000);
        runEventLoopFor(30);
        QCOMPARE(activations, 1);
    }

    void socketClosedAndNumberReusedWhileWatched()
    {
        // A descriptor closed without disabling its notifier first: the next socket to get
        // its number must still be watched (the kernel forgot the old registration).
        int reads = 0;
        {
            auto pair = std::make_unique<SocketPair>();
            QSocketNotifier reader(pair->fds[1], QSocketNotifier::Read);
            runEventLoopFor(10); // registered with the kernel
            pair.reset();        // closed while still enabled
        }
        SocketPair next;
        QVERIFY(next.valid());
        QSocketNotifier reader(next.fds[1], QSocketNotifier::Read);
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            next.drain(1);
        });
        next.send(0);
        QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 10000);
    }

    void postedEventsAndDeleteLater()
    {
        EventCounter counter;
        QCoreApplication::postEvent(&counter, new CountingEvent);
        QCoreApplication::postEvent(&counter, new CountingEvent);
        QTRY_COMPARE_WITH_TIMEOUT(counter.count.load(), 2, 10000);

        QPointer<QObject> doomed(new QObject);
        doomed->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(doomed.isNull(), 10000);

        bool invoked = false;
        QMetaObject::invokeMethod(
            this, [&invoked] { invoked = true; }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(invoked, 10000);
    }

    void eventPostedFromAnotherThreadWakesABlockedLoop()
    {
        // The worker posts only once the main thread is about to block in epoll_wait; with
        // no wake-up it would sleep until the 10 s deadline timer, and the test fails.
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        EventCounter counter;
        // Delivered at the start of the pass after the wake-up; that pass must not block.
        counter.onEvent = [dispatcher] { dispatcher->interrupt(); };
        QSemaphore aboutToBlock;
        const auto connection = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                                        [&aboutToBlock] { aboutToBlock.release(); });
        std::unique_ptr<QThread> worker(QThread::create([&] {
            aboutToBlock.acquire();
            QCoreApplication::postEvent(&counter, new CountingEvent);
        }));
        worker->start();
        bool deadlinePassed = false;
        QTimer::singleShot(10000, this, [&deadlinePassed] { deadlinePassed = true; });
        while (counter.count.load() == 0 && !deadlinePassed)
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
        disconnect(connection);
        worker->wait();
        QVERIFY(!deadlinePassed);
        QCOMPARE(counter.count.load(), 1);
    }

    void interruptFromAnotherThreadEndsABlockedWait()
    {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        QSemaphore aboutToBlock;
        std::atomic<bool> interrupted{false};
        const auto connection = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                                        [&aboutToBlock] { aboutToBlock.release(); });
        std::unique_ptr<QThread> worker(QThread::create([&] {
            aboutToBlock.acquire();
            interrupted = true;
            dispatcher->interrupt();
        }));
        worker->start();
        bool deadlinePassed = false;
        QTimer::singleShot(10000, this, [&deadlinePassed] { deadlinePassed = true; });
        while (!interrupted.load() && !deadlinePassed)
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
        disconnect(connection);
        worker->wait();
        QVERIFY(!deadlinePassed);
    }

    void nestedEventLoopInsideATimerCallback()
    {
        // A repeating timer's callback runs a nested loop (as QTest::qWait or a modal wait
        // would): sockets, other timers and posted events keep being served inside it, and
        // the timer itself is not delivered again until its callback returns.
        SocketPair pair;
        QVERIFY(pair.valid());
        QSocketNotifier reader(pair.fds[1], QSocketNotifier::Read);
        int reads = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            pair.drain(1);
        });
        reader.setEnabled(false);

        QTimer outer;
        outer.setInterval(1);
        int depth = 0;
        int maxDepth = 0;
        int outerTicks = 0;
        bool innerTimerFired = false;
        bool postedInside = false;
        connect(&outer, &QTimer::timeout, this, [&] {
            ++outerTicks;
            maxDepth = std::max(maxDepth, ++depth);
            if (outerTicks == 1) {
                QEventLoop loop;
                reader.setEnabled(true);
                pair.send(0);
                QTimer::singleShot(20, &loop, [&] { innerTimerFired = true; });
                QMetaObject::invokeMethod(
                    this, [&] { postedInside = true; }, Qt::QueuedConnection);
                QTimer::singleShot(40, &loop, &QEventLoop::quit);
                loop.exec();
                QTest::qWait(5); // QTest's own nested wait
            }
            --depth;
        });
        outer.start();
        QTRY_VERIFY_WITH_TIMEOUT(outerTicks >= 3, 10000);
        outer.stop();
        QCOMPARE(maxDepth, 1);
        QCOMPARE(reads, 1);
        QVERIFY(innerTimerFired);
        QVERIFY(postedInside);
    }

    void zeroTimerDoesNotStarveSockets()
    {
        SocketPair pair;
        QVERIFY(pair.valid());
        QTimer busy;
        busy.setInterval(0);
        int spins = 0;
        connect(&busy, &QTimer::timeout, this, [&spins] { ++spins; });
        busy.start();
        QSocketNotifier reader(pair.fds[1], QSocketNotifier::Read);
        int reads = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            pair.drain(1);
        });
        pair.send(0);
        QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 10000);
        QVERIFY(spins > 0);
    }
};

int main(int argc, char *argv[])
{
    // Before the application object, as flack-server's main() does.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication application(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#else // not Linux: nothing to test, the server runs Qt's dispatcher there

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void notAvailableHere() { QSKIP("EpollEventDispatcher is Linux-only"); }
};
QTEST_GUILESS_MAIN(TestEpollEventDispatcher)

#endif

#include "tst_epolleventdispatcher.moc"
