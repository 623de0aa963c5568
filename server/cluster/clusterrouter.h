#pragma once
// The chat side of the cluster: places each chat's owner on one live node (ChatPlacement),
// gives the directory the way to it (a local ChatOwner, a RemoteOwner over the peer link, or a
// ChatRecovery while a chat is re-homed here), turns peer messages into owner and replica
// calls, and re-homes chats whenever the set of live nodes changes: members of a node that is
// gone leave, owners move to where placement now puts them, replicas tell their new owner what
// it needs and send again what the old one never acknowledged. Lives on the main thread;
// owned by ServerApplication.

#include "server/cluster/clustermessage.h"
#include "server/cluster/recentids.h"
#include "server/rooms/roomdirectory.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <memory>

namespace flack::server::cluster {

class ChatRecovery;
class PeerTransport;
class RemoteOwner;
class RemoteReplica;

class ClusterRouter : public QObject, public rooms::OwnerRouter
{
    Q_OBJECT
public:
    // recoveryWindowMs: how long a re-homed chat waits for every node's report.
    ClusterRouter(rooms::RoomDirectory *directory, PeerTransport *transport, int recoveryWindowMs,
                  QObject *parent = nullptr);
    ~ClusterRouter() override;

    QString localNode() const { return m_directory->localNode(); }
    // The nodes up now, this one included. Re-homes what the change moves.
    void setLiveNodes(const QStringList &nodes);
    QStringList liveNodes() const { return m_live; }
    // Where placement puts the chat now.
    QString ownerNode(const QString &chatName) const;

    // A cluster message from an authenticated peer node.
    void handleMessage(const QString &fromNode, quint8 type, const QByteArray &payload);

    // OwnerRouter
    rooms::OwnerLink *ownerFor(const QString &chatName) override;
    rooms::ReplicaSink *remoteReplica(const QString &node) override;

    qsizetype recoveringCount() const { return m_recoveries.size(); }

Q_SIGNALS:
    // A peer sent something that is not a valid cluster message (it is logged and ignored).
    void malformedMessage(const QString &fromNode, quint8 type);

private:
    void onJoin(const QString &from, const QByteArray &payload);
    void onLeaveOrDrop(const QString &from, const QByteArray &payload, bool leave);
    void onPost(const QString &from, const QByteArray &payload);
    void onState(const QString &from, const QByteArray &payload);
    void onEvent(const QString &from, const QByteArray &payload);
    void onRefuse(const QString &from, const QByteArray &payload);
    void onAttach(const QString &from, const QByteArray &payload);
    void onMoved(const QString &from, const QByteArray &payload);
    // "Moved" from the node our view places the chat on: re-home to it, at most once per
    // interval (see the .cpp).
    void askAgainLater(const QString &chatName, const QString &node);

    // The local owner moved elsewhere: hand our replica to the new owner and let it go.
    void moveOwnerAway(const QString &chatName);
    // Our replica's owner is gone or moved: tell the new one (or start recovering here).
    void rehomeReplica(const QString &chatName);
    ChatRecovery *recoveryFor(const QString &chatName);
    void finishRecovery(const QString &chatName);
    // A node's report for a chat already running here (a healed partition, or a late report):
    // each side learns of the other's members, once.
    void mergeAttach(rooms::ChatOwner *owner, const QString &from, const AttachRequest &attach);
    RemoteOwner *makeRemoteOwner(const QString &chatName, const QString &node);
    bool isNewPost(const QString &chatName, const QString &originId);
    std::vector<rooms::MemberInfo> localMembers(const QString &chatName) const;
    void sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload);
    void reportMalformed(const QString &from, ClusterMessageType type);

    rooms::RoomDirectory *m_directory;
    PeerTransport *m_transport;
    int m_recoveryWindowMs;
    QStringList m_live;
    QSet<QString> m_liveSet;
    QHash<QString, std::shared_ptr<RemoteOwner>> m_remoteOwners;     // by chat
    QHash<QString, std::shared_ptr<RemoteReplica>> m_remoteReplicas; // by node
    QHash<QString, std::shared_ptr<ChatRecovery>> m_recoveries;      // by chat
    QHash<QString, RecentIds> m_ownerPosts; // forwarded messages each owned chat has taken
    // While nodes report after a heal: by chat, by node, the connections that node knows.
    QHash<QString, QHash<QString, QSet<QString>>> m_mergeKnown;
    quint64 m_originCounter = 0;
    struct AskedAgain
    {
        QString node;
        bool askedMeanwhile = false; // another "moved" came within the interval
    };
    QHash<QString, AskedAgain> m_askedAgain; // by chat, while its interval runs
};

} // namespace flack::server::cluster
