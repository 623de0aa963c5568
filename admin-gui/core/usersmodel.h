#pragma once
// The Users table: one row per authenticated connection of the cluster, keyed by connection
// id, changed in place by each record's users_changed and users_removed. Users of an
// unreachable node are greyed. GUI thread.

#include "admin-gui/core/keyedtablemodel.h"
#include "shared/adminrecord.h"

namespace flack::admin {

class UsersModel : public KeyedTableModel<protocol::UserInfo>
{
    Q_OBJECT

public:
    enum Column {
        UserName,
        Node,
        RemoteAddress,
        ConnectedSince,
        Chats,
        MessagesSent,
        UserId,
        ConnectionId,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit UsersModel(QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const protocol::UserInfo &user) const override { return user.connectionId; }
    QString nodeOf(const protocol::UserInfo &user) const override { return user.node; }
    int columns() const override { return ColumnCount; }
    QVariant cell(const protocol::UserInfo &user, int column, int role) const override;
};

} // namespace flack::admin
