// PassWriteFlusher: a socket written in a pass reaches the kernel when the event loop is
// about to wait, not a pass later through its write notifier; it is listed once however often
// it was written; one holding more than a chunk is left to Qt; a socket deleted meanwhile is
// skipped; one written to during the flush waits
// for the next pass. Over real loopback connections.

#include "server/net/passwriteflusher.h"

#include <QAbstractEventDispatcher>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using flack::server::net::PassWriteFlusher;

namespace {
constexpr int kDeadlineMs = 10000;

// A connected pair: written (the side the flusher flushes) and reader.
struct Pair
{
    QTcpServer server;
    QTcpSocket reader;
    std::unique_ptr<QTcpSocket> written;
    quint64 mark = 0; // its PassWriteFlusher::add mark
};

bool connectPair(Pair &pair)
{
    if (!pair.server.listen(QHostAddress::LocalHost, 0))
        return false;
    pair.reader.connectToHost(QHostAddress::LocalHost, pair.server.serverPort());
    if (!pair.server.waitForNewConnection(5000) || !pair.reader.waitForConnected(5000))
        return false;
    pair.written.reset(pair.server.nextPendingConnection());
    return pair.written != nullptr;
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
        pair.written->write("one pass");
        flusher.add(pair.written.get(), &pair.mark);
        QCOMPARE(pair.written->bytesToWrite(), 8); // Qt alone would write it a pass later
        Q_EMIT QAbstractEventDispatcher::instance()->aboutToBlock();
        QCOMPARE(pair.written->bytesToWrite(), 0); // in the kernel now
        QCOMPARE(flusher.pendingCount(), 0u);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.reader.readAll()) == "one pass", kDeadlineMs);
    }

    void aSocketIsListedOncePerPass()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher;
        for (int i = 0; i < 100; ++i) {
            pair.written->write("x");
            flusher.add(pair.written.get(), &pair.mark);
        }
        QCOMPARE(flusher.pendingCount(), 1u);
        flusher.flushAll();
        QCOMPARE(pair.written->bytesToWrite(), 0);
        pair.written->write("y");
        flusher.add(pair.written.get(), &pair.mark); // a new pass lists it again
        QCOMPARE(flusher.pendingCount(), 1u);
        flusher.flushAll();
        QCOMPARE(pair.written->bytesToWrite(), 0);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.reader.readAll()).size() == 101, kDeadlineMs);
        QCOMPARE(got, QByteArray(100, 'x') + 'y');
    }

    // A backlog (a reader behind a flood) stays with Qt, which writes a chunk per pass, so
    // the slow-reader rule still sees it.
    void aSocketHoldingMoreThanTheBoundIsLeftToQt()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher(16);
        pair.written->write(QByteArray(17, 'b'));
        flusher.add(pair.written.get(), &pair.mark);
        flusher.flushAll();
        QCOMPARE(pair.written->bytesToWrite(), 17);
        QCOMPARE(flusher.pendingCount(), 0u);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += pair.reader.readAll()).size() == 17, kDeadlineMs);
    }

    void aSocketDeletedMeanwhileIsSkipped()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        PassWriteFlusher flusher;
        pair.written->write("gone");
        flusher.add(pair.written.get(), &pair.mark);
        pair.written.reset();
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
        connect(first.written.get(), &QIODevice::bytesWritten, this, [&] {
            second.written->write("next");
            flusher.add(second.written.get(), &second.mark);
        });
        first.written->write("first");
        flusher.add(first.written.get(), &first.mark);
        flusher.flushAll();
        QCOMPARE(first.written->bytesToWrite(), 0);
        QCOMPARE(flusher.pendingCount(), 1u);
        QCOMPARE(second.written->bytesToWrite(), 4);
        flusher.flushAll();
        QCOMPARE(second.written->bytesToWrite(), 0);
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += second.reader.readAll()) == "next", kDeadlineMs);
    }
};

QTEST_GUILESS_MAIN(TestPassWriteFlusher)
#include "tst_passwriteflusher.moc"
