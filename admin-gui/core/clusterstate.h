#pragma once
// What flack-admin knows of the cluster: the last snapshot with every update applied in order
// (docs/admin-protocol.md, "cluster_snapshot and cluster_update"). It turns each record into
// the changes the item models need (changed and removed rows by key), keeps the totals and the
// rate history, and answers look-ups (the user a kick is about). A new snapshot after a
// reconnect is compared with what is held, so only real differences reach the models and their
// views keep selection and scroll. Lives on the GUI thread, fed by AdminClient.

#include "admin-gui/core/clustertotals.h"
#include "admin-gui/core/ratehistory.h"
#include "shared/adminrecord.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <optional>

namespace flack::admin {

class ClusterState : public QObject
{
    Q_OBJECT

public:
    explicit ClusterState(QObject *parent = nullptr);

    void applySnapshot(const protocol::ClusterSnapshot &snapshot);
    // An update applies to whatever is held; changed rows are upserted, removals of unknown
    // keys are ignored (both keep a client that missed nothing and a fresh one consistent).
    void applyUpdate(const protocol::ClusterUpdate &update);
    // Forgets everything (a connection to another cluster).
    void clear();

    bool hasData() const { return !m_answeringNode.isEmpty(); }
    QString answeringNode() const { return m_answeringNode; }
    QString time() const { return m_time; } // of the last record, YYYY-MM-DDTHH:MM:SSZ
    const QList<protocol::NodeInfo> &nodes() const { return m_nodes; }
    const QSet<QString> &unreachable() const { return m_unreachable; }
    qsizetype chatCount() const { return m_chats.size(); }
    qsizetype userCount() const { return m_users.size(); }
    std::optional<protocol::ChatInfo> chat(const QString &name) const;
    std::optional<protocol::UserInfo> user(const QString &connectionId) const;
    ClusterTotals totals() const { return m_totals; }
    const RateHistory &history() const { return m_history; }

signals:
    // Emitted in this order for each record, each only when something changed; recordApplied()
    // always comes last, once the totals and the history include the record.
    void nodesChanged(const QList<flack::protocol::NodeInfo> &nodes,
                      const QSet<QString> &unreachable);
    void chatsChanged(const QList<flack::protocol::ChatInfo> &changed, const QStringList &removed);
    void usersChanged(const QList<flack::protocol::UserInfo> &changed, const QStringList &removed);
    void recordApplied();
    // clear() was called: every model should drop its rows.
    void cleared();

private:
    void setNodes(const QString &answeringNode, const QString &time,
                  const QList<protocol::NodeInfo> &nodes, const QStringList &unreachable);
    void finishRecord();

    QString m_answeringNode;
    QString m_time;
    QList<protocol::NodeInfo> m_nodes;
    QSet<QString> m_unreachable;
    QHash<QString, protocol::ChatInfo> m_chats;
    QHash<QString, protocol::UserInfo> m_users;
    ClusterTotals m_totals;
    RateHistory m_history;
};

} // namespace flack::admin
