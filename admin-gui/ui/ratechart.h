#pragma once
// A live line chart of one rate over the last minutes, drawn with QPainter (Qt Charts 6.4 is
// GPL-only, so it isn't linked). Points are (server time in seconds, value); the right edge is
// the newest point, a gap of more than a few seconds (a lost connection) breaks the line
// rather than drawing a slope across it. GUI thread.

#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

namespace flack::admin {

class RateChart : public QWidget
{
    Q_OBJECT

public:
    explicit RateChart(const QString &title, const QColor &color, QWidget *parent = nullptr);

    void setPoints(const QList<QPointF> &points);
    const QList<QPointF> &points() const { return m_points; }
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }

    // The top of the value axis for a largest value: 1, 2 or 5 times a power of ten, at least 1.
    static double axisMaximum(double largest);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_title;
    QColor m_color;
    QList<QPointF> m_points;
    int m_windowSeconds = 300;
};

} // namespace flack::admin
