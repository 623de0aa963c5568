#pragma once
// This node's counters for GET /metrics and the admin view: connections, messages in, deliveries
// out, bytes, protocol errors by code, kicks, and the chats held here. Sessions, replicas and the
// room directory bump them on the hot path, so every update is a plain addition; readers take a
// snapshot() and compute rates from two of them. One per node, owned by ServerApplication and
// handed out by pointer (through the RoomDirectory), and one per worker thread, summed into the
// node's (addPart).

#include "shared/errorcode.h"

#include <QMutex>
#include <QString>

#include <atomic>
#include <map>
#include <vector>

namespace flack::server::admin {

// Every value at one moment. Counters only ever grow (until the process restarts); gauges are
// the current figure.
struct MetricsSnapshot
{
    qint64 connectionsOpen = 0;      // gauge: chat websocket sessions alive now
    quint64 connectionsAccepted = 0; // chat websocket sessions created since start
    quint64 messagesIn = 0;          // chat_message records accepted from this node's clients
    quint64 messagesOut = 0;         // chat_message frames delivered to this node's members
    quint64 deliveries = 0;          // every frame a replica delivered to this node's members
    quint64 bytesIn = 0;             // UTF-8 payload of text frames received on chat websockets
    quint64 bytesOut = 0;            // UTF-8 payload of the frames handed to chat websockets
    quint64 kicks = 0;               // connections an administrator kicked
    qint64 chatReplicas = 0;         // gauge: chats with members on this node
    qint64 chatsOwned = 0;           // gauge: chats this node owns
    std::map<QString, quint64> protocolErrors; // by wire code ("CHAT_PROTOCOL-001"), sorted
};

class ServerMetrics
{
public:
    // One writer per instance: the thread whose sessions and rooms update it (the main
    // thread's, or a worker thread's; see addPart). Each counter is an atomic written with a
    // relaxed load and store, so an update stays a plain addition (no locked instruction) and
    // another thread may read it at any time.
    void connectionOpened()
    {
        bump(m_connectionsOpen);
        bump(m_connectionsAccepted);
    }
    void connectionClosed() { bump(m_connectionsOpen, -1); }
    void messageReceived() { bump(m_messagesIn); }
    // One event fanned out to `recipients` members, `bytes` long each.
    void eventDelivered(qsizetype recipients, qsizetype bytes, bool chatMessage)
    {
        bump(m_deliveries, recipients);
        bump(m_bytesOut, recipients * qint64(bytes));
        if (chatMessage)
            bump(m_messagesOut, recipients);
    }
    // A frame for one client outside a fan-out (a reply of its session, its chat_state).
    void frameSent(qsizetype bytes) { bump(m_bytesOut, bytes); }
    void frameReceived(qsizetype bytes) { bump(m_bytesIn, bytes); }
    // Not on the hot path: a session sends at most one.
    void protocolErrorSent(protocol::ErrorCode code);
    void kicked() { bump(m_kicks); }
    // Set, not counted, by the directory after each change: they cannot drift from its maps.
    // The node's own directory only: a part's are not summed.
    void setChatReplicas(qsizetype count)
    {
        m_chatReplicas.store(count, std::memory_order_relaxed);
    }
    void setChatsOwned(qsizetype count) { m_chatsOwned.store(count, std::memory_order_relaxed); }

    // The counters of a worker thread, summed into every snapshot of this one (the node's).
    // Set up before the worker starts.
    void addPart(const ServerMetrics *part) { m_parts.push_back(part); }
    // Before a part goes (its counts go with it).
    void removePart(const ServerMetrics *part) { std::erase(m_parts, part); }

    // Safe from any thread.
    MetricsSnapshot snapshot() const;

private:
    static void bump(std::atomic<qint64> &counter, qint64 by = 1)
    {
        counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    }
    // Adds this instance's counters (not the parts', not the gauges of chats) to into.
    void addCountersTo(MetricsSnapshot *into) const;

    std::atomic<qint64> m_connectionsOpen{0};
    std::atomic<qint64> m_connectionsAccepted{0};
    std::atomic<qint64> m_messagesIn{0};
    std::atomic<qint64> m_messagesOut{0};
    std::atomic<qint64> m_deliveries{0};
    std::atomic<qint64> m_bytesIn{0};
    std::atomic<qint64> m_bytesOut{0};
    std::atomic<qint64> m_kicks{0};
    std::atomic<qint64> m_chatReplicas{0};
    std::atomic<qint64> m_chatsOwned{0};
    // Rare (one per failing session): a lock is fine here.
    mutable QMutex m_errorsLock;
    std::map<protocol::ErrorCode, quint64> m_protocolErrors;
    std::vector<const ServerMetrics *> m_parts;
};

} // namespace flack::server::admin
