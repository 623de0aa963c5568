#include "server/rooms/connectionregistry.h"

#include "server/rooms/roommember.h"

namespace flack::server::rooms {

void ConnectionRegistry::setNode(const QString &node, quint64 incarnation)
{
    m_node = node;
    m_incarnation = incarnation;
    m_prefix.clear();
}

void ConnectionRegistry::setIdSeries(quint64 series, quint64 seriesCount)
{
    m_counterStep = qMax<quint64>(seriesCount, 1);
    m_counter = series % m_counterStep; // the first id is one step above
}

QString ConnectionRegistry::allocateId()
{
    if (m_prefix.isEmpty())
        m_prefix = QStringLiteral("%1/%2/").arg(m_node).arg(m_incarnation, 0, 36);
    m_counter += m_counterStep;
    return m_prefix + QString::number(m_counter, 36);
}

void ConnectionRegistry::add(RoomMember *member)
{
    m_members.insert(member->connectionId(), member);
}

void ConnectionRegistry::remove(const RoomMember *member)
{
    const auto found = m_members.constFind(member->connectionId());
    if (found != m_members.cend() && found.value() == member)
        m_members.erase(found);
}

} // namespace flack::server::rooms
