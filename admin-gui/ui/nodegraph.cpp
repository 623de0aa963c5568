#include "admin-gui/ui/nodegraph.h"

#include "admin-gui/core/displayformat.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace flack::admin {

using protocol::LinkState;
using protocol::NodeInfo;
using protocol::NodeStatus;

namespace {

QColor healthColor(NodePair::Health health)
{
    switch (health) {
    case NodePair::Health::Up:
        return QColor(0x2e, 0x9d, 0x4f);
    case NodePair::Health::HalfOpen:
        return QColor(0xe0, 0x8e, 0x0b);
    case NodePair::Health::Down:
        return QColor(0xd0, 0x3a, 0x2f);
    case NodePair::Health::Missing:
        break;
    }
    return QColor(0x8a, 0x8a, 0x8a);
}

QString healthName(NodePair::Health health)
{
    switch (health) {
    case NodePair::Health::Up:
        return NodeGraph::tr("up");
    case NodePair::Health::HalfOpen:
        return NodeGraph::tr("half-open");
    case NodePair::Health::Down:
        return NodeGraph::tr("down");
    case NodePair::Health::Missing:
        break;
    }
    return NodeGraph::tr("no link");
}

QString sideText(const QString &from, const QString &to,
                 const std::optional<protocol::LinkInfo> &link)
{
    if (!link)
        return NodeGraph::tr("%1 → %2: not reported").arg(from, to);
    if (link->state == LinkState::Down)
        return NodeGraph::tr("%1 → %2: down").arg(from, to);
    return NodeGraph::tr("%1 → %2: up, %3").arg(from, to, formatRtt(link->rttMs));
}

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t =
        length2 <= 0 ? 0 : std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0);
    const QPointF nearest = a + t * ab;
    return std::hypot(p.x() - nearest.x(), p.y() - nearest.y());
}

} // namespace

NodeGraph::NodeGraph(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Cluster nodes and links"));
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void NodeGraph::setNodes(const QList<NodeInfo> &nodes, const QString &answeringNode)
{
    m_nodes = nodes;
    std::sort(m_nodes.begin(), m_nodes.end(),
              [](const NodeInfo &a, const NodeInfo &b) { return a.name < b.name; });
    m_pairs = nodePairs(m_nodes);
    m_answeringNode = answeringNode;
    int up = 0;
    for (const NodePair &pair : std::as_const(m_pairs))
        up += pair.health() == NodePair::Health::Up ? 1 : 0;
    setAccessibleDescription(
        tr("%1 nodes, %2 of %3 links up").arg(m_nodes.size()).arg(up).arg(m_pairs.size()));
    update();
}

QSize NodeGraph::sizeHint() const
{
    return {640, 360};
}

QSize NodeGraph::minimumSizeHint() const
{
    return {260, 200};
}

double NodeGraph::nodeRadius() const
{
    const double byCount = m_nodes.size() > 6 ? 26 : 38;
    return std::min(byCount, std::min(width(), height()) / 6.0);
}

QHash<QString, QPointF> NodeGraph::nodeCentres() const
{
    QHash<QString, QPointF> centres;
    const qsizetype count = m_nodes.size();
    const QPointF centre(width() / 2.0, height() / 2.0);
    const double r = nodeRadius();
    // Room for the labels under each node.
    const double ring = std::max(
        0.0, std::min(width() / 2.0 - r * 2.2, height() / 2.0 - r - fontMetrics().height() * 2.5));
    for (qsizetype i = 0; i < count; ++i) {
        if (count == 1) {
            centres.insert(m_nodes[i].name, centre);
            continue;
        }
        // Start at the top (or at the left for two, so a pair sits side by side).
        const double startAngle = count == 2 ? std::numbers::pi : -std::numbers::pi / 2;
        const double angle = startAngle + 2 * std::numbers::pi * double(i) / double(count);
        centres.insert(m_nodes[i].name,
                       centre + QPointF(std::cos(angle) * ring, std::sin(angle) * ring));
    }
    return centres;
}

void NodeGraph::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.base());
    if (m_nodes.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("no nodes yet"));
        return;
    }
    const QHash<QString, QPointF> centres = nodeCentres();
    const double r = nodeRadius();
    const QFontMetrics metrics = fontMetrics();

    // Links first, under the nodes.
    for (const NodePair &pair : std::as_const(m_pairs)) {
        const QPointF a = centres.value(pair.first);
        const QPointF b = centres.value(pair.second);
        const NodePair::Health health = pair.health();
        QPen pen(healthColor(health), health == NodePair::Health::Up ? 3 : 2);
        if (health == NodePair::Health::Missing || health == NodePair::Health::Down)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.drawLine(a, b);
        const QString label =
            health == NodePair::Health::Up ? formatRtt(pair.rttMs()) : healthName(health);
        const QPointF middle = (a + b) / 2;
        QRectF box(0, 0, metrics.horizontalAdvance(label) + 8, metrics.height() + 2);
        box.moveCenter(middle);
        painter.setPen(Qt::NoPen);
        painter.setBrush(pal.base());
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(healthColor(health));
        painter.drawText(box, Qt::AlignCenter, label);
    }

    QFont bold = font();
    bold.setBold(true);
    for (const NodeInfo &node : std::as_const(m_nodes)) {
        const QPointF c = centres.value(node.name);
        const bool up = node.status == NodeStatus::Up;
        const QColor fill = up ? QColor(0xe6, 0xf4, 0xea) : QColor(0xee, 0xee, 0xee);
        const QColor edge = up ? QColor(0x2e, 0x9d, 0x4f) : QColor(0x8a, 0x8a, 0x8a);
        if (node.name == m_answeringNode) {
            painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(c, r + 5, r + 5);
        }
        QPen outline(edge, 2);
        if (!up)
            outline.setStyle(Qt::DashLine);
        painter.setPen(outline);
        painter.setBrush(fill);
        painter.drawEllipse(c, r, r);
        painter.setFont(bold);
        painter.setPen(QColor(0x20, 0x20, 0x20));
        const QRectF inner(c.x() - r, c.y() - r, 2 * r, 2 * r);
        painter.drawText(inner, Qt::AlignCenter,
                         metrics.elidedText(node.name, Qt::ElideMiddle, int(2 * r - 6)));
        painter.setFont(font());
        painter.setPen(up ? pal.color(QPalette::Text) : pal.color(QPalette::PlaceholderText));
        const QString figures =
            up ? tr("%1 conn · %2 msg/s")
                     .arg(formatCount(node.connections), formatRate(node.messagesInPerS))
               : tr("unreachable");
        const QRectF below(c.x() - 110, c.y() + r + 4, 220, metrics.height() + 2);
        painter.drawText(below, Qt::AlignHCenter | Qt::AlignTop, figures);
    }

    // Legend, bottom left.
    int x = 8;
    const int y = height() - metrics.height() - 6;
    for (const NodePair::Health health : {NodePair::Health::Up, NodePair::Health::HalfOpen,
                                          NodePair::Health::Down, NodePair::Health::Missing}) {
        QPen pen(healthColor(health), 3);
        if (health == NodePair::Health::Down || health == NodePair::Health::Missing)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        const int lineY = y + metrics.height() / 2;
        painter.drawLine(x, lineY, x + 18, lineY);
        painter.setPen(pal.color(QPalette::Text));
        const QString name = healthName(health);
        painter.drawText(QRect(x + 22, y, metrics.horizontalAdvance(name) + 2, metrics.height()),
                         Qt::AlignVCenter, name);
        x += 22 + metrics.horizontalAdvance(name) + 16;
    }
    if (!m_answeringNode.isEmpty()) {
        const int size = metrics.height() - 2;
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(QRect(x, y + 1, size, size));
        painter.setPen(pal.color(QPalette::Text));
        const QString name = tr("answering node");
        painter.drawText(
            QRect(x + size + 6, y, metrics.horizontalAdvance(name) + 2, metrics.height()),
            Qt::AlignVCenter, name);
    }
}

bool NodeGraph::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

QString NodeGraph::toolTipAt(const QPointF &position) const
{
    const QHash<QString, QPointF> centres = nodeCentres();
    const double r = nodeRadius();
    for (const NodeInfo &node : m_nodes) {
        const QPointF c = centres.value(node.name);
        if (std::hypot(position.x() - c.x(), position.y() - c.y()) <= r) {
            return tr("%1 (%2)\n%3, version %4, up %5\n%6 connections, %7 chats owned\n"
                      "%8 messages in/s, %9 deliveries/s")
                .arg(node.name, node.address,
                     node.status == NodeStatus::Up ? tr("up") : tr("unreachable"), node.version,
                     formatDuration(node.uptimeS), formatCount(node.connections),
                     formatCount(node.chatsOwned), formatRate(node.messagesInPerS),
                     formatRate(node.deliveriesPerS));
        }
    }
    for (const NodePair &pair : m_pairs) {
        if (distanceToSegment(position, centres.value(pair.first), centres.value(pair.second)) <=
            5) {
            return tr("link %1 – %2: %3\n")
                       .arg(pair.first, pair.second, healthName(pair.health())) +
                   sideText(pair.first, pair.second, pair.fromFirst) + u'\n' +
                   sideText(pair.second, pair.first, pair.fromSecond);
        }
    }
    return {};
}

} // namespace flack::admin
