#include "server/eventloop/timerschedule.h"

#include <algorithm>
#include <climits>

namespace flack::server::eventloop {

namespace {

using std::chrono::milliseconds;

qint64 effectiveIntervalMs(qint64 intervalMs, Qt::TimerType type)
{
    intervalMs = std::max<qint64>(0, intervalMs);
    if (type == Qt::VeryCoarseTimer)
        return (intervalMs + 500) / 1000 * 1000; // to the closest whole second
    return intervalMs;
}

// Whole milliseconds from now to deadline, rounded up; 0 if it has passed.
qint64 millisecondsUntil(TimerSchedule::TimePoint deadline, TimerSchedule::TimePoint now)
{
    if (deadline <= now)
        return 0;
    const auto left = deadline - now;
    const auto whole = std::chrono::duration_cast<milliseconds>(left);
    return whole.count() + (whole < left ? 1 : 0);
}

} // namespace

void TimerSchedule::schedule(int id, Timer &timer, TimePoint deadline)
{
    m_queue.erase({timer.deadline, timer.serial});
    timer.deadline = deadline;
    timer.serial = m_nextSerial++;
    m_queue.emplace(QueueKey{timer.deadline, timer.serial}, id);
}

void TimerSchedule::eraseFromObject(QObject *object, int id)
{
    auto [first, last] = m_byObject.equal_range(object);
    for (auto it = first; it != last; ++it) {
        if (it->second == id) {
            m_byObject.erase(it);
            return;
        }
    }
}

void TimerSchedule::add(int id, qint64 intervalMs, Qt::TimerType type, QObject *object,
                        TimePoint now)
{
    remove(id);
    Timer &timer = m_timers[id];
    timer.object = object;
    timer.type = type;
    timer.intervalMs = effectiveIntervalMs(intervalMs, type);
    m_byObject.emplace(object, id);
    // The queue holds no key for a fresh timer; schedule() erases nothing real.
    timer.serial = 0;
    timer.deadline = TimePoint::min();
    schedule(id, timer, now + milliseconds(timer.intervalMs));
}

bool TimerSchedule::remove(int id)
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return false;
    m_queue.erase({it->second.deadline, it->second.serial});
    eraseFromObject(it->second.object, id);
    m_timers.erase(it);
    return true;
}

bool TimerSchedule::removeAll(QObject *object)
{
    auto [first, last] = m_byObject.equal_range(object);
    if (first == last)
        return false;
    for (auto it = first; it != last; ++it) {
        const auto timer = m_timers.find(it->second);
        if (timer == m_timers.end())
            continue;
        m_queue.erase({timer->second.deadline, timer->second.serial});
        m_timers.erase(timer);
    }
    m_byObject.erase(first, last);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo> TimerSchedule::timersOf(QObject *object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> list;
    auto [first, last] = m_byObject.equal_range(object);
    for (auto it = first; it != last; ++it) {
        const auto timer = m_timers.find(it->second);
        if (timer != m_timers.end())
            list.append({it->second, int(std::min<qint64>(timer->second.intervalMs, INT_MAX)),
                         timer->second.type});
    }
    return list;
}

int TimerSchedule::remainingMs(int id, TimePoint now) const
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return -1;
    return int(std::min<qint64>(millisecondsUntil(it->second.deadline, now), INT_MAX));
}

bool TimerSchedule::isFiring(int id) const
{
    const auto it = m_timers.find(id);
    return it != m_timers.end() && it->second.firing;
}

int TimerSchedule::waitMs(TimePoint now) const
{
    // A timer being delivered further up the stack is not waited for: a nested event loop in
    // its handler would otherwise spin on a deadline it may not serve.
    for (const auto &[key, id] : m_queue) {
        if (!isFiring(id))
            return int(std::min<qint64>(millisecondsUntil(key.first, now), INT_MAX));
    }
    return -1;
}

void TimerSchedule::collectDue(TimePoint now, std::vector<Due> *into) const
{
    into->clear();
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first.first <= now; ++it) {
        if (!isFiring(it->second))
            into->push_back({it->second, it->first.second});
    }
}

QObject *TimerSchedule::startFiring(Due &due, TimePoint now)
{
    const auto it = m_timers.find(due.id);
    if (it == m_timers.end() || it->second.serial != due.serial || it->second.firing)
        return nullptr;
    Timer &timer = it->second;
    // Keep the timer's rhythm (deadline + interval) unless it fell behind: then skip what it
    // missed rather than firing a burst to catch up.
    TimePoint next = timer.deadline + milliseconds(timer.intervalMs);
    if (next <= now)
        next = now + milliseconds(timer.intervalMs);
    schedule(due.id, timer, next);
    timer.firing = true;
    due.serial = timer.serial;
    return timer.object;
}

void TimerSchedule::finishFiring(const Due &due)
{
    const auto it = m_timers.find(due.id);
    if (it != m_timers.end() && it->second.serial == due.serial)
        it->second.firing = false;
}

} // namespace flack::server::eventloop
