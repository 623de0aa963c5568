#pragma once
// This node's counters for GET /metrics and the admin view: connections, messages in, deliveries
// out, bytes, protocol errors by code, kicks, and the chats held here. Sessions, replicas and the
// room directory bump them on the hot path, so every update is a plain addition; readers take a
// snapshot() and compute rates from two of them. One per node, owned by ServerApplication and
// handed out by pointer (through the RoomDirectory). Lives on the main thread, like everything
// that updates or reads it.

#include "shared/errorcode.h"

#include <QString>

#include <map>

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
    // Plain integers, no atomics: every caller runs on the main thread (sessions, rooms, the
    // HTTP listener that serves /metrics). Worker threads will need atomics or one instance per
    // thread summed at snapshot time.
    void connectionOpened()
    {
        ++m_values.connectionsOpen;
        ++m_values.connectionsAccepted;
    }
    void connectionClosed() { --m_values.connectionsOpen; }
    void messageReceived() { ++m_values.messagesIn; }
    // One event fanned out to `recipients` members, `bytes` long each.
    void eventDelivered(qsizetype recipients, qsizetype bytes, bool chatMessage)
    {
        m_values.deliveries += quint64(recipients);
        m_values.bytesOut += quint64(recipients) * quint64(bytes);
        if (chatMessage)
            m_values.messagesOut += quint64(recipients);
    }
    // A frame for one client outside a fan-out (a reply of its session, its chat_state).
    void frameSent(qsizetype bytes) { m_values.bytesOut += quint64(bytes); }
    void frameReceived(qsizetype bytes) { m_values.bytesIn += quint64(bytes); }
    // Not on the hot path: a session sends at most one.
    void protocolErrorSent(protocol::ErrorCode code) { ++m_protocolErrors[code]; }
    void kicked() { ++m_values.kicks; }
    // Set, not counted, by the directory after each change: they cannot drift from its maps.
    void setChatReplicas(qsizetype count) { m_values.chatReplicas = count; }
    void setChatsOwned(qsizetype count) { m_values.chatsOwned = count; }

    MetricsSnapshot snapshot() const;

private:
    MetricsSnapshot m_values; // everything but protocolErrors, kept below by enum
    std::map<protocol::ErrorCode, quint64> m_protocolErrors;
};

} // namespace flack::server::admin
