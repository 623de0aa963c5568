#include "admin-gui/core/chatsmodel.h"

#include "admin-gui/core/displayformat.h"

namespace flack::admin {

ChatsModel::ChatsModel(QObject *parent) : KeyedTableModel(parent) {}

QVariant ChatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Chat");
    case Owner:
        return tr("Owner");
    case Members:
        return tr("Members");
    case MessagesPerS:
        return tr("Messages/s");
    case LastSequence:
        return tr("Last sequence");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ChatsModel::cell(const protocol::ChatInfo &chat, int column, int role) const
{
    if (role == Qt::DisplayRole) {
        switch (Column(column)) {
        case Name:
            return chat.name;
        case Owner:
            return chat.owner;
        case Members:
            return formatCount(chat.members);
        case MessagesPerS:
            return formatRate(chat.messagesPerS);
        case LastSequence:
            return formatCount(chat.lastSequence);
        case ColumnCount:
            break;
        }
    } else if (role == SortRole) {
        switch (Column(column)) {
        case Members:
            return chat.members;
        case MessagesPerS:
            return chat.messagesPerS;
        case LastSequence:
            return chat.lastSequence;
        default:
            return cell(chat, column, Qt::DisplayRole);
        }
    } else if (role == Qt::TextAlignmentRole && column >= Members) {
        return alignRight();
    }
    return {};
}

} // namespace flack::admin
