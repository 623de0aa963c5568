#pragma once
// The Chats table: one row per chat of the cluster, keyed by name, changed in place by each
// record's chats_changed and chats_removed. A chat whose owner is unreachable is greyed. GUI
// thread.

#include "admin-gui/core/keyedtablemodel.h"
#include "shared/adminrecord.h"

namespace flack::admin {

class ChatsModel : public KeyedTableModel<protocol::ChatInfo>
{
    Q_OBJECT

public:
    enum Column { Name, Owner, Members, MessagesPerS, LastSequence, ColumnCount };
    Q_ENUM(Column)

    explicit ChatsModel(QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const protocol::ChatInfo &chat) const override { return chat.name; }
    QString nodeOf(const protocol::ChatInfo &chat) const override { return chat.owner; }
    int columns() const override { return ColumnCount; }
    QVariant cell(const protocol::ChatInfo &chat, int column, int role) const override;
};

} // namespace flack::admin
