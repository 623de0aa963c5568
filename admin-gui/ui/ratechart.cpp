#include "admin-gui/ui/ratechart.h"

#include "admin-gui/core/displayformat.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace flack::admin {

namespace {

// Samples come about once a second; more than this between two means data is missing.
constexpr double kGapSeconds = 5;

QString axisLabel(double value, double step)
{
    // Whole steps need no decimals; steps below 1 (a quiet cluster) need one or two.
    const int decimals = step >= 1 ? 0 : (step >= 0.1 ? 1 : 2);
    return QLocale().toString(value, 'f', decimals);
}

} // namespace

RateChart::RateChart(const QString &title, const QColor &color, QWidget *parent)
    : QWidget(parent), m_title(title), m_color(color)
{
    setAccessibleName(title);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RateChart::setPoints(const QList<QPointF> &points)
{
    m_points = points;
    if (!m_points.isEmpty())
        setAccessibleDescription(tr("%1: %2 now").arg(m_title, formatRate(m_points.last().y())));
    update();
}

void RateChart::setWindowSeconds(int seconds)
{
    m_windowSeconds = qMax(10, seconds);
    update();
}

double RateChart::axisMaximum(double largest)
{
    if (!(largest > 1))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(largest)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (largest <= factor * magnitude * (1 + 1e-9))
            return factor * magnitude;
    }
    return 10 * magnitude;
}

QSize RateChart::sizeHint() const
{
    return {640, 240};
}

QSize RateChart::minimumSizeHint() const
{
    return {240, 120};
}

void RateChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.base());
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));

    const QFontMetrics metrics = fontMetrics();
    const int pad = metrics.height() / 2 + 2;
    QFont titleFont = font();
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(pal.color(QPalette::Text));
    const QRect titleRect(pad, pad / 2, width() - 2 * pad, metrics.height() + 4);
    painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_title);
    if (!m_points.isEmpty()) {
        painter.setPen(m_color);
        painter.drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter,
                         tr("%1 now").arg(formatRate(m_points.last().y())));
    }
    painter.setFont(font());

    const double end = m_points.isEmpty() ? 0 : m_points.last().x();
    const double start = end - m_windowSeconds;
    double largest = 0;
    for (const QPointF &point : m_points) {
        if (point.x() >= start)
            largest = std::max(largest, point.y());
    }
    const double top = axisMaximum(largest * 1.1);
    const double step = top / 4;
    int labelWidth = 0;
    for (int i = 0; i <= 4; ++i)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(axisLabel(step * i, step)));
    const QRectF plot(pad + labelWidth + 6, titleRect.bottom() + pad,
                      width() - 2 * pad - labelWidth - 6,
                      height() - titleRect.bottom() - 2 * pad - metrics.height() - 4);
    if (plot.width() < 20 || plot.height() < 20)
        return;
    const auto toX = [&](double t) {
        return plot.left() + (t - start) / m_windowSeconds * plot.width();
    };
    const auto toY = [&](double v) { return plot.bottom() - v / top * plot.height(); };

    // Grid and value labels.
    QPen grid(pal.color(QPalette::Midlight));
    grid.setStyle(Qt::DotLine);
    for (int i = 0; i <= 4; ++i) {
        const double y = toY(step * i);
        painter.setPen(i == 0 ? QPen(pal.color(QPalette::Mid)) : grid);
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRectF(pad, y - metrics.height() / 2.0, labelWidth, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, axisLabel(step * i, step));
    }
    // One vertical line a minute (every 10 s for short windows), labelled relative to now.
    const int tick = m_windowSeconds > 120 ? 60 : 10;
    for (int ago = 0; ago <= m_windowSeconds; ago += tick) {
        const double x = toX(end - ago);
        painter.setPen(grid);
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const QString label = ago == 0     ? tr("now")
                              : tick == 60 ? tr("-%1 min").arg(ago / 60)
                                           : tr("-%1 s").arg(ago);
        const int w = metrics.horizontalAdvance(label);
        const double left = std::clamp(x - w / 2.0, plot.left(), plot.right() - w);
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRectF(left, plot.bottom() + 4, w, metrics.height()), Qt::AlignCenter,
                         label);
    }

    if (m_points.isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter, tr("waiting for data"));
        return;
    }

    // The line, broken at gaps, with a light fill under each piece.
    painter.save();
    painter.setClipRect(plot.adjusted(-1, -2, 1, 1));
    QColor fill = m_color;
    fill.setAlphaF(0.15f);
    QPainterPath line;
    QPainterPath area;
    double pieceStart = 0;
    double previousX = 0;
    bool inPiece = false;
    const auto closePiece = [&] {
        if (!inPiece)
            return;
        area.lineTo(toX(previousX), plot.bottom());
        area.lineTo(toX(pieceStart), plot.bottom());
        area.closeSubpath();
        inPiece = false;
    };
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const QPointF &point = m_points[i];
        if (point.x() < start - kGapSeconds)
            continue;
        const QPointF at(toX(point.x()), toY(point.y()));
        if (inPiece && point.x() - previousX > kGapSeconds)
            closePiece();
        if (!inPiece) {
            line.moveTo(at);
            area.moveTo(at.x(), plot.bottom());
            area.lineTo(at);
            pieceStart = point.x();
            inPiece = true;
        } else {
            line.lineTo(at);
            area.lineTo(at);
        }
        previousX = point.x();
    }
    closePiece();
    painter.fillPath(area, fill);
    QPen pen(m_color, 2);
    pen.setJoinStyle(Qt::RoundJoin);
    painter.strokePath(line, pen);
    if (m_points.size() == 1) {
        // One sample is no line yet; show it as a dot so the chart isn't blank.
        painter.setBrush(m_color);
        painter.setPen(Qt::NoPen);
        painter.drawEllipse(QPointF(toX(m_points[0].x()), toY(m_points[0].y())), 3, 3);
    }
    painter.restore();
}

} // namespace flack::admin
