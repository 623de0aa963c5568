#pragma once
// Protocol timestamps: UTC, RFC 3339 at second precision, exactly "YYYY-MM-DDTHH:MM:SSZ".
// The original reference client parses exactly this form and fails on fractions.

#include <QByteArray>
#include <QDateTime>
#include <QStringView>

namespace flack::protocol {

// Formats a point in time (any time spec; converted to UTC, fractions dropped).
QByteArray formatTimestamp(const QDateTime &time);

// The current time, formatted. Cached per second: rooms stamp every event with it.
QByteArray currentTimestamp();

// True when text is exactly YYYY-MM-DDTHH:MM:SSZ and names a real date and time.
bool isValidTimestamp(QStringView text);

// Parses a valid timestamp; returns an invalid QDateTime otherwise.
QDateTime parseTimestamp(QStringView text);

} // namespace flack::protocol
