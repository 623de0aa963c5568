#include "server/rooms/rosterlisting.h"

#include "shared/serverrecordencoder.h"

namespace flack::server::rooms {

void RosterListing::append(QStringView userName, QStringView userId)
{
    m_array.chop(1); // the closing bracket
    if (!m_ends.empty())
        m_array.append(',');
    m_array.append(protocol::encodeChatUser(userName, userId));
    m_ends.push_back(m_array.size());
    m_array.append(']');
}

void RosterListing::removeAt(qsizetype index)
{
    Q_ASSERT(index >= 0 && index < size());
    const auto at = std::size_t(index);
    // The entry and one comma beside it: the one before it, or for the first entry the one
    // after it (none when it is the only one).
    qsizetype from = 0;
    qsizetype to = 0;
    if (at > 0) {
        from = m_ends[at - 1];
        to = m_ends[at];
    } else {
        from = 1;
        to = m_ends.size() > 1 ? m_ends[0] + 1 : m_ends[0];
    }
    m_array.remove(from, to - from);
    m_ends.erase(m_ends.begin() + index);
    for (std::size_t i = at; i < m_ends.size(); ++i)
        m_ends[i] -= to - from;
}

} // namespace flack::server::rooms
