#include "server/eventloop/epolleventdispatcher.h"

#if defined(FLACK_HAVE_EPOLL_DISPATCHER)

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <sys/eventfd.h>
#include <unistd.h>

namespace flack::server::eventloop {

namespace {

// Ready descriptors taken from the kernel per epoll_wait; more wait for the next pass.
constexpr std::size_t kInitialEvents = 256;
constexpr std::size_t kMaxEvents = 4096;

constexpr QSocketNotifier::Type kTypes[3] = {QSocketNotifier::Read, QSocketNotifier::Write,
                                             QSocketNotifier::Exception};

std::uint32_t epollEvents(std::uint8_t interests)
{
    std::uint32_t events = 0;
    if (interests & NotifierTable::Read)
        events |= EPOLLIN;
    if (interests & NotifierTable::Write)
        events |= EPOLLOUT;
    if (interests & NotifierTable::Exception)
        events |= EPOLLPRI;
    return events;
}

// Which notifiers of a descriptor an epoll report activates. Errors and hang-ups go to the
// reader and the writer alike, as with Qt's dispatcher: whichever is enabled finds the error
// on its next read() or write() and closes the socket.
bool activates(std::uint32_t events, QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP);
    case QSocketNotifier::Write:
        return events & (EPOLLOUT | EPOLLHUP | EPOLLERR);
    case QSocketNotifier::Exception:
        return events & EPOLLPRI;
    }
    return false;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent), m_events(kInitialEvents)
{
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epollFd < 0 || m_wakeFd < 0) {
        qWarning("EpollEventDispatcher: cannot create its descriptors: %s", std::strerror(errno));
        return;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
        qWarning("EpollEventDispatcher: cannot watch its eventfd: %s", std::strerror(errno));
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (!m_notifiers.add(notifier, fd, notifier->type()))
        qWarning("EpollEventDispatcher: cannot watch socket %d (invalid, or another notifier of "
                 "the same type watches it)",
                 fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_notifiers.remove(notifier, int(notifier->socket()), notifier->type());
}

void EpollEventDispatcher::applyInterests(int fd, std::uint8_t interests)
{
    if (m_notifiers.takeEmptied(fd) && interests != NotifierTable::None &&
        m_notifiers.applied(fd) != NotifierTable::None) {
        // Every notifier of fd went away and new ones came within one pass: fd may be a new
        // socket under a closed one's number, which the kernel dropped from its set. Start
        // afresh (the DEL fails harmlessly if so).
        epoll_event unused{};
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &unused);
        m_notifiers.setApplied(fd, NotifierTable::None);
    }
    const std::uint8_t applied = m_notifiers.applied(fd);
    if (interests == applied)
        return; // enabled and disabled again within the pass: nothing to tell the kernel
    epoll_event event{};
    event.events = epollEvents(interests);
    event.data.fd = fd;
    int result = 0;
    if (interests == NotifierTable::None) {
        // A descriptor with nothing enabled leaves the set: epoll reports hang-ups even for an
        // empty mask, and nobody would take them.
        result = ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &event);
        if (result != 0 && (errno == ENOENT || errno == EBADF))
            result = 0; // closed meanwhile: the kernel dropped it already
    } else {
        result = ::epoll_ctl(
            m_epollFd, applied == NotifierTable::None ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
        // A descriptor closed while watched leaves the kernel's set silently, and its number
        // may come back as a new socket: ADD and MOD each fall back to the other.
        if (result != 0 && errno == ENOENT)
            result = ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, fd, &event);
        else if (result != 0 && errno == EEXIST)
            result = ::epoll_ctl(m_epollFd, EPOLL_CTL_MOD, fd, &event);
    }
    if (result != 0) {
        qWarning("EpollEventDispatcher: cannot watch socket %d: %s", fd, std::strerror(errno));
        m_notifiers.setApplied(fd, NotifierTable::None);
        return;
    }
    m_notifiers.setApplied(fd, interests);
}

void EpollEventDispatcher::applyNotifierChanges()
{
    m_notifiers.takeDirty(&m_dirty);
    m_probes.clear();
    m_writableNow.clear();
    for (const int fd : m_dirty) {
        const std::uint8_t wanted = m_notifiers.wanted(fd);
        // A socket's write notifier is enabled whenever Qt buffers data for it and disabled
        // once the buffer is flushed, usually one pass later. Adding EPOLLOUT for that and
        // removing it again would cost two epoll_ctl calls per flush; most such sockets are
        // writable at once, which one poll() over all of them finds out.
        if ((wanted & NotifierTable::Write) && m_notifiers.takeWriteProbe(fd)) {
            m_probes.push_back(pollfd{fd, POLLOUT, 0});
            continue;
        }
        applyInterests(fd, wanted);
    }
    if (m_probes.empty())
        return;
    if (::poll(m_probes.data(), nfds_t(m_probes.size()), 0) < 0) {
        for (pollfd &probe : m_probes)
            probe.revents = 0; // EINTR or the like: let epoll watch them all
    }
    for (const pollfd &probe : m_probes) {
        const std::uint8_t wanted = m_notifiers.wanted(probe.fd);
        if (!(probe.revents & (POLLOUT | POLLERR | POLLHUP))) {
            applyInterests(probe.fd, wanted); // not writable yet (connecting, buffer full)
            continue;
        }
        applyInterests(probe.fd, wanted & ~NotifierTable::Write);
        // Looked at again before the next wait: if the notifier is still enabled then (its
        // data did not all fit), the kernel is told to watch for writing after all.
        m_notifiers.touch(probe.fd);
        Ready ready;
        ready.fd = probe.fd;
        ready.events = std::uint32_t(EPOLLOUT) |
                       ((probe.revents & POLLERR) ? std::uint32_t(EPOLLERR) : 0u) |
                       ((probe.revents & POLLHUP) ? std::uint32_t(EPOLLHUP) : 0u);
        ready.serials[1] = m_notifiers.slot(probe.fd, QSocketNotifier::Write).serial;
        m_writableNow.push_back(ready);
    }
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qWarning("EpollEventDispatcher: invalid timer (id %d, interval %lld)", timerId,
                 static_cast<long long>(interval));
        return;
    }
    m_timers.add(timerId, interval, timerType, object, TimerSchedule::Clock::now());
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers.timersOf(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remainingMs(timerId, TimerSchedule::Clock::now());
}

void EpollEventDispatcher::wakeUp()
{
    // One write per wake-up still pending: QCoreApplication::postEvent calls this for every
    // event posted, and the flag, not the counter, is what processEvents() looks at.
    if (!m_wakeUpPending.exchange(true, std::memory_order_acq_rel)) {
        const quint64 one = 1;
        while (::write(m_wakeFd, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_release);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 count = 0;
    while (::read(m_wakeFd, &count, sizeof count) < 0 && errno == EINTR) {
    }
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();

    // Taken down before the posted events go out, so one posted from now on (by them, or by
    // another thread) sets it again and keeps this pass from blocking.
    if (m_wakeUpPending.exchange(false, std::memory_order_acq_rel))
        drainWakeUps();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = flags.testFlag(QEventLoop::WaitForMoreEvents) &&
                         !m_interrupted.load(std::memory_order_acquire) &&
                         !m_wakeUpPending.load(std::memory_order_acquire);
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.load(std::memory_order_acquire))
        return false;

    applyNotifierChanges();
    int timeoutMs = 0;
    if (canWait && m_writableNow.empty() && !m_wakeUpPending.load(std::memory_order_acquire))
        timeoutMs = includeTimers ? m_timers.waitMs(TimerSchedule::Clock::now()) : -1;

    int count = ::epoll_wait(m_epollFd, m_events.data(), int(m_events.size()), timeoutMs);
    if (count < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait: %s", std::strerror(errno));
        count = 0;
    }
    const std::uint64_t generation = ++m_generation;

    if (std::size_t(m_depth) >= m_scratch.size())
        m_scratch.emplace_back();
    PassScratch &scratch = m_scratch[std::size_t(m_depth)];
    ++m_depth;

    int activity = 0;
    scratch.ready.swap(m_writableNow); // the write probes first, then what epoll reported
    m_writableNow.clear();
    for (int i = 0; i < count; ++i) {
        const epoll_event &event = m_events[std::size_t(i)];
        if (event.data.fd == m_wakeFd) {
            drainWakeUps();
            ++activity;
            continue;
        }
        Ready ready;
        ready.fd = event.data.fd;
        ready.events = event.events;
        for (int t = 0; t < 3; ++t)
            ready.serials[t] = m_notifiers.slot(ready.fd, kTypes[t]).serial;
        scratch.ready.push_back(ready);
    }
    if (std::size_t(count) == m_events.size() && m_events.size() < kMaxEvents)
        m_events.resize(m_events.size() * 2);

    if (includeNotifiers)
        activity += activateNotifiers(scratch.ready, generation);
    if (includeTimers) {
        m_timers.collectDue(TimerSchedule::Clock::now(), &scratch.due);
        activity += activateTimers(scratch.due);
    }
    --m_depth;
    return activity > 0;
}

int EpollEventDispatcher::activateNotifiers(const std::vector<Ready> &ready,
                                            std::uint64_t generation)
{
    // Readers first, writers after: what the reads of this pass put in sockets' write
    // buffers (a join's fan-out to a whole room) then leaves in the same write() as what was
    // already waiting there, instead of costing a write() of its own a pass later.
    static constexpr int kOrder[3] = {0, 2, 1}; // Read, Exception, Write
    int activated = 0;
    for (const int t : kOrder) {
        for (const Ready &entry : ready) {
            if (m_generation != generation)
                return activated; // a nested loop polled meanwhile; see m_generation
            if (!activates(entry.events, kTypes[t]))
                continue;
            // Looked up again for each delivery: an earlier one may have disabled or deleted
            // this notifier (its destructor unregisters it), or put another in its place.
            const NotifierTable::Slot slot = m_notifiers.slot(entry.fd, kTypes[t]);
            if (!slot.notifier || slot.serial != entry.serials[t])
                continue;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(slot.notifier, &event);
            ++activated;
        }
    }
    return activated;
}

int EpollEventDispatcher::activateTimers(std::vector<TimerSchedule::Due> &due)
{
    int fired = 0;
    for (TimerSchedule::Due &timer : due) {
        QObject *object = m_timers.startFiring(timer, TimerSchedule::Clock::now());
        if (!object)
            continue; // stopped, restarted or already fired since it was found due
        QTimerEvent event(timer.id);
        QCoreApplication::sendEvent(object, &event);
        m_timers.finishFiring(timer);
        ++fired;
    }
    return fired;
}

} // namespace flack::server::eventloop

#endif // FLACK_HAVE_EPOLL_DISPATCHER
