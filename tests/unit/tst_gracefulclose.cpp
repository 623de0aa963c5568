// gracefulclose: a connection closed after sending delivers every byte written to it even
// when the peer has sent something we never read (the case where a plain close resets the
// connection and drops the tail), ends when the peer closes too, and is reset after the
// grace period when the peer never does. Over real loopback connections.

#include "server/net/gracefulclose.h"
#include "server/net/socketbuffers.h"
#include "tests/support/loopbackpair.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <poll.h>

#include <memory>

using namespace flack::server::net;

namespace {
constexpr int kDeadlineMs = 20000;

// Within what loopback's buffers hold, so all of it is in the kernel before the peer reads.
constexpr qsizetype kDataBytes = 200'000;
} // namespace

class TestGracefulClose : public QObject
{
    Q_OBJECT
private:
    // accepted is the side closed after sending, dialed its peer.
    using Pair = flack::tests::LoopbackPair;
    static bool connectPair(Pair &pair) { return pair.connect(); }

    // Bytes from the peer that reach the closing side's kernel and stay unread there (no
    // event loop has run for it since). Returns whether they arrived.
    static bool leaveUnreadInput(Pair &pair)
    {
        pair.dialed.write("unread");
        if (!pair.dialed.waitForBytesWritten(5000))
            return false;
        pollfd readable{int(pair.accepted->socketDescriptor()), POLLIN, 0};
        return ::poll(&readable, 1, 5000) == 1;
    }

private Q_SLOTS:

    // The case that lost a peer link's last frames: the peer reads only once we have handed
    // everything to the kernel, and something of its own waits unread on our side.
    void everyByteArrivesDespiteUnreadInput()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        QVERIFY(leaveUnreadInput(pair));
        pair.dialed.setReadBufferSize(1); // the peer takes one byte, then nothing for now
        QByteArray data(kDataBytes, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char('a' + i % 23);
        pair.accepted->write(data);
        closeAfterSending(pair.accepted.get());
        QVERIFY(isClosingAfterSending(pair.accepted.get()));
        QTRY_COMPARE_WITH_TIMEOUT(unsentBytes(pair.accepted.get()), 0, kDeadlineMs);

        // More from the peer while the close is under way: read and dropped, no reset either.
        pair.dialed.write("more unread");
        pair.dialed.setReadBufferSize(0);
        QByteArray received;
        connect(&pair.dialed, &QIODevice::readyRead, this,
                [&] { received += pair.dialed.readAll(); });
        received += pair.dialed.readAll();
        QTRY_VERIFY_WITH_TIMEOUT(pair.dialed.state() != QAbstractSocket::ConnectedState ||
                                     received.size() == data.size(),
                                 kDeadlineMs);
        QCOMPARE(received.size(), data.size());
        QCOMPARE(received, data);
    }

    void endsWhenThePeerClosesToo()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        QSignalSpy closed(pair.accepted.get(), &QAbstractSocket::disconnected);
        pair.accepted->write("last words");
        closeAfterSending(pair.accepted.get());
        QTRY_COMPARE_WITH_TIMEOUT(pair.dialed.state(), QAbstractSocket::UnconnectedState,
                                  kDeadlineMs);
        QCOMPARE(pair.dialed.readAll(), QByteArray("last words"));
        QCOMPARE(pair.dialed.error(), QAbstractSocket::RemoteHostClosedError);
        // Seeing our end, the peer's QTcpSocket closed its side too: so does ours now.
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kDeadlineMs);
        QVERIFY(!isClosingAfterSending(pair.accepted.get()));
    }

    void aPeerThatNeverClosesIsResetAfterTheGracePeriod()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        // The peer stops reading after one byte, so it never sees our end and never closes.
        pair.dialed.setReadBufferSize(1);
        pair.accepted->write("xy");
        QSignalSpy closed(pair.accepted.get(), &QAbstractSocket::disconnected);
        QElapsedTimer waited;
        waited.start();
        closeAfterSending(pair.accepted.get());
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kCloseGraceMs + kDeadlineMs);
        // Qt's coarse timers may fire up to 5% early.
        QVERIFY2(waited.elapsed() >= kCloseGraceMs * 9 / 10, "reset before the grace period");
        QVERIFY(!isClosingAfterSending(pair.accepted.get()));
    }

    void anUnconnectedSocketIsAbortedAndANullOneIgnored()
    {
        QTcpSocket never;
        closeAfterSending(&never);
        QCOMPARE(never.state(), QAbstractSocket::UnconnectedState);
        QVERIFY(!isClosingAfterSending(&never));
        closeAfterSending(nullptr);
        QVERIFY(!isClosingAfterSending(nullptr));
    }
};

QTEST_GUILESS_MAIN(TestGracefulClose)
#include "tst_gracefulclose.moc"
