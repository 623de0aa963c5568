#pragma once
// The joined/left events a room's replica holds back for its members during a presence window,
// in order. In a storm of joins every member of a room would otherwise be handed every event
// one by one — a look at each member's session and transport per event (the largest part of
// the server's own work in a connect storm, docs/benchmarks.md) — when all of them only need
// the same run of events, once per window. Members who joined during the window take it from
// their own place on (see ChatReplica). Each event is kept as its owner encoded it and as the
// text frame every member shares; the members' wire form (websocket frames, all of them in one
// piece) is made once, by the first member that asks, and shared by the others.

#include <QByteArray>
#include <QString>

#include <vector>

namespace flack::server::rooms {

class PresenceBatch
{
public:
    // Appends one record's wire form (what a member writes: a websocket text frame) to out.
    using WireEncoder = void (*)(const QByteArray &utf8, QByteArray &out);

    void append(const QByteArray &utf8, const QString &frame);
    bool isEmpty() const { return m_events.empty(); }
    qsizetype size() const { return qsizetype(m_events.size()); }
    // The records' bytes held, as encoded by the owner.
    qint64 bytes() const { return m_bytes; }
    const QByteArray &utf8(qsizetype i) const { return m_events[std::size_t(i)].utf8; }
    const QString &frame(qsizetype i) const { return m_events[std::size_t(i)].frame; }

    // Events from..size() in their wire form, as one piece. Encoded once per event whoever
    // asks (every member of a room asks with the same encoder); from 0 the piece is shared,
    // from anywhere else it is a copy of the rest.
    QByteArray wire(qsizetype from, WireEncoder encode) const;

private:
    struct Event
    {
        QByteArray utf8;
        QString frame;
    };
    std::vector<Event> m_events;
    qint64 m_bytes = 0;
    // The wire form of the first m_wireOffsets.size() events, and where each one starts.
    mutable QByteArray m_wire;
    mutable std::vector<qsizetype> m_wireOffsets;
    mutable WireEncoder m_wireEncoder = nullptr;
};

} // namespace flack::server::rooms
