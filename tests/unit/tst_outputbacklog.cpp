// OutputBacklog: when unsent data makes a reader "slow" — over time, not in one busy pass.

#include "server/sessions/outputbacklog.h"

#include <QTest>

using flack::server::sessions::OutputBacklog;
using Verdict = OutputBacklog::Verdict;

class TestOutputBacklog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void underTheLimitIsFine()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(0), Verdict::Fine);
        QCOMPARE(backlog.check(1000), Verdict::Fine);
        QVERIFY(!backlog.watching());
    }

    void aBurstOverTheLimitIsWatchedNotDropped()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(1500), Verdict::Watch);
        QVERIFY(backlog.watching());
        QCOMPARE(backlog.check(1900), Verdict::Watch); // more of the same burst
        // The reader took data meanwhile: back under the limit at the review.
        QCOMPARE(backlog.review(400), Verdict::Fine);
        QVERIFY(!backlog.watching());
    }

    void aReaderThatTakesDataKeepsItsPlace()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(1900), Verdict::Watch);
        QCOMPARE(backlog.review(1700), Verdict::Watch); // shrinking: another period
        QCOMPARE(backlog.review(1200), Verdict::Watch);
        QCOMPARE(backlog.review(900), Verdict::Fine);
    }

    void aReaderThatTakesNothingGoes()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(1200), Verdict::Watch);
        QCOMPARE(backlog.review(1200), Verdict::Drop);
    }

    void aReaderFallingFurtherBehindGoes()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(1200), Verdict::Watch);
        QCOMPARE(backlog.review(1100), Verdict::Watch);
        QCOMPARE(backlog.check(1600), Verdict::Watch); // more arrived than it took
        QCOMPARE(backlog.review(1600), Verdict::Drop);
    }

    void twiceTheLimitGoesAtOnce()
    {
        OutputBacklog backlog(1000);
        QCOMPARE(backlog.check(2000), Verdict::Watch);
        QCOMPARE(backlog.check(2001), Verdict::Drop);
    }

    void aChatStateIsAllowedOnTop()
    {
        OutputBacklog backlog(1000);
        backlog.allowState(5000);
        QCOMPARE(backlog.hardLimit(), 7000);
        QCOMPARE(backlog.check(5200), Verdict::Watch);
        QCOMPARE(backlog.review(3000), Verdict::Watch); // the joiner reads it
        QCOMPARE(backlog.review(800), Verdict::Fine);
        // Once drained, the allowance is gone.
        QCOMPARE(backlog.hardLimit(), 2000);
        QCOMPARE(backlog.check(2500), Verdict::Drop);
    }

    void aJoinerThatNeverReadsItsStateGoesAfterAGracePeriod()
    {
        OutputBacklog backlog(1000);
        backlog.allowState(5000);
        QCOMPARE(backlog.check(5000), Verdict::Watch);
        QCOMPARE(backlog.review(5000), Verdict::Drop);
    }
};

QTEST_GUILESS_MAIN(TestOutputBacklog)
#include "tst_outputbacklog.moc"
