#pragma once
// One figure of the Overview tab: a caption and a large value, with an optional detail line.
// GUI thread.

#include <QFrame>

class QLabel;

namespace flack::admin {

class StatTile : public QFrame
{
    Q_OBJECT

public:
    explicit StatTile(const QString &caption, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &detail = {});
    QString value() const;

private:
    QString m_caption;
    QLabel *m_value;
    QLabel *m_detail;
};

} // namespace flack::admin
