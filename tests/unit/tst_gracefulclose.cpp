// gracefulclose: a connection closed after sending delivers every byte written to it even
// when the peer has sent something we never read (the case where a plain close resets the
// connection and drops the tail), ends when the peer closes too, and is reset after the
// grace period when the peer never does. Over real loopback connections.

#include "server/net/gracefulclose.h"
#include "server/net/socketbuffers.h"

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
    // A connected pair: closing (the side closed after sending) and peer.
    struct Pair
    {
        QTcpServer server;
        QTcpSocket peer;
        std::unique_ptr<QTcpSocket> closing;
    };

    static bool connectPair(Pair &pair)
    {
        if (!pair.server.listen(QHostAddress::LocalHost, 0))
            return false;
        pair.peer.connectToHost(QHostAddress::LocalHost, pair.server.serverPort());
        if (!pair.server.waitForNewConnection(5000) || !pair.peer.waitForConnected(5000))
            return false;
        pair.closing.reset(pair.server.nextPendingConnection());
        return pair.closing != nullptr;
    }

    // Bytes from the peer that reach the closing side's kernel and stay unread there (no
    // event loop has run for it since). Returns whether they arrived.
    static bool leaveUnreadInput(Pair &pair)
    {
        pair.peer.write("unread");
        if (!pair.peer.waitForBytesWritten(5000))
            return false;
        pollfd readable{int(pair.closing->socketDescriptor()), POLLIN, 0};
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
        pair.peer.setReadBufferSize(1); // the peer takes one byte, then nothing for now
        QByteArray data(kDataBytes, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char('a' + i % 23);
        pair.closing->write(data);
        closeAfterSending(pair.closing.get());
        QVERIFY(isClosingAfterSending(pair.closing.get()));
        QTRY_COMPARE_WITH_TIMEOUT(unsentBytes(pair.closing.get()), 0, kDeadlineMs);

        // More from the peer while the close is under way: read and dropped, no reset either.
        pair.peer.write("more unread");
        pair.peer.setReadBufferSize(0);
        QByteArray received;
        connect(&pair.peer, &QIODevice::readyRead, this, [&] { received += pair.peer.readAll(); });
        received += pair.peer.readAll();
        QTRY_VERIFY_WITH_TIMEOUT(pair.peer.state() != QAbstractSocket::ConnectedState ||
                                     received.size() == data.size(),
                                 kDeadlineMs);
        QCOMPARE(received.size(), data.size());
        QCOMPARE(received, data);
    }

    void endsWhenThePeerClosesToo()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        QSignalSpy closed(pair.closing.get(), &QAbstractSocket::disconnected);
        pair.closing->write("last words");
        closeAfterSending(pair.closing.get());
        QTRY_COMPARE_WITH_TIMEOUT(pair.peer.state(), QAbstractSocket::UnconnectedState,
                                  kDeadlineMs);
        QCOMPARE(pair.peer.readAll(), QByteArray("last words"));
        QCOMPARE(pair.peer.error(), QAbstractSocket::RemoteHostClosedError);
        // Seeing our end, the peer's QTcpSocket closed its side too: so does ours now.
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kDeadlineMs);
        QVERIFY(!isClosingAfterSending(pair.closing.get()));
    }

    void aPeerThatNeverClosesIsResetAfterTheGracePeriod()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        // The peer stops reading after one byte, so it never sees our end and never closes.
        pair.peer.setReadBufferSize(1);
        pair.closing->write("xy");
        QSignalSpy closed(pair.closing.get(), &QAbstractSocket::disconnected);
        QElapsedTimer waited;
        waited.start();
        closeAfterSending(pair.closing.get());
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kCloseGraceMs + kDeadlineMs);
        // Qt's coarse timers may fire up to 5% early.
        QVERIFY2(waited.elapsed() >= kCloseGraceMs * 9 / 10, "reset before the grace period");
        QVERIFY(!isClosingAfterSending(pair.closing.get()));
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
