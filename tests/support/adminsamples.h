#pragma once
// Cluster views for flack-admin's tests: nodes in a full mesh, chats and users, built with the
// shared admin records so every sample is a record the strict decoder accepts.

#include "shared/adminrecord.h"

namespace flack::testing {

inline protocol::NodeInfo sampleNode(const QString &name, const QStringList &peers,
                                     double messagesInPerS = 10)
{
    protocol::NodeInfo node;
    node.name = name;
    node.incarnation = 1796161751274;
    node.address = QStringLiteral("127.0.0.1:%1").arg(9190 + name.mid(1).toInt());
    node.version = QStringLiteral("0.1.0");
    node.uptimeS = 3600;
    node.connections = 5;
    node.chatsOwned = 1;
    node.messagesInPerS = messagesInPerS;
    node.messagesOutPerS = messagesInPerS * 3;
    node.deliveriesPerS = messagesInPerS * 3;
    for (const QString &peer : peers) {
        if (peer != name)
            node.links.append({peer, protocol::LinkState::Up, 1});
    }
    return node;
}

inline protocol::UserInfo sampleUser(const QString &node, int counter, const QString &name,
                                     const QStringList &chats = {QStringLiteral("lobby")})
{
    protocol::UserInfo user;
    user.connectionId = QStringLiteral("%1/k3x9a1/%2").arg(node).arg(counter);
    user.userId = QStringLiteral("id-%1-%2").arg(node).arg(counter);
    user.userName = name;
    user.node = node;
    user.remoteAddress =
        QStringLiteral("10.0.%1.%2:5312%3").arg(node.mid(1)).arg(counter).arg(counter % 10);
    user.connectedSince =
        QStringLiteral("2026-12-01T20:59:%1Z").arg(counter % 60, 2, 10, QChar(u'0'));
    user.chats = chats;
    user.messagesSent = counter;
    return user;
}

inline protocol::ChatInfo sampleChat(const QString &name, const QString &owner, qint64 members)
{
    return {name, owner, members, 1.5, 57};
}

// n1..n3 up and fully linked, answered by n1; chats lobby (n2), dev (n1), ops (n3); the users
// Ann, Bob, Cid on n1 and Dee, Eve on n2, Fay on n3.
inline protocol::ClusterSnapshot sampleSnapshot()
{
    const QStringList names{QStringLiteral("n1"), QStringLiteral("n2"), QStringLiteral("n3")};
    protocol::ClusterSnapshot snapshot;
    snapshot.node = QStringLiteral("n1");
    snapshot.time = QStringLiteral("2026-12-01T21:00:00Z");
    for (const QString &name : names)
        snapshot.nodes.append(sampleNode(name, names));
    snapshot.chats = {sampleChat(QStringLiteral("lobby"), QStringLiteral("n2"), 6),
                      sampleChat(QStringLiteral("dev"), QStringLiteral("n1"), 2),
                      sampleChat(QStringLiteral("ops"), QStringLiteral("n3"), 1)};
    snapshot.users = {sampleUser(QStringLiteral("n1"), 1, QStringLiteral("Ann")),
                      sampleUser(QStringLiteral("n1"), 2, QStringLiteral("Bob")),
                      sampleUser(QStringLiteral("n1"), 3, QStringLiteral("Cid")),
                      sampleUser(QStringLiteral("n2"), 1, QStringLiteral("Dee")),
                      sampleUser(QStringLiteral("n2"), 2, QStringLiteral("Eve")),
                      sampleUser(QStringLiteral("n3"), 1, QStringLiteral("Fay"))};
    return snapshot;
}

} // namespace flack::testing
