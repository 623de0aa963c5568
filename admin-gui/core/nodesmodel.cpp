#include "admin-gui/core/nodesmodel.h"

#include "admin-gui/core/displayformat.h"

#include <QDateTime>

namespace flack::admin {

using protocol::LinkState;
using protocol::NodeInfo;
using protocol::NodeStatus;

namespace {

int linksUp(const NodeInfo &node)
{
    int up = 0;
    for (const protocol::LinkInfo &link : node.links)
        up += link.state == LinkState::Up ? 1 : 0;
    return up;
}

QString linksText(const NodeInfo &node)
{
    QStringList parts;
    for (const protocol::LinkInfo &link : node.links) {
        parts.append(link.state == LinkState::Up
                         ? QStringLiteral("%1 %2").arg(link.node, formatRtt(link.rttMs))
                         : QStringLiteral("%1 down").arg(link.node));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

NodesModel::NodesModel(QObject *parent) : KeyedTableModel(parent) {}

QVariant NodesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Node");
    case Status:
        return tr("Status");
    case Address:
        return tr("Address");
    case Version:
        return tr("Version");
    case Uptime:
        return tr("Uptime");
    case Connections:
        return tr("Connections");
    case ChatsOwned:
        return tr("Chats owned");
    case MessagesIn:
        return tr("Messages in/s");
    case MessagesOut:
        return tr("Messages out/s");
    case Deliveries:
        return tr("Deliveries/s");
    case Links:
        return tr("Links");
    case Started:
        return tr("Started");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant NodesModel::cell(const NodeInfo &node, int column, int role) const
{
    const bool up = node.status == NodeStatus::Up;
    if (role == Qt::DisplayRole) {
        switch (Column(column)) {
        case Name:
            return node.name;
        case Status:
            return up ? tr("up") : tr("unreachable");
        case Address:
            return node.address;
        case Version:
            return node.version;
        case Uptime:
            return formatDuration(node.uptimeS);
        case Connections:
            return formatCount(node.connections);
        case ChatsOwned:
            return formatCount(node.chatsOwned);
        case MessagesIn:
            return formatRate(node.messagesInPerS);
        case MessagesOut:
            return formatRate(node.messagesOutPerS);
        case Deliveries:
            return formatRate(node.deliveriesPerS);
        case Links:
            return tr("%1/%2 up").arg(linksUp(node)).arg(node.links.size());
        case Started:
            return QDateTime::fromMSecsSinceEpoch(node.incarnation)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ColumnCount:
            break;
        }
    } else if (role == SortRole) {
        switch (Column(column)) {
        case Uptime:
            return node.uptimeS;
        case Connections:
            return node.connections;
        case ChatsOwned:
            return node.chatsOwned;
        case MessagesIn:
            return node.messagesInPerS;
        case MessagesOut:
            return node.messagesOutPerS;
        case Deliveries:
            return node.deliveriesPerS;
        case Links:
            return linksUp(node);
        case Started:
            return node.incarnation;
        default:
            return cell(node, column, Qt::DisplayRole);
        }
    } else if (role == Qt::ToolTipRole && column == Links && !node.links.isEmpty()) {
        return linksText(node);
    } else if (role == Qt::TextAlignmentRole) {
        if (column >= Uptime && column <= Deliveries)
            return alignRight();
    }
    return {};
}

} // namespace flack::admin
