#pragma once
// TimerSchedule: the timers of one event dispatcher (EpollEventDispatcher), ordered by
// deadline. Qt's own timer list (QTimerInfoList) is private API, hence this one: O(log n)
// start, stop and "what is due", by id and by object, with the clock passed in so the order
// and rescheduling rules are unit-testable without waiting. Owned by one dispatcher and used
// on its thread only.
//
// Timer types: PreciseTimer and CoarseTimer keep millisecond accuracy (firing on time is
// within the 5 % Qt allows a coarse timer); VeryCoarseTimer rounds its interval to whole
// seconds, as Qt does.

#include <QAbstractEventDispatcher>
#include <QList>

#include <chrono>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

class QObject;

namespace flack::server::eventloop {

class TimerSchedule
{
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    // A timer that was due when due() was asked. serial names that one scheduling of it: a
    // timer stopped, restarted or already fired (by a nested event loop) since has another.
    struct Due
    {
        int id = 0;
        std::uint64_t serial = 0;
    };

    // Replaces a timer of the same id, if any.
    void add(int id, qint64 intervalMs, Qt::TimerType type, QObject *object, TimePoint now);
    bool remove(int id);
    bool removeAll(QObject *object);

    QList<QAbstractEventDispatcher::TimerInfo> timersOf(QObject *object) const;
    // Milliseconds until the timer is due (0 if it is), -1 for an unknown id.
    int remainingMs(int id, TimePoint now) const;
    // Milliseconds to wait for the next timer, rounded up so a wait never ends early; -1:
    // no timers.
    int waitMs(TimePoint now) const;

    // Appends to *into (cleared first) the timers due at now, earliest deadline first.
    void collectDue(TimePoint now, std::vector<Due> *into) const;

    // Starts delivering one due timer: returns the object to send the QTimerEvent to and
    // reschedules the timer (its next deadline one interval on, or an interval from now if
    // that is already past), or nullptr if that scheduling is gone (stopped, restarted, fired
    // meanwhile) or the timer is still being delivered further up the stack (no recursion).
    // Each non-null return must be followed by finishFiring() with the same Due.
    QObject *startFiring(Due &due, TimePoint now);
    void finishFiring(const Due &due);

    std::size_t size() const { return m_timers.size(); }

private:
    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        TimePoint deadline;
        std::uint64_t serial = 0;
        bool firing = false;
    };
    using QueueKey = std::pair<TimePoint, std::uint64_t>; // deadline, serial: unique

    void schedule(int id, Timer &timer, TimePoint deadline);
    bool isFiring(int id) const;
    void eraseFromObject(QObject *object, int id);

    std::unordered_map<int, Timer> m_timers;
    std::map<QueueKey, int> m_queue; // -> id
    std::unordered_multimap<QObject *, int> m_byObject;
    std::uint64_t m_nextSerial = 1;
};

} // namespace flack::server::eventloop
