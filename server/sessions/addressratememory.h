#pragma once
// What the connections from one address left of their message rate when they ended, kept until
// it would have refilled. Every connection has its own token bucket (MessageRateLimiter), and a
// fresh one is full: without this, a flooder that reconnects gets a full burst each time and
// sends at its reconnect rate, not at --max-messages-per-second. A new connection from an
// address with a memory starts from the emptiest bucket remembered there instead, refilled for
// the time since. Someone else behind the same address (a NAT, a proxy) loses nothing that
// matters: a bucket starting low still refills at the full rate, so a person's next message
// waits at most 1/rate seconds.
// Bounded: an entry lives only until its bucket would be full again (burst / rate seconds),
// and there are at most maxEntries (the oldest goes first). Pure bookkeeping on a
// caller-given clock (one clock for all callers); the node's chat endpoints share one (one per
// thread: hence a lock, taken once per connection's start and end).

#include <QByteArray>
#include <QHash>
#include <QMutex>

#include <deque>

namespace flack::server::sessions {

class AddressRateMemory
{
public:
    // perSecond 0 (unlimited) remembers nothing.
    AddressRateMemory(int perSecond, int burst, qsizetype maxEntries = 65536);

    // What a new connection from the address starts with, in thousandths of a token: the
    // full burst unless a recent connection from there left less.
    qint64 startingTokensMilli(const QByteArray &addressKey, qint64 nowMs);
    // A connection from the address ended with tokensMilli in its bucket.
    void remember(const QByteArray &addressKey, qint64 tokensMilli, qint64 nowMs);

    qsizetype size() const;

private:
    struct Entry
    {
        qint64 tokensMilli;
        qint64 atMs;
    };
    qint64 refilled(const Entry &entry, qint64 nowMs) const;
    void forgetRefilled(qint64 nowMs);

    mutable QMutex m_lock;
    int m_perSecond;
    qint64 m_capacityMilli;
    qsizetype m_maxEntries;
    QHash<QByteArray, Entry> m_entries;
    // Keys in the order their entries were last written, oldest first; a key may be listed
    // again after a later write, and its older listing is then skipped (atMs differs).
    std::deque<std::pair<QByteArray, qint64>> m_order;
};

} // namespace flack::server::sessions
