// /proc/PID/stat parsing for the server's CPU and RSS, including command names with spaces
// and parentheses, and a live read of this very process.

#include "tools/core/procstat.h"

#include <QTest>

#include <unistd.h>

using flack::tools::ProcStat;

class TestProcStat : public QObject
{
    Q_OBJECT
private slots:
    void parsesFields();
    void rejectsGarbage();
    void readsOwnProcess();
};

void TestProcStat::parsesFields()
{
    // utime 150, stime 50 ticks; rss 1000 pages.
    const std::string stat =
        "1234 (flack (server) x) S 1 1234 1234 0 -1 4194304 100 0 0 0 150 50 0 0 20 0 3 0 "
        "555 123456789 1000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
    const ProcStat::Sample sample = ProcStat::parse(stat, 100, 4096);
    QVERIFY(sample.ok);
    QCOMPARE(sample.cpuSeconds, 2.0);
    QCOMPARE(sample.rssBytes, std::int64_t(1000) * 4096);
}

void TestProcStat::rejectsGarbage()
{
    QVERIFY(!ProcStat::parse("", 100, 4096).ok);
    QVERIFY(!ProcStat::parse("12 (x) S 1 2 3", 100, 4096).ok);
    QVERIFY(!ProcStat::parse("12 x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22", 100,
                             4096)
                 .ok);
}

void TestProcStat::readsOwnProcess()
{
    const ProcStat::Sample sample = ProcStat::read(int(::getpid()));
    QVERIFY(sample.ok);
    QVERIFY(sample.rssBytes > 0);
    QVERIFY(!ProcStat::read(-5).ok);
}

QTEST_GUILESS_MAIN(TestProcStat)
#include "tst_procstat.moc"
