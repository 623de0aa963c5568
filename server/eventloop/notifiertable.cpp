#include "server/eventloop/notifiertable.h"

namespace flack::server::eventloop {

namespace {

int slotIndex(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return 0;
    case QSocketNotifier::Write:
        return 1;
    case QSocketNotifier::Exception:
        return 2;
    }
    return -1;
}

constexpr std::uint8_t kInterestOfSlot[3] = {NotifierTable::Read, NotifierTable::Write,
                                             NotifierTable::Exception};

} // namespace

NotifierTable::Entry *NotifierTable::entry(int fd)
{
    return fd >= 0 && std::size_t(fd) < m_entries.size() ? &m_entries[std::size_t(fd)] : nullptr;
}

const NotifierTable::Entry *NotifierTable::entry(int fd) const
{
    return fd >= 0 && std::size_t(fd) < m_entries.size() ? &m_entries[std::size_t(fd)] : nullptr;
}

void NotifierTable::markDirty(int fd, Entry &entry)
{
    if (!entry.dirty) {
        entry.dirty = true;
        m_dirty.push_back(fd);
    }
}

bool NotifierTable::add(QSocketNotifier *notifier, int fd, QSocketNotifier::Type type)
{
    const int index = slotIndex(type);
    if (fd < 0 || index < 0 || !notifier)
        return false;
    if (std::size_t(fd) >= m_entries.size())
        m_entries.resize(std::size_t(fd) + 1);
    Entry &e = m_entries[std::size_t(fd)];
    Slot &slot = e.bySlot[index];
    if (slot.notifier && slot.notifier != notifier)
        return false;
    if (!slot.notifier)
        ++m_count;
    slot.notifier = notifier;
    slot.serial = m_nextSerial++;
    if (type == QSocketNotifier::Write && !(e.applied & Write))
        e.writeProbe = true;
    markDirty(fd, e);
    return true;
}

bool NotifierTable::remove(QSocketNotifier *notifier, int fd, QSocketNotifier::Type type)
{
    const int index = slotIndex(type);
    Entry *e = entry(fd);
    if (!e || index < 0 || !notifier || e->bySlot[index].notifier != notifier)
        return false;
    e->bySlot[index] = Slot();
    if (type == QSocketNotifier::Write)
        e->writeProbe = false;
    if (!e->bySlot[0].notifier && !e->bySlot[1].notifier && !e->bySlot[2].notifier)
        e->emptied = true;
    --m_count;
    markDirty(fd, *e);
    return true;
}

NotifierTable::Slot NotifierTable::slot(int fd, QSocketNotifier::Type type) const
{
    const int index = slotIndex(type);
    const Entry *e = entry(fd);
    return e && index >= 0 ? e->bySlot[index] : Slot();
}

std::uint8_t NotifierTable::wanted(int fd) const
{
    const Entry *e = entry(fd);
    if (!e)
        return None;
    std::uint8_t interests = None;
    for (int i = 0; i < 3; ++i) {
        if (e->bySlot[i].notifier)
            interests |= kInterestOfSlot[i];
    }
    return interests;
}

std::uint8_t NotifierTable::applied(int fd) const
{
    const Entry *e = entry(fd);
    return e ? e->applied : std::uint8_t(None);
}

void NotifierTable::setApplied(int fd, std::uint8_t interests)
{
    if (Entry *e = entry(fd))
        e->applied = interests;
}

bool NotifierTable::takeWriteProbe(int fd)
{
    Entry *e = entry(fd);
    if (!e || !e->writeProbe)
        return false;
    e->writeProbe = false;
    return true;
}

bool NotifierTable::takeEmptied(int fd)
{
    Entry *e = entry(fd);
    if (!e || !e->emptied)
        return false;
    e->emptied = false;
    return true;
}

void NotifierTable::touch(int fd)
{
    if (Entry *e = entry(fd))
        markDirty(fd, *e);
}

void NotifierTable::takeDirty(std::vector<int> *into)
{
    into->clear();
    into->swap(m_dirty);
    for (const int fd : *into) {
        if (Entry *e = entry(fd))
            e->dirty = false;
    }
}

} // namespace flack::server::eventloop
