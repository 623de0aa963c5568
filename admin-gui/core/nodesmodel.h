#pragma once
// The Nodes table: one row per node of the cluster, replaced in full by each record (the
// protocol always lists every node) but changed in place row by row. GUI thread.

#include "admin-gui/core/keyedtablemodel.h"
#include "shared/adminrecord.h"

namespace flack::admin {

class NodesModel : public KeyedTableModel<protocol::NodeInfo>
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Status,
        Address,
        Version,
        Uptime,
        Connections,
        ChatsOwned,
        MessagesIn,
        MessagesOut,
        Deliveries,
        Links,
        Started,
        ColumnCount
    };
    Q_ENUM(Column)

    explicit NodesModel(QObject *parent = nullptr);

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const protocol::NodeInfo &node) const override { return node.name; }
    QString nodeOf(const protocol::NodeInfo &node) const override { return node.name; }
    int columns() const override { return ColumnCount; }
    QVariant cell(const protocol::NodeInfo &node, int column, int role) const override;
};

} // namespace flack::admin
