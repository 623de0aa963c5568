#pragma once
// Hands what sockets were given during a pass of the event loop to the kernel just before
// the loop waits for more. Qt writes a socket's buffer only when its write notifier fires:
// the notifier is enabled on the first write, the socket is found writable (our dispatcher
// probes it, Qt's asks epoll), and a notifier event is dispatched to it, a pass later, for
// each socket written to. In a room's fan-out that was ~500 of ~2,700 instructions per
// delivery (callgrind, docs/benchmarks.md). Flushed here, the notifier is enabled and
// disabled again within the pass and the dispatcher has nothing to do for it. Frames of one
// pass still share a write(): the flush comes after all of the pass's work. A socket that
// doesn't take everything keeps its notifier, and Qt writes the rest as before.
// Only what Qt would have written at its next notification is flushed: a socket holding
// more than one write chunk (a reader falling behind a flood) is left to Qt, which writes a
// chunk per pass. Flushed whole, such a backlog went into the kernel's buffers, which grow for
// it, and the slow-reader rule (which sees what Qt holds) no longer caught a client that
// stopped reading.
// Lives on its sockets' thread (the dispatcher's aboutToBlock is that thread's); one per
// ChatEndpoint.

#include "server/net/socketbuffers.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <vector>

namespace flack::server::net {

class PassWriteFlusher : public QObject
{
    Q_OBJECT
public:
    // Flushes before each wait of the current thread's event loop (nothing, and sockets are
    // written by Qt as usual, if the thread has no event dispatcher yet).
    explicit PassWriteFlusher(qint64 maxBytes = kSocketWriteChunkBytes, QObject *parent = nullptr);

    // socket was written to in this pass: it is flushed before the loop waits. listedPass is
    // the caller's mark for it, so that a socket written a thousand times in a pass is listed
    // once (start it at 0).
    void add(QTcpSocket *socket, quint64 *listedPass)
    {
        if (*listedPass == m_pass)
            return;
        *listedPass = m_pass;
        m_sockets.emplace_back(socket);
    }

    // Flushes every socket listed that holds at most maxBytes unsent (one deleted meanwhile is
    // skipped) and starts a new pass.
    void flushAll();

    // Sockets listed and not yet flushed.
    std::size_t pendingCount() const { return m_sockets.size(); }

private:
    const qint64 m_maxBytes;
    quint64 m_pass = 1;
    std::vector<QPointer<QTcpSocket>> m_sockets;
    // Where flushAll works: a flush may end a connection, whose handlers write to others,
    // which are listed anew for the next pass.
    std::vector<QPointer<QTcpSocket>> m_flushing;
};

} // namespace flack::server::net
