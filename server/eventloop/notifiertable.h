#pragma once
// NotifierTable: which QSocketNotifier watches which file descriptor for what, for an event
// dispatcher that asks the kernel only about ready descriptors (EpollEventDispatcher). Each
// change is O(1): a slot per descriptor and type, found by indexing, never by scanning every
// socket as Qt 6.4's own Unix dispatcher does. Kernel updates are deferred: a descriptor whose
// wanted events changed goes on a dirty list, and the dispatcher applies the list once before
// it waits, so a notifier enabled and disabled again in one pass costs no system call.
// Pure bookkeeping (no system calls), owned and used by one dispatcher on one thread.

#include <QSocketNotifier>

#include <cstdint>
#include <vector>

namespace flack::server::eventloop {

class NotifierTable
{
public:
    // What a descriptor is watched for, as bits (the dispatcher maps them to EPOLLIN etc.).
    enum Interest : std::uint8_t { None = 0, Read = 1, Write = 2, Exception = 4 };

    // The notifier in one slot and a serial that changes on every registration, so an
    // activation collected before a notifier was (re-)registered is never delivered to it.
    struct Slot
    {
        QSocketNotifier *notifier = nullptr;
        std::uint64_t serial = 0;
    };

    // False (and no change) when fd is negative or the slot holds another notifier already.
    bool add(QSocketNotifier *notifier, int fd, QSocketNotifier::Type type);
    // False when that notifier is not the one registered there.
    bool remove(QSocketNotifier *notifier, int fd, QSocketNotifier::Type type);

    Slot slot(int fd, QSocketNotifier::Type type) const;
    // The interests of the enabled notifiers on fd.
    std::uint8_t wanted(int fd) const;
    // What the kernel was last told for fd (None: not in its set).
    std::uint8_t applied(int fd) const;
    void setApplied(int fd, std::uint8_t interests);

    // True once after a write notifier was registered on fd while the kernel was not told to
    // watch it for writing: the dispatcher then asks whether fd is writable right away (one
    // poll() for all such descriptors) instead of adding and removing EPOLLOUT around every
    // flush of a socket's write buffer.
    bool takeWriteProbe(int fd);
    // True once after fd's last notifier went away: the descriptor may have been closed
    // since and its number reused by another socket, whose registration the kernel knows
    // nothing of even though applied() still says so.
    bool takeEmptied(int fd);
    // Puts fd on the dirty list, to be looked at again before the next wait.
    void touch(int fd);

    // Moves into *into (cleared first; its buffer is reused) the descriptors whose wanted
    // interests may differ from what was applied, each once, in the order they changed.
    void takeDirty(std::vector<int> *into);

    std::size_t notifierCount() const { return m_count; }

private:
    struct Entry
    {
        Slot bySlot[3]; // indexed by QSocketNotifier::Type: Read, Write, Exception
        std::uint8_t applied = None;
        bool dirty = false;
        bool writeProbe = false;
        bool emptied = false;
    };

    Entry *entry(int fd);
    const Entry *entry(int fd) const;
    void markDirty(int fd, Entry &entry);

    std::vector<Entry> m_entries; // indexed by descriptor; descriptors are small and dense
    std::vector<int> m_dirty;
    std::uint64_t m_nextSerial = 1;
    std::size_t m_count = 0;
};

} // namespace flack::server::eventloop
