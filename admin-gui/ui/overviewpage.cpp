#include "admin-gui/ui/overviewpage.h"

#include "admin-gui/core/clusterstate.h"
#include "admin-gui/core/displayformat.h"
#include "admin-gui/ui/ratechart.h"
#include "admin-gui/ui/stattile.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace flack::admin {

namespace {

enum Tile { Nodes, Links, Connections, Users, Chats, MessagesIn, Deliveries, Answering, TileCount };

} // namespace

OverviewPage::OverviewPage(ClusterState *cluster, QWidget *parent)
    : QWidget(parent), m_cluster(cluster), m_partial(new QLabel(this)),
      m_messagesChart(
          new RateChart(tr("Messages in/s (whole cluster)"), QColor(0x1f, 0x6f, 0xd1), this)),
      m_deliveriesChart(
          new RateChart(tr("Deliveries/s (whole cluster)"), QColor(0x8e, 0x44, 0xad), this))
{
    auto *layout = new QVBoxLayout(this);
    m_partial->setWordWrap(true);
    m_partial->setAutoFillBackground(true);
    QPalette warn = m_partial->palette();
    warn.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd));
    warn.setColor(QPalette::WindowText, QColor(0x66, 0x4d, 0x03));
    m_partial->setPalette(warn);
    m_partial->setMargin(6);
    m_partial->hide();
    layout->addWidget(m_partial);

    auto *grid = new QGridLayout;
    const QStringList captions{tr("Nodes"),        tr("Links"),      tr("Connections"),
                               tr("Users"),        tr("Chats"),      tr("Messages in/s"),
                               tr("Deliveries/s"), tr("Answered by")};
    for (int i = 0; i < TileCount; ++i) {
        auto *tile = new StatTile(captions[i], this);
        m_tiles.append(tile);
        grid->addWidget(tile, i / 4, i % 4);
    }
    layout->addLayout(grid);
    layout->addWidget(m_messagesChart, 1);
    layout->addWidget(m_deliveriesChart, 1);
    refresh();
}

StatTile *OverviewPage::tile(const QString &caption) const
{
    for (StatTile *tile : m_tiles) {
        if (tile->accessibleName() == caption)
            return tile;
    }
    return nullptr;
}

void OverviewPage::refresh()
{
    const ClusterTotals totals = m_cluster->totals();
    if (!m_cluster->hasData()) {
        for (StatTile *tile : std::as_const(m_tiles))
            tile->setValue(QStringLiteral("–"));
        m_messagesChart->setPoints({});
        m_deliveriesChart->setPoints({});
        m_partial->hide();
        return;
    }
    m_tiles[Nodes]->setValue(tr("%1 / %2").arg(totals.nodesUp).arg(totals.nodes), tr("up"));
    m_tiles[Links]->setValue(tr("%1 / %2").arg(totals.linksUp).arg(totals.links), tr("up"));
    m_tiles[Connections]->setValue(formatCount(totals.connections));
    m_tiles[Users]->setValue(formatCount(totals.users), tr("authenticated"));
    m_tiles[Chats]->setValue(formatCount(totals.chats));
    m_tiles[MessagesIn]->setValue(formatRate(totals.messagesInPerS),
                                  tr("out %1/s").arg(formatRate(totals.messagesOutPerS)));
    m_tiles[Deliveries]->setValue(formatRate(totals.deliveriesPerS));
    m_tiles[Answering]->setValue(m_cluster->answeringNode(),
                                 tr("at %1").arg(formatLocalTime(m_cluster->time())));

    QStringList down(m_cluster->unreachable().cbegin(), m_cluster->unreachable().cend());
    down.sort();
    m_partial->setVisible(!down.isEmpty());
    if (!down.isEmpty())
        m_partial->setText(tr("Partial view: %1 unreachable. Its chats and users are shown as "
                              "last reported (greyed); the rates leave it out.")
                               .arg(down.join(QStringLiteral(", "))));

    QList<QPointF> messages;
    QList<QPointF> deliveries;
    for (const RateHistory::Sample &sample : m_cluster->history().samples()) {
        messages.append(QPointF(double(sample.time), sample.messagesInPerS));
        deliveries.append(QPointF(double(sample.time), sample.deliveriesPerS));
    }
    m_messagesChart->setPoints(messages);
    m_deliveriesChart->setPoints(deliveries);
}

} // namespace flack::admin
