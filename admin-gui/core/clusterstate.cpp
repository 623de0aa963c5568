#include "admin-gui/core/clusterstate.h"

#include "shared/timestamp.h"

namespace flack::admin {

using protocol::ChatInfo;
using protocol::UserInfo;

namespace {

// Brings `held` to `wanted` (the full list), collecting what differs.
template <typename T, typename KeyOf>
void merge(QHash<QString, T> &held, const QList<T> &wanted, KeyOf keyOf, QList<T> &changed,
           QStringList &removed)
{
    QSet<QString> keep;
    keep.reserve(wanted.size());
    for (const T &item : wanted) {
        const QString key = keyOf(item);
        keep.insert(key);
        const auto it = held.find(key);
        if (it == held.end()) {
            held.insert(key, item);
            changed.append(item);
        } else if (!(*it == item)) {
            *it = item;
            changed.append(item);
        }
    }
    for (auto it = held.begin(); it != held.end();) {
        if (!keep.contains(it.key())) {
            removed.append(it.key());
            it = held.erase(it);
        } else {
            ++it;
        }
    }
}

template <typename T, typename KeyOf>
void upsert(QHash<QString, T> &held, const QList<T> &changedIn, const QStringList &removedIn,
            KeyOf keyOf, QList<T> &changed, QStringList &removed)
{
    for (const QString &key : removedIn) {
        if (held.remove(key))
            removed.append(key);
    }
    for (const T &item : changedIn) {
        const QString key = keyOf(item);
        const auto it = held.find(key);
        if (it == held.end()) {
            held.insert(key, item);
            changed.append(item);
        } else if (!(*it == item)) {
            *it = item;
            changed.append(item);
        }
    }
}

QString chatKey(const ChatInfo &chat)
{
    return chat.name;
}

QString userKey(const UserInfo &user)
{
    return user.connectionId;
}

} // namespace

ClusterState::ClusterState(QObject *parent) : QObject(parent) {}

std::optional<ChatInfo> ClusterState::chat(const QString &name) const
{
    const auto it = m_chats.constFind(name);
    return it == m_chats.cend() ? std::nullopt : std::optional<ChatInfo>(*it);
}

std::optional<UserInfo> ClusterState::user(const QString &connectionId) const
{
    const auto it = m_users.constFind(connectionId);
    return it == m_users.cend() ? std::nullopt : std::optional<UserInfo>(*it);
}

void ClusterState::applySnapshot(const protocol::ClusterSnapshot &snapshot)
{
    setNodes(snapshot.node, snapshot.time, snapshot.nodes, snapshot.unreachable);
    QList<ChatInfo> chats;
    QStringList chatsRemoved;
    merge(m_chats, snapshot.chats, chatKey, chats, chatsRemoved);
    if (!chats.isEmpty() || !chatsRemoved.isEmpty())
        emit chatsChanged(chats, chatsRemoved);
    QList<UserInfo> users;
    QStringList usersRemoved;
    merge(m_users, snapshot.users, userKey, users, usersRemoved);
    if (!users.isEmpty() || !usersRemoved.isEmpty())
        emit usersChanged(users, usersRemoved);
    finishRecord();
}

void ClusterState::applyUpdate(const protocol::ClusterUpdate &update)
{
    setNodes(update.node, update.time, update.nodes, update.unreachable);
    QList<ChatInfo> chats;
    QStringList chatsRemoved;
    upsert(m_chats, update.chatsChanged, update.chatsRemoved, chatKey, chats, chatsRemoved);
    if (!chats.isEmpty() || !chatsRemoved.isEmpty())
        emit chatsChanged(chats, chatsRemoved);
    QList<UserInfo> users;
    QStringList usersRemoved;
    upsert(m_users, update.usersChanged, update.usersRemoved, userKey, users, usersRemoved);
    if (!users.isEmpty() || !usersRemoved.isEmpty())
        emit usersChanged(users, usersRemoved);
    finishRecord();
}

void ClusterState::clear()
{
    m_answeringNode.clear();
    m_time.clear();
    m_nodes.clear();
    m_unreachable.clear();
    m_chats.clear();
    m_users.clear();
    m_totals = {};
    m_history.clear();
    emit cleared();
}

void ClusterState::setNodes(const QString &answeringNode, const QString &time,
                            const QList<protocol::NodeInfo> &nodes, const QStringList &unreachable)
{
    m_answeringNode = answeringNode;
    m_time = time;
    const QSet<QString> down(unreachable.cbegin(), unreachable.cend());
    if (nodes == m_nodes && down == m_unreachable)
        return;
    m_nodes = nodes;
    m_unreachable = down;
    emit nodesChanged(m_nodes, m_unreachable);
}

void ClusterState::finishRecord()
{
    m_totals = aggregateTotals(m_nodes, m_chats.size(), m_users.size());
    const QDateTime time = protocol::parseTimestamp(m_time);
    if (time.isValid())
        m_history.add({time.toSecsSinceEpoch(), m_totals.messagesInPerS, m_totals.deliveriesPerS});
    emit recordApplied();
}

} // namespace flack::admin
