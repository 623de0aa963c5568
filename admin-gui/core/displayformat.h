#pragma once
// How flack-admin writes figures: rates, durations, times and byte limits, in the user's
// locale. Pure functions, shared by the models and the widgets.

#include <QString>

namespace flack::admin {

// "1,840.5" (one decimal, grouped).
QString formatRate(double perSecond);
// "42", "12,345".
QString formatCount(qint64 count);
// "45 s", "12 min", "3 h 05 min", "2 d 4 h".
QString formatDuration(qint64 seconds);
// A protocol timestamp (UTC) as local date and time, "2026-12-01 22:00:00"; the input as is
// when it isn't one.
QString formatLocalTime(const QString &timestamp);
// "1 ms", "unknown" for -1.
QString formatRtt(qint64 rttMs);

} // namespace flack::admin
