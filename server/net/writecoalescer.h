#pragma once
// Lets a connection's outgoing frames share one write() when they come close together.
// Qt writes what a socket was given at the next pass of the event loop, one write() per
// socket per pass; a connection that wrote less than the window ago holds its next frames
// (WebSocketTransport keeps them) and registers here; one timer for all of them hands each
// one's held frames to its socket in one piece when the window has passed. A connection that
// was quiet for a window writes at once, so a chat at a person's pace waits for nothing.
// Two uses (ChatEndpoint): chat frames, off by default (--coalesce-writes-ms 0: in a room of
// 1,000 a held frame went out a pass late, which cost more latency than the saved writes
// gained, see docs/benchmarks.md), and joined/left, whose window stretches under a storm of
// joins (see Stretch): there a frame may wait up to the stretched window, not the base one.
// The joined/left window is shared by the transports and their rooms' replicas, which hold a
// room's joined/left for all its members as one listing (ChatReplica).
// Lives on the connections' thread; owned by ChatEndpoint, which outlives its transports.

#include <QObject>
#include <QTimer>

#include <chrono>
#include <vector>

namespace flack::server::net {

class WriteCoalescer : public QObject
{
    Q_OBJECT
public:
    // A connection holding frames; flushHeld() hands them to its socket.
    class Client
    {
    public:
        virtual void flushHeld() = 0;

    protected:
        ~Client() = default;
    };

    // A window that grows under a storm: after a flush of at least busyListings connections the
    // next window is twice the last, up to maxWindowMs; after a quieter flush it is the base
    // window again. For joined/left: a burst of joins across the server then costs each member
    // one write per long window, while a join in a quiet time waits only the base window.
    struct Stretch
    {
        int maxWindowMs = 0;
        std::size_t busyListings = 0;
    };

    // windowMs 0: nothing is held (every frame is written at once).
    explicit WriteCoalescer(int windowMs, QObject *parent = nullptr);
    WriteCoalescer(int windowMs, Stretch stretch, QObject *parent = nullptr);

    // The window now: the base one, or longer while a stretching coalescer is busy.
    int windowMs() const { return m_windowMs; }
    // A monotonic clock in milliseconds, for the clients' "last write" times; the same for
    // every coalescer (a connection may use two, see WebSocketTransport).
    static qint64 nowMs()
    {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
    // Whether a client that last wrote at lastWriteMs should hold its next frame.
    bool shouldHold(qint64 lastWriteMs, qint64 now = nowMs()) const
    {
        return m_windowMs > 0 && now - lastWriteMs < m_windowMs;
    }
    // client holds frames now: flushHeld() is called once for this listing, within a window.
    // A client may be listed more than once (it handed its frames over early and held again).
    // connections: how many connections' frames the listing holds, for the storm rule of
    // Stretch (a room's replica holds its whole membership's in one listing).
    void add(Client *client, std::size_t connections = 1);
    // client goes away: every listing of it is dropped, uncalled (the connections they counted
    // still count for this window's storm rule: a window at most).
    void remove(Client *client);

private:
    void flushAll();

    const int m_baseWindowMs;
    const Stretch m_stretch; // maxWindowMs never below the base window
    int m_windowMs;
    QTimer m_timer;
    std::vector<Client *> m_holding;
    std::size_t m_holdingConnections = 0; // what this window's listings hold, added up
    // While flushAll() runs: the list it works through (a client removed meanwhile is nulled).
    std::vector<Client *> *m_flushing = nullptr;
};

} // namespace flack::server::net
