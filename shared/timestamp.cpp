#include "shared/timestamp.h"

#include <QTimeZone>

#include <chrono>
#include <cstdio>

namespace flack::protocol {

QByteArray formatTimestamp(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year(),
                                d.month(), d.day(), t.hour(), t.minute(), t.second());
    return QByteArray(buffer, n);
}

QByteArray currentTimestamp()
{
    // Every room event carries a timestamp; formatting one per event would be wasted work when
    // thousands of events share the same second. thread_local keeps it safe for worker threads.
    // The calendar is std::chrono's: POSIX's gmtime_r is missing on Windows, where the admin app
    // builds too.
    using namespace std::chrono;
    thread_local sys_seconds cachedSecond{seconds(-1)};
    thread_local QByteArray cached;
    const sys_seconds now = floor<seconds>(system_clock::now());
    if (now != cachedSecond) {
        const sys_days day = floor<days>(now);
        const year_month_day date{day};
        const hh_mm_ss time{now - day};
        char buffer[32];
        const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                                    int(date.year()), unsigned(date.month()), unsigned(date.day()),
                                    int(time.hours().count()), int(time.minutes().count()),
                                    int(time.seconds().count()));
        cached = QByteArray(buffer, n);
        cachedSecond = now;
    }
    return cached;
}

static bool digitsAt(QStringView text, qsizetype from, qsizetype count)
{
    for (qsizetype i = from; i < from + count; ++i) {
        if (text[i] < u'0' || text[i] > u'9')
            return false;
    }
    return true;
}

QDateTime parseTimestamp(QStringView text)
{
    if (text.size() != 20 || !digitsAt(text, 0, 4) || text[4] != u'-' || !digitsAt(text, 5, 2) ||
        text[7] != u'-' || !digitsAt(text, 8, 2) || text[10] != u'T' || !digitsAt(text, 11, 2) ||
        text[13] != u':' || !digitsAt(text, 14, 2) || text[16] != u':' || !digitsAt(text, 17, 2) ||
        text[19] != u'Z')
        return {};
    const auto num = [&](qsizetype from, qsizetype count) { return text.mid(from, count).toInt(); };
    const QDate date(num(0, 4), num(5, 2), num(8, 2));
    const QTime time(num(11, 2), num(14, 2), num(17, 2));
    if (!date.isValid() || !time.isValid())
        return {};
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    return QDateTime(date, time, QTimeZone::UTC);
#else
    return QDateTime(date, time, Qt::UTC);
#endif
}

bool isValidTimestamp(QStringView text)
{
    return parseTimestamp(text).isValid();
}

} // namespace flack::protocol
