#include "admin-gui/ui/stattile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace flack::admin {

StatTile::StatTile(const QString &caption, QWidget *parent)
    : QFrame(parent), m_caption(caption), m_value(new QLabel(QStringLiteral("–"), this)),
      m_detail(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(caption, this);
    title->setForegroundRole(QPalette::PlaceholderText);
    QFont big = m_value->font();
    // Scaled from the user's font, so the tiles grow with a large-screen or accessibility font.
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    m_value->setFont(big);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    layout->addStretch();
    setAccessibleName(caption);
}

void StatTile::setValue(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
    setAccessibleDescription(detail.isEmpty() ? value : value + QStringLiteral(", ") + detail);
}

QString StatTile::value() const
{
    return m_value->text();
}

} // namespace flack::admin
