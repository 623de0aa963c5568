#pragma once
// The base of flack-admin's table models: rows of one protocol struct, each known by a key
// (node name, chat name, connection id), changed in place. A changed row emits dataChanged, new
// rows are inserted and gone ones removed with the begin/end calls, never a reset, so views and
// QSortFilterProxyModel keep selection, current index and scroll through every update. Rows of
// an unreachable node are shown greyed (their figures are its last report). GUI thread.

#include <QAbstractTableModel>
#include <QGuiApplication>
#include <QHash>
#include <QPalette>
#include <QSet>

#include <algorithm>
#include <functional>
#include <utility>

namespace flack::admin {

// Roles every admin model answers besides the standard ones.
enum ModelRole {
    SortRole = Qt::UserRole + 1, // the raw value (a number for numeric columns)
    KeyRole,                     // the row's key, whatever the column
    StaleRole,                   // true when the row's node is unreachable
};

template <typename T> class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : columns();
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const T &row = m_rows[index.row()];
        const bool stale = m_unreachable.contains(nodeOf(row));
        switch (role) {
        case KeyRole:
            return keyOf(row);
        case StaleRole:
            return stale;
        case Qt::ForegroundRole:
            if (stale)
                return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::ToolTipRole:
            if (stale)
                return QStringLiteral("%1 is unreachable: as last reported").arg(nodeOf(row));
            break;
        default:
            break;
        }
        return cell(row, index.column(), role);
    }

    const T &at(int row) const { return m_rows.at(row); }
    // The row of a key, or -1.
    int rowOf(const QString &key) const { return m_index.value(key, -1); }
    const QList<T> &rows() const { return m_rows; }

    // Brings the rows to exactly `rows`: missing keys removed, others updated or appended.
    void setRows(const QList<T> &rows)
    {
        QSet<QString> wanted;
        for (const T &row : rows)
            wanted.insert(keyOf(row));
        QStringList gone;
        for (const T &row : std::as_const(m_rows)) {
            if (!wanted.contains(keyOf(row)))
                gone.append(keyOf(row));
        }
        applyChanges(rows, gone);
    }

    void applyChanges(const QList<T> &changed, const QStringList &removed)
    {
        removeKeys(removed);
        upsertRows(changed);
    }

    void clearRows()
    {
        if (m_rows.isEmpty())
            return;
        beginRemoveRows({}, 0, int(m_rows.size()) - 1);
        m_rows.clear();
        m_index.clear();
        endRemoveRows();
    }

    // Rows of these nodes are shown greyed; only rows whose look changes are signalled.
    void setUnreachableNodes(const QSet<QString> &nodes)
    {
        if (nodes == m_unreachable)
            return;
        const QSet<QString> before = std::exchange(m_unreachable, nodes);
        for (int row = 0; row < int(m_rows.size()); ++row) {
            const QString node = nodeOf(m_rows[row]);
            if (before.contains(node) != m_unreachable.contains(node))
                emit dataChanged(index(row, 0), index(row, columns() - 1));
        }
    }

protected:
    virtual QString keyOf(const T &row) const = 0;
    // The node a row belongs to (for the unreachable look).
    virtual QString nodeOf(const T &row) const = 0;
    virtual int columns() const = 0;
    virtual QVariant cell(const T &row, int column, int role) const = 0;

    static QVariant alignRight() { return QVariant(Qt::AlignRight | Qt::AlignVCenter); }

private:
    void removeKeys(const QStringList &keys)
    {
        QList<int> doomed;
        for (const QString &key : keys) {
            const int row = rowOf(key);
            if (row >= 0)
                doomed.append(row);
        }
        if (doomed.isEmpty())
            return;
        // From the bottom up, one signal per run of adjacent rows, so the rows above a run keep
        // their numbers while it goes.
        std::sort(doomed.begin(), doomed.end(), std::greater<int>());
        doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());
        qsizetype i = 0;
        while (i < doomed.size()) {
            const int last = doomed[i];
            int first = last;
            while (i + 1 < doomed.size() && doomed[i + 1] == first - 1)
                first = doomed[++i];
            ++i;
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        }
        reindex();
    }

    void upsertRows(const QList<T> &rows)
    {
        QList<T> added;
        for (const T &row : rows) {
            const int at = rowOf(keyOf(row));
            if (at < 0) {
                added.append(row);
            } else if (!(m_rows[at] == row)) {
                m_rows[at] = row;
                emit dataChanged(index(at, 0), index(at, columns() - 1));
            }
        }
        if (added.isEmpty())
            return;
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const T &row : std::as_const(added)) {
            m_index.insert(keyOf(row), int(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }

    void reindex()
    {
        m_index.clear();
        for (int row = 0; row < int(m_rows.size()); ++row)
            m_index.insert(keyOf(m_rows[row]), row);
    }

    QList<T> m_rows;
    QHash<QString, int> m_index;
    QSet<QString> m_unreachable;
};

} // namespace flack::admin
