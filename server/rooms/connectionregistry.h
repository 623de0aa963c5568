#pragma once
// Every chat connection this node holds, by an id unique in the cluster: node name,
// incarnation (start time) and a counter. Client-chosen user ids are not unique, so the
// cluster, and the admin endpoint after it, address connections by these ids. Sessions add
// themselves when created and remove themselves when destroyed. Lives on its directory's thread
// (the main thread's, or a worker thread's); owned by RoomDirectory.

#include <QHash>
#include <QString>

namespace flack::server::rooms {

class RoomMember;

class ConnectionRegistry
{
public:
    // Ids are <node>/<incarnation>/<counter>; the node part may be set until the first id is
    // handed out.
    void setNode(const QString &node, quint64 incarnation);
    QString node() const { return m_node; }
    quint64 incarnation() const { return m_incarnation; }

    // Several registries of one node (one per thread) hand out ids of their own: registry
    // `series` of `seriesCount` takes every seriesCount-th counter value. Set before the first id.
    void setIdSeries(quint64 series, quint64 seriesCount);
    QString allocateId();
    void add(RoomMember *member);
    void remove(const RoomMember *member);
    // Null when no such connection is held here.
    RoomMember *find(const QString &connectionId) const { return m_members.value(connectionId); }
    qsizetype count() const { return m_members.size(); }
    const QHash<QString, RoomMember *> &all() const { return m_members; }

private:
    QString m_node = QStringLiteral("local");
    quint64 m_incarnation = 0;
    QString m_prefix;
    quint64 m_counter = 0;
    quint64 m_counterStep = 1;
    QHash<QString, RoomMember *> m_members;
};

} // namespace flack::server::rooms
