#include "admin-gui/core/displayformat.h"

#include "shared/timestamp.h"

#include <QLocale>

namespace flack::admin {

QString formatRate(double perSecond)
{
    return QLocale().toString(perSecond, 'f', 1);
}

QString formatCount(qint64 count)
{
    return QLocale().toString(count);
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h %2 min")
            .arg(seconds / 3600)
            .arg(seconds % 3600 / 60, 2, 10, QChar(u'0'));
    return QStringLiteral("%1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

QString formatLocalTime(const QString &timestamp)
{
    const QDateTime time = protocol::parseTimestamp(timestamp);
    if (!time.isValid())
        return timestamp;
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString formatRtt(qint64 rttMs)
{
    return rttMs < 0 ? QStringLiteral("unknown") : QStringLiteral("%1 ms").arg(rttMs);
}

} // namespace flack::admin
