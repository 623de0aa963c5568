#pragma once
// A bounded set of the most recent ids seen (forwarded chat messages), oldest forgotten first:
// enough to drop a message stamped twice across an owner change without keeping every id ever.

#include <QSet>
#include <QString>

#include <deque>

namespace flack::server::cluster {

class RecentIds
{
public:
    explicit RecentIds(qsizetype capacity = 4096) : m_capacity(capacity) {}
    bool contains(const QString &id) const { return m_ids.contains(id); }
    // False when it was there already.
    bool insert(const QString &id)
    {
        if (m_ids.contains(id))
            return false;
        m_ids.insert(id);
        m_order.push_back(id);
        if (qsizetype(m_order.size()) > m_capacity) {
            m_ids.remove(m_order.front());
            m_order.pop_front();
        }
        return true;
    }
    qsizetype size() const { return m_ids.size(); }

private:
    qsizetype m_capacity;
    QSet<QString> m_ids;
    std::deque<QString> m_order;
};

} // namespace flack::server::cluster
