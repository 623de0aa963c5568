#pragma once
// Decides when the server hands freed heap back to the kernel (malloc_trim). Fed once per
// coarse tick (ChatEndpoint's memory sweep, main thread) with what the tick freed: idle
// sockets' write chunks released and connections that arrived. A connect burst frees a great
// deal (handshake objects, the `joined` fan-out's queued frames) but trimming in the middle of
// one is undone at once, so the policy waits for the burst to end (and for the idle sockets'
// buffers to be released), then trims once; and it
// trims no more often than minIntervalMs (a trim walks the whole heap). Pure arithmetic on the
// caller's clock, so the decision is unit-tested; the trim itself is freedmemory.h.

#include <QtGlobal>

namespace flack::server::net {

struct MemoryTrimSettings
{
    // A tick with more arrivals than this is still a burst: wait.
    qint64 quietArrivalsPerTick = 16;
    // Quiet ticks in a row before a trim: a socket gives its write buffer back only after a
    // whole tick without writes, and the burst's last `joined` frames reach most members, so
    // the second quiet tick is the first that finds those buffers released.
    int quietTicks = 2;
    // What makes a trim worth its cost: at least this many arrivals or released write buffers
    // since the last trim.
    qint64 minArrivals = 256;
    qint64 minReleasedBuffers = 256;
    // Never two trims closer than this, however much was freed.
    qint64 minIntervalMs = 10'000;
};

class MemoryTrimPolicy
{
public:
    explicit MemoryTrimPolicy(const MemoryTrimSettings &settings = {}) : m_settings(settings) {}

    // One tick at nowMs: arrivals connections came and releasedBuffers idle write buffers were
    // freed since the previous tick. True: trim now (what was counted is then cleared).
    bool onTick(qint64 nowMs, qint64 arrivals, qint64 releasedBuffers);

    qint64 pendingArrivals() const { return m_arrivals; }
    qint64 pendingReleasedBuffers() const { return m_released; }

private:
    MemoryTrimSettings m_settings;
    qint64 m_arrivals = 0;
    qint64 m_released = 0;
    qint64 m_lastTrimMs = -1; // none yet
    int m_quietTicks = 0;
};

} // namespace flack::server::net
