#pragma once
// Every chat connection this node holds, by an id unique in the cluster: node name,
// incarnation (start time) and a counter. Client-chosen user ids are not unique, so the
// cluster, and the admin endpoint after it, address connections by these ids. Sessions add
// themselves when created and remove themselves when destroyed. Lives on the main thread;
// owned by RoomDirectory.

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
    QHash<QString, RoomMember *> m_members;
};

} // namespace flack::server::rooms
