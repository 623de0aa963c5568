// PassWriteFlusher: a socket written in a pass reaches the kernel when the event loop is
// about to wait, not a pass later through its write notifier; it is listed once however often
// it was written; one holding more than a chunk is left to Qt; a socket deleted meanwhile is
// skipped; one written to during the flush waits
// for the next pass. Over real loopback connections.

#include "server/net/passwriteflusher.h"
#include "tests/support/loopbackpair.h"

#include <QAbstractEventDispatcher>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using flack::server::net::PassWriteFlusher;

namespace {
constexpr int kDeadlineMs = 10000;

// accepted is the side the flusher flushes, dialed reads; mark is its PassWriteFlusher::add
// mark.
struct Pair : flack::tests::LoopbackPair
{
    quint64 mark = 0;
};

bool connectPair(Pair &pair)
{
    return pair.connect();
}
} // namespace

class TestPassWriteFlusher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theLoopAboutToWaitFlushesWhatWasWritten()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher;
        pair.accepted->write("one pass");
        flusher.add(pair.accepted.get(), &pair.mark);
        QCOMPARE(pair.accepted->bytesToWrite(), 8); // Qt alone would write it a pass later
        Q_EMIT QAbstractEventDispatcher::instance()->aboutToBlock();
        QCOMPARE(pair.accepted->bytesToWrite(), 0); // in the kernel now
        QCOMPARE(flusher.pendingCount(), 0u);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.dialed.readAll()) == "one pass", kDeadlineMs);
    }

    void aSocketIsListedOncePerPass()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher;
        for (int i = 0; i < 100; ++i) {
            pair.accepted->write("x");
            flusher.add(pair.accepted.get(), &pair.mark);
        }
        QCOMPARE(flusher.pendingCount(), 1u);
        flusher.flushAll();
        QCOMPARE(pair.accepted->bytesToWrite(), 0);
        pair.accepted->write("y");
        flusher.add(pair.accepted.get(), &pair.mark); // a new pass lists it again
        QCOMPARE(flusher.pendingCount(), 1u);
        flusher.flushAll();
        QCOMPARE(pair.accepted->bytesToWrite(), 0);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.dialed.readAll()).size() == 101, kDeadlineMs);
        QCOMPARE(got, QByteArray(100, 'x') + 'y');
    }

    // A backlog (a reader behind a flood) stays with Qt, which writes a chunk per pass, so
    // the slow-reader rule still sees it.
    void aSocketHoldingMoreThanTheBoundIsLeftToQt()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher(16);
        pair.accepted->write(QByteArray(17, 'b'));
        flusher.add(pair.accepted.get(), &pair.mark);
        flusher.flushAll();
        QCOMPARE(pair.accepted->bytesToWrite(), 17);
        QCOMPARE(flusher.pendingCount(), 0u);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.dialed.readAll()).size() == 17, kDeadlineMs);
    }

    void aSocketDeletedMeanwhileIsSkipped()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher;
        pair.accepted->write("gone");
        flusher.add(pair.accepted.get(), &pair.mark);
        pair.accepted.reset();
        flusher.flushAll();
        QCOMPARE(flusher.pendingCount(), 0u);
    }

    void aSocketWrittenDuringTheFlushWaitsForTheNextPass()
    {
        Pair first;
        Pair second;
        QVERIFY(connectPair(first));
        QVERIFY(connectPair(second));
        PassWriteFlusher flusher;
        // What a flush sets off (here: its bytesWritten) writes to another connection.
        connect(first.accepted.get(), &QIODevice::bytesWritten, this, [&] {
            second.accepted->write("next");
            flusher.add(second.accepted.get(), &second.mark);
        });
        first.accepted->write("first");
        flusher.add(first.accepted.get(), &first.mark);
        flusher.flushAll();
        QCOMPARE(first.accepted->bytesToWrite(), 0);
        QCOMPARE(flusher.pendingCount(), 1u);
        QCOMPARE(second.accepted->bytesToWrite(), 4);
        flusher.flushAll();
        QCOMPARE(second.accepted->bytesToWrite(), 0);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += second.dialed.readAll()) == "next", kDeadlineMs);
    }
};

QTEST_GUILESS_MAIN(TestPassWriteFlusher)
#include "tst_passwriteflusher.moc"
