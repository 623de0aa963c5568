#include "admin-gui/core/tablefilterproxy.h"

#include "admin-gui/core/keyedtablemodel.h"

namespace flack::admin {

namespace {

// "Remote address" -> "remoteaddress": what a "column:" prefix is matched against.
QString compactHeader(const QAbstractItemModel *model, int column)
{
    QString header = model->headerData(column, Qt::Horizontal).toString().toLower();
    header.remove(u' ');
    return header;
}

} // namespace

TableFilterProxy::TableFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Not locale-aware: that ignores the case setting and, under the C locale, puts every
    // capitalised name first. Node, chat and user names sort alike everywhere this way.
    setDynamicSortFilter(true);
}

void TableFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_terms.clear();
    const QAbstractItemModel *model = sourceModel();
    for (const QString &part : text.split(u' ', Qt::SkipEmptyParts)) {
        Term term;
        const qsizetype colon = part.indexOf(u':');
        if (colon > 0 && model) {
            const QString key = part.left(colon).toLower();
            for (int column = 0; column < model->columnCount(); ++column) {
                if (compactHeader(model, column).contains(key))
                    term.columns.append(column);
            }
            // An unknown column name is an ordinary word, so "12:30" still finds a time.
            term.word = term.columns.isEmpty() ? part : part.mid(colon + 1);
        } else {
            term.word = part;
        }
        if (!term.word.isEmpty())
            m_terms.append(term);
    }
    invalidateFilter();
}

bool TableFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    for (const Term &term : m_terms) {
        bool found = false;
        const int columns = model->columnCount(sourceParent);
        for (int column = 0; column < columns && !found; ++column) {
            if (!term.columns.isEmpty() && !term.columns.contains(column))
                continue;
            const QString text = model->index(sourceRow, column, sourceParent).data().toString();
            found = text.contains(term.word, Qt::CaseInsensitive);
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace flack::admin
