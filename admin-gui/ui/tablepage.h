#pragma once
// A sortable, filterable table of one admin model: a filter field ("word", "column:word"), a
// row count, and a QTableView over a TableFilterProxy. The model changes in place, so the
// selection, the current row and the scroll position survive every update. Pages add their
// own buttons to toolRow(). GUI thread.

#include <QWidget>

class QAbstractItemModel;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QTableView;

namespace flack::admin {

class TableFilterProxy;

class TablePage : public QWidget
{
    Q_OBJECT

public:
    // stretchColumn takes the width left over (-1: the last column).
    TablePage(QAbstractItemModel *model, const QString &filterHint, int stretchColumn = -1,
              QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    TableFilterProxy *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QHBoxLayout *toolRow() const { return m_toolRow; }
    QLabel *countLabel() const { return m_count; }

    // The keys (KeyRole) of the selected rows, in view order.
    QStringList selectedKeys() const;

private:
    void updateCount();

    QAbstractItemModel *m_model;
    TableFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QHBoxLayout *m_toolRow;
    QTableView *m_view;
    bool m_sized = false;
};

} // namespace flack::admin
