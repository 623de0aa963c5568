#pragma once
// This node's part of the admin view: its identity, uptime, connections, the chats it owns and
// its authenticated connections, with per-second rates computed from counters between two
// reports. Read-only over the directory and registry. Lives on the main thread; owned by
// ServerApplication.

#include "server/admin/clusterview.h"

#include <QElapsedTimer>
#include <QHash>

#include <functional>

namespace flack::server::rooms {
class RoomDirectory;
}

namespace flack::server::admin {

class NodeReporter
{
public:
    struct Counters
    {
        qint64 messagesIn = 0;  // chat_messages accepted from this node's clients
        qint64 messagesOut = 0; // frames delivered to this node's clients
        qint64 deliveries = 0;  // chat events delivered to members
    };
    using LinksSource = std::function<QList<protocol::LinkInfo>()>;
    using CountersSource = std::function<Counters()>;

    NodeReporter(rooms::RoomDirectory *directory, LinksSource links, CountersSource counters);

    void setIdentity(const QString &name, qint64 incarnation, const QString &address);
    void setLinks(LinksSource links) { m_links = std::move(links); }
    QString nodeName() const { return m_name; }

    // A report now; rates cover the time since the previous one.
    NodeReport report();

    // More would make one node's report too big for a peer frame; the rest is left out.
    static constexpr qsizetype kMaxUsersReported = 20000;

private:
    rooms::RoomDirectory *m_directory;
    LinksSource m_links;
    CountersSource m_counters;
    QString m_name;
    qint64 m_incarnation = 0;
    QString m_address;
    QElapsedTimer m_uptime;
    QElapsedTimer m_sinceLast;
    Counters m_last;
    QHash<QString, qint64> m_lastPosts; // by chat
};

} // namespace flack::server::admin
