#include "server/admin/nodereporter.h"

#include "server/rooms/chatowner.h"
#include "server/rooms/roomdirectory.h"
#include "server/rooms/roommember.h"
#include "shared/timestamp.h"

namespace flack::server::admin {

NodeReporter::NodeReporter(rooms::RoomDirectory *directory, LinksSource links,
                           CountersSource counters)
    : m_directory(directory), m_links(std::move(links)), m_counters(std::move(counters))
{
    m_uptime.start();
}

void NodeReporter::setIdentity(const QString &name, qint64 incarnation, const QString &address)
{
    m_name = name;
    m_incarnation = incarnation;
    m_address = address;
}

NodeReport NodeReporter::report()
{
    // Rates over the time since the last report; the first one has none to compare with.
    const bool first = !m_sinceLast.isValid();
    const double seconds = first ? 0 : std::max(0.001, m_sinceLast.restart() / 1000.0);
    if (first)
        m_sinceLast.start();
    auto rate = [&](qint64 now, qint64 before) {
        return first ? 0.0 : std::max(0.0, double(now - before) / seconds);
    };

    NodeReport report;
    report.node = m_name;
    report.time = QString::fromLatin1(protocol::currentTimestamp());
    const Counters counters = m_counters ? m_counters() : Counters{};
    protocol::NodeInfo node;
    node.name = m_name;
    node.incarnation = m_incarnation;
    node.address = m_address;
    node.version = QStringLiteral(FLACK_VERSION);
    node.uptimeS = m_uptime.elapsed() / 1000;
    node.chatsOwned = m_directory->ownedCount();
    node.messagesInPerS = rate(counters.messagesIn, m_last.messagesIn);
    node.messagesOutPerS = rate(counters.messagesOut, m_last.messagesOut);
    node.deliveriesPerS = rate(counters.deliveries, m_last.deliveries);
    node.links = m_links ? m_links() : QList<protocol::LinkInfo>{};
    m_last = counters;

    QHash<QString, qint64> posts;
    for (const rooms::ChatOwner *owner : m_directory->owners()) {
        protocol::ChatInfo chat;
        chat.name = owner->name();
        chat.owner = m_name;
        chat.members = owner->memberCount();
        chat.lastSequence = owner->lastSequence();
        chat.messagesPerS =
            rate(owner->postCount(), m_lastPosts.value(owner->name(), owner->postCount()));
        posts.insert(owner->name(), owner->postCount());
        report.chats.append(chat);
    }
    m_lastPosts = std::move(posts);

    qint64 connections = 0;
    for (const rooms::RoomMember *member : m_directory->connections().all()) {
        ++connections;
        const rooms::ConnectionDetails details = member->details();
        if (!details.authenticated || report.users.size() >= kMaxUsersReported)
            continue;
        protocol::UserInfo user;
        user.connectionId = member->connectionId();
        user.userId = member->userId();
        user.userName = member->userName();
        user.node = m_name;
        user.remoteAddress = details.remoteAddress;
        user.connectedSince = QString::fromLatin1(details.connectedSince);
        user.chats = details.chats;
        user.messagesSent = details.messagesSent;
        report.users.append(user);
    }
    node.connections = connections;
    report.nodes.append(node);
    return report;
}

} // namespace flack::server::admin
