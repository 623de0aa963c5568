// Timestamps must be exactly YYYY-MM-DDTHH:MM:SSZ in UTC (docs/protocol.md): the original reference
// client parses only that form and fails on fractions or offsets, so both the formatter and the
// validator are pinned down character by character.

#include "shared/timestamp.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace flack::protocol;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc());
}

QDateTime withOffset(int y, int mo, int d, int h, int mi, int s, int offsetSeconds, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone(offsetSeconds));
}

// The protocol's shape, written independently of the code under test.
const QRegularExpression &shape()
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    return re;
}

} // namespace

class TestTimestamp : public QObject
{
    Q_OBJECT

private slots:
    void formatKnownDates_data()
    {
        QTest::addColumn<QDateTime>("time");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("epoch") << utc(1970, 1, 1, 0, 0, 0) << QByteArray("1970-01-01T00:00:00Z");
        QTest::newRow("from secs since epoch")
            << QDateTime::fromSecsSinceEpoch(1700000000, QTimeZone::utc())
            << QByteArray("2023-11-14T22:13:20Z");
        QTest::newRow("single digits are zero-padded")
            << utc(2001, 2, 3, 4, 5, 6) << QByteArray("2001-02-03T04:05:06Z");
        QTest::newRow("leap day") << utc(2024, 2, 29, 12, 0, 0)
                                  << QByteArray("2024-02-29T12:00:00Z");
        QTest::newRow("last second of the year")
            << utc(1999, 12, 31, 23, 59, 59) << QByteArray("1999-12-31T23:59:59Z");
        QTest::newRow("year below 1000 is zero-padded")
            << utc(999, 5, 6, 7, 8, 9) << QByteArray("0999-05-06T07:08:09Z");
        // Fractions are dropped (truncated), never rounded up into the next second.
        QTest::newRow("milliseconds dropped")
            << utc(2024, 3, 1, 10, 20, 30, 999) << QByteArray("2024-03-01T10:20:30Z");
        QTest::newRow("fraction at year end not rounded")
            << utc(2023, 12, 31, 23, 59, 59, 999) << QByteArray("2023-12-31T23:59:59Z");
        QTest::newRow("one millisecond dropped")
            << utc(2024, 3, 1, 10, 20, 30, 1) << QByteArray("2024-03-01T10:20:30Z");
        // Non-UTC input is converted to UTC.
        QTest::newRow("+02:00 crosses into the previous day and year")
            << withOffset(2024, 1, 1, 1, 30, 0, 2 * 3600) << QByteArray("2023-12-31T23:30:00Z");
        QTest::newRow("-05:00 crosses into the next day")
            << withOffset(2024, 2, 28, 22, 15, 45, -5 * 3600) << QByteArray("2024-02-29T03:15:45Z");
        QTest::newRow("+05:30 half-hour offset")
            << withOffset(2024, 6, 15, 12, 0, 0, 5 * 3600 + 30 * 60)
            << QByteArray("2024-06-15T06:30:00Z");
        QTest::newRow("+01:00 with fraction")
            << withOffset(2024, 6, 15, 12, 0, 0, 3600, 500) << QByteArray("2024-06-15T11:00:00Z");
        // A named zone with daylight saving time: 2024-07-01 in Berlin is UTC+2.
        QTest::newRow("Europe/Berlin summer")
            << QDateTime(QDate(2024, 7, 1), QTime(9, 0, 0), QTimeZone("Europe/Berlin"))
            << QByteArray("2024-07-01T07:00:00Z");
        QTest::newRow("Europe/Berlin winter")
            << QDateTime(QDate(2024, 1, 1), QTime(9, 0, 0), QTimeZone("Europe/Berlin"))
            << QByteArray("2024-01-01T08:00:00Z");
    }

    void formatKnownDates()
    {
        QFETCH(QDateTime, time);
        QFETCH(QByteArray, expected);
        QVERIFY(time.isValid());
        const QByteArray formatted = formatTimestamp(time);
        QCOMPARE(formatted, expected);
        QVERIFY(isValidTimestamp(QString::fromLatin1(formatted)));
    }

    void formatLocalTimeConvertsToUtc()
    {
        // Whatever the machine's zone, a local time formats as the same instant in UTC.
        const QDateTime instant = utc(2022, 8, 9, 10, 11, 12);
        QCOMPARE(formatTimestamp(instant.toLocalTime()), QByteArray("2022-08-09T10:11:12Z"));
    }

    void formatParseRoundTrip()
    {
        const QDateTime time = utc(2030, 10, 20, 1, 2, 3);
        const QDateTime parsed = parseTimestamp(QString::fromLatin1(formatTimestamp(time)));
        QVERIFY(parsed.isValid());
        QCOMPARE(parsed, time);
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
    }

    void currentTimestampShape()
    {
        // Bracket the call with the clock, truncated to seconds as the protocol requires.
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const QByteArray now = currentTimestamp();
        const qint64 after = QDateTime::currentSecsSinceEpoch();

        QCOMPARE(now.size(), 20);
        QVERIFY2(shape().match(QString::fromLatin1(now)).hasMatch(), now.constData());
        QVERIFY2(isValidTimestamp(QString::fromLatin1(now)), now.constData());
        const QDateTime parsed = parseTimestamp(QString::fromLatin1(now));
        QVERIFY(parsed.isValid());
        QVERIFY2(parsed.toSecsSinceEpoch() >= before && parsed.toSecsSinceEpoch() <= after,
                 now.constData());
    }

    void currentTimestampAdvances()
    {
        // The per-second cache must not freeze the clock: wait past a second boundary.
        const QByteArray first = currentTimestamp();
        QTest::qSleep(1100);
        const QByteArray second = currentTimestamp();
        QVERIFY2(second > first, (first + " then " + second).constData());
    }

    void validation_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("valid") << QStringLiteral("2024-05-17T13:45:09Z") << true;
        QTest::newRow("epoch") << QStringLiteral("1970-01-01T00:00:00Z") << true;
        QTest::newRow("end of day") << QStringLiteral("2024-12-31T23:59:59Z") << true;
        QTest::newRow("Feb 29 leap year") << QStringLiteral("2024-02-29T00:00:00Z") << true;
        QTest::newRow("Feb 29 year 2000") << QStringLiteral("2000-02-29T00:00:00Z") << true;
        QTest::newRow("Feb 29 non-leap year") << QStringLiteral("2023-02-29T00:00:00Z") << false;
        QTest::newRow("Feb 29 year 1900") << QStringLiteral("1900-02-29T00:00:00Z") << false;
        QTest::newRow("Feb 30") << QStringLiteral("2024-02-30T00:00:00Z") << false;
        QTest::newRow("Apr 31") << QStringLiteral("2024-04-31T00:00:00Z") << false;
        QTest::newRow("fraction .5") << QStringLiteral("2024-05-17T13:45:09.5Z") << false;
        QTest::newRow("fraction .000") << QStringLiteral("2024-05-17T13:45:09.000Z") << false;
        QTest::newRow("lowercase z") << QStringLiteral("2024-05-17T13:45:09z") << false;
        QTest::newRow("lowercase t") << QStringLiteral("2024-05-17t13:45:09Z") << false;
        QTest::newRow("offset +00:00") << QStringLiteral("2024-05-17T13:45:09+00:00") << false;
        QTest::newRow("offset -00:00") << QStringLiteral("2024-05-17T13:45:09-00:00") << false;
        QTest::newRow("offset +02:00") << QStringLiteral("2024-05-17T13:45:09+02:00") << false;
        QTest::newRow("missing Z") << QStringLiteral("2024-05-17T13:45:09") << false;
        QTest::newRow("space instead of T") << QStringLiteral("2024-05-17 13:45:09Z") << false;
        QTest::newRow("month 00") << QStringLiteral("2024-00-17T13:45:09Z") << false;
        QTest::newRow("month 13") << QStringLiteral("2024-13-17T13:45:09Z") << false;
        QTest::newRow("day 00") << QStringLiteral("2024-05-00T13:45:09Z") << false;
        QTest::newRow("day 32") << QStringLiteral("2024-01-32T13:45:09Z") << false;
        QTest::newRow("hour 24") << QStringLiteral("2024-05-17T24:00:00Z") << false;
        QTest::newRow("minute 60") << QStringLiteral("2024-05-17T13:60:09Z") << false;
        QTest::newRow("second 60") << QStringLiteral("2024-05-17T13:45:60Z") << false;
        QTest::newRow("extra char after Z") << QStringLiteral("2024-05-17T13:45:09Zx") << false;
        QTest::newRow("trailing space") << QStringLiteral("2024-05-17T13:45:09Z ") << false;
        QTest::newRow("leading space") << QStringLiteral(" 2024-05-17T13:45:09Z") << false;
        QTest::newRow("trailing newline") << QStringLiteral("2024-05-17T13:45:09Z\n") << false;
        QTest::newRow("double Z") << QStringLiteral("2024-05-17T13:45:09ZZ") << false;
        QTest::newRow("five-digit year") << QStringLiteral("12024-05-17T13:45:09Z") << false;
        QTest::newRow("single-digit month") << QStringLiteral("2024-5-17T13:45:09Z") << false;
        QTest::newRow("no seconds") << QStringLiteral("2024-05-17T13:45Z") << false;
        QTest::newRow("sign in field") << QStringLiteral("2024-+5-17T13:45:09Z") << false;
        QTest::newRow("letter in year") << QStringLiteral("20x4-05-17T13:45:09Z") << false;
        QTest::newRow("slashes") << QStringLiteral("2024/05/17T13:45:09Z") << false;
        // Digits outside ASCII must not be taken for 0-9.
        QTest::newRow("arabic-indic digit")
            << (QStringLiteral("2024-05-1") + QChar(0x0667) + QStringLiteral("T13:45:09Z"))
            << false;
        QTest::newRow("fullwidth digit")
            << (QStringLiteral("2024-05-1") + QChar(0xFF17) + QStringLiteral("T13:45:09Z"))
            << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("date only") << QStringLiteral("2024-05-17") << false;
    }

    void validation()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(flack::protocol::isValidTimestamp(text), valid);
        QCOMPARE(parseTimestamp(text).isValid(), valid);
    }

    void parseTimestampValues()
    {
        const QDateTime parsed = parseTimestamp(QStringLiteral("2024-02-29T23:58:07Z"));
        QVERIFY(parsed.isValid());
        QCOMPARE(parsed.timeSpec(), Qt::UTC);
        QCOMPARE(parsed.date(), QDate(2024, 2, 29));
        QCOMPARE(parsed.time(), QTime(23, 58, 7));
        QCOMPARE(parsed, utc(2024, 2, 29, 23, 58, 7));
    }
};

QTEST_APPLESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
