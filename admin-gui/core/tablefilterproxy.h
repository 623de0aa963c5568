#pragma once
// Sorting and filtering for the admin tables. Sorts on SortRole (numbers as numbers). The
// filter is words that must all match, case-insensitively, as substrings: a plain word in any
// column, "column:word" in the columns whose header contains "column" ("node:n2",
// "address:10.0.", "user:ann"), so an operator can narrow thousands of users by node, name or
// address in one field. Rows keep their identity through updates (dynamic sort and filter), so
// selections survive. GUI thread.

#include <QSortFilterProxyModel>

namespace flack::admin {

class TableFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TableFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    struct Term
    {
        QList<int> columns; // empty: any column
        QString word;
    };

    QString m_text;
    QList<Term> m_terms;
};

} // namespace flack::admin
