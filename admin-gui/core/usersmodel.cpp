#include "admin-gui/core/usersmodel.h"

#include "admin-gui/core/displayformat.h"

namespace flack::admin {

UsersModel::UsersModel(QObject *parent) : KeyedTableModel(parent) {}

QVariant UsersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case UserName:
        return tr("User name");
    case Node:
        return tr("Node");
    case RemoteAddress:
        return tr("Remote address");
    case ConnectedSince:
        return tr("Connected since");
    case Chats:
        return tr("Chats");
    case MessagesSent:
        return tr("Messages sent");
    case UserId:
        return tr("User id");
    case ConnectionId:
        return tr("Connection id");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UsersModel::cell(const protocol::UserInfo &user, int column, int role) const
{
    if (role == Qt::DisplayRole) {
        switch (Column(column)) {
        case UserName:
            return user.userName;
        case Node:
            return user.node;
        case RemoteAddress:
            return user.remoteAddress;
        case ConnectedSince:
            return formatLocalTime(user.connectedSince);
        case Chats:
            return user.chats.join(QStringLiteral(", "));
        case MessagesSent:
            return formatCount(user.messagesSent);
        case UserId:
            return user.userId;
        case ConnectionId:
            return user.connectionId;
        case ColumnCount:
            break;
        }
    } else if (role == SortRole) {
        switch (Column(column)) {
        case ConnectedSince:
            return user.connectedSince; // the UTC form sorts in time order
        case Chats:
            return qint64(user.chats.size());
        case MessagesSent:
            return user.messagesSent;
        default:
            return cell(user, column, Qt::DisplayRole);
        }
    } else if (role == Qt::ToolTipRole && column == ConnectedSince) {
        return user.connectedSince;
    } else if (role == Qt::TextAlignmentRole && column == MessagesSent) {
        return alignRight();
    }
    return {};
}

} // namespace flack::admin
