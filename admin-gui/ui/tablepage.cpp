#include "admin-gui/ui/tablepage.h"

#include "admin-gui/core/keyedtablemodel.h"
#include "admin-gui/core/tablefilterproxy.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace flack::admin {

TablePage::TablePage(QAbstractItemModel *model, const QString &filterHint, int stretchColumn,
                     QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new TableFilterProxy(this)),
      m_filter(new QLineEdit(this)), m_count(new QLabel(this)), m_toolRow(new QHBoxLayout),
      m_view(new QTableView(this))
{
    m_proxy->setSourceModel(model);

    m_filter->setPlaceholderText(filterHint);
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setToolTip(tr("Words that must all appear in a row; \"column:word\" looks in "
                            "one column only (node:n2, address:10.0., user:ann)."));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TableFilterProxy::setFilterText);
    auto *filterLabel = new QLabel(tr("Fil&ter:"), this);
    filterLabel->setBuddy(m_filter);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false); // Tab leaves the table: keyboard users reach the buttons
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    // A table whose last column is a number gives the spare width to a name instead, so the
    // number stays next to its neighbours.
    if (stretchColumn < 0)
        m_view->horizontalHeader()->setStretchLastSection(true);
    else
        m_view->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionsMovable(true);
    m_view->horizontalHeader()->setHighlightSections(false);

    m_toolRow->addWidget(filterLabel);
    m_toolRow->addWidget(m_filter, 1);
    m_toolRow->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_toolRow);
    layout->addWidget(m_view, 1);

    // Both models: the proxy drops rows while the source is only about to remove them, so
    // the count is right only once the source has signalled too.
    for (QAbstractItemModel *counted : {static_cast<QAbstractItemModel *>(m_proxy), model}) {
        for (const auto signal :
             {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(counted, signal, this, &TablePage::updateCount);
        connect(counted, &QAbstractItemModel::modelReset, this, &TablePage::updateCount);
        connect(counted, &QAbstractItemModel::layoutChanged, this, &TablePage::updateCount);
    }
    updateCount();
}

QStringList TablePage::selectedKeys() const
{
    QList<QModelIndex> rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList keys;
    for (const QModelIndex &row : std::as_const(rows))
        keys.append(row.data(KeyRole).toString());
    return keys;
}

void TablePage::updateCount()
{
    const int shown = m_proxy->rowCount();
    const int all = m_model->rowCount();
    // No translations ship yet, so "%n row(s)" would show as written: spell the plural out.
    const QString rows = all == 1 ? tr("1 row") : tr("%1 rows").arg(all);
    m_count->setText(shown == all ? rows : tr("%1 of %2").arg(shown).arg(rows));
    // Fit the columns to the first real rows once; after that the user's widths stay.
    if (!m_sized && all > 0) {
        m_sized = true;
        m_view->resizeColumnsToContents();
    }
}

} // namespace flack::admin
