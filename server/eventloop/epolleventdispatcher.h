#pragma once
// EpollEventDispatcher: the main thread's event loop on Linux, in place of Qt 6.4's Unix
// dispatcher. Qt's rebuilds its poll() list over every open socket on each pass and keeps its
// socket notifiers in lists it scans on every enable and disable; with 15,000 connections that
// bookkeeping, not the chat protocol, is what bounds the connect rate (docs/benchmarks.md).
// This one registers each descriptor with epoll once, changes it in O(1) (NotifierTable),
// hears only about ready descriptors, keeps its timers in a TimerSchedule, and is woken from
// other threads through an eventfd. It delivers what Qt's dispatchers deliver: posted events
// (QCoreApplication::sendPostedEvents), QEvent::SockAct to socket notifiers, QTimerEvent to
// timer owners.
//
// Installed before the QCoreApplication is created (see app/eventdispatcherchoice.h). Everything
// but wakeUp() and interrupt() runs on the thread that owns it.

#include <QtGlobal>

#if defined(Q_OS_LINUX)
#define FLACK_HAVE_EPOLL_DISPATCHER 1

#include "server/eventloop/notifiertable.h"
#include "server/eventloop/timerschedule.h"

#include <QAbstractEventDispatcher>

#include <atomic>
#include <deque>
#include <vector>

#include <poll.h>
#include <sys/epoll.h>

namespace flack::server::eventloop {

class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False if the kernel refused the epoll or eventfd descriptor (then nothing works: use
    // Qt's dispatcher instead).
    bool isValid() const { return m_epollFd >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    // Thread-safe.
    void wakeUp() override;
    void interrupt() override;

private:
    // One ready descriptor of one pass, with the serials of its slots when it was collected.
    struct Ready
    {
        int fd = -1;
        std::uint32_t events = 0;
        std::uint64_t serials[3] = {0, 0, 0};
    };
    // A pass's own lists: a nested event loop (QEventLoop::exec in a slot) gets its own.
    struct PassScratch
    {
        std::vector<Ready> ready;
        std::vector<TimerSchedule::Due> due;
    };

    // Tells the kernel what changed since the last wait; descriptors found writable by the
    // write probe go to m_writableNow instead of into the epoll set for writing.
    void applyNotifierChanges();
    void applyInterests(int fd, std::uint8_t interests);
    void drainWakeUps();
    int activateNotifiers(const std::vector<Ready> &ready, std::uint64_t generation);
    int activateTimers(std::vector<TimerSchedule::Due> &due);

    int m_epollFd = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};

    NotifierTable m_notifiers;
    TimerSchedule m_timers;
    std::vector<int> m_dirty;          // reused by applyNotifierChanges()
    std::vector<epoll_event> m_events; // filled by epoll_wait, copied out at once
    std::vector<pollfd> m_probes;      // write probes of one applyNotifierChanges()
    std::vector<Ready> m_writableNow;  // the probes that were writable, for this pass
    std::deque<PassScratch> m_scratch; // by nesting depth; a deque keeps references stable
    int m_depth = 0;
    // Counts epoll_wait calls: when a nested loop polled while a pass was delivering, the
    // rest of that pass's ready list is stale (the nested loop served it) and is dropped;
    // level-triggered epoll reports whatever is still ready next time.
    std::uint64_t m_generation = 0;
};

} // namespace flack::server::eventloop

#endif // Q_OS_LINUX
