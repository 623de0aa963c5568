// socketbuffers: releasing an idle socket's write chunk keeps every byte, queued or not, and
// the socket writes on afterwards; a direct send reaches the peer without Qt's buffer and never
// passes what that buffer holds; an upgraded socket let go of by QWebSocketServer is left to
// its owner, and one whose unused forwards were dropped still sends. Over real loopback
// connections.

#include "server/net/socketbuffers.h"
#include "tests/support/loopbackpair.h"

#include <QCoreApplication>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace flack::server::net;

class TestSocketBuffers : public QObject
{
    Q_OBJECT
private:
    using Pair = flack::tests::LoopbackPair; // accepted is written to, dialed reads
    static bool connectPair(Pair &pair) { return pair.connect(); }

    // Both sockets are driven by their blocking calls (no event loop runs): the writer hands
    // its buffer to the kernel, the reader takes what arrived, until bytes came or time ran out.
    static QByteArray readExactly(QTcpSocket &writer, QTcpSocket &reader, qsizetype bytes)
    {
        QByteArray got;
        for (int round = 0; round < 1000 && got.size() < bytes; ++round) {
            if (writer.bytesToWrite() > 0)
                writer.waitForBytesWritten(100);
            if (reader.bytesAvailable() > 0 || reader.waitForReadyRead(100))
                got += reader.readAll();
        }
        return got;
    }

    // A websocket upgraded by server from client's connection, accepted by listener. Returns
    // the TCP socket (owned by listener) as a guard, null when something failed; upgraded
    // gets the websocket.
    static QPointer<QTcpSocket> upgrade(QTcpServer &listener, QWebSocketServer &server,
                                        QWebSocket &client, std::unique_ptr<QWebSocket> &upgraded)
    {
        if (!listener.listen(QHostAddress::LocalHost, 0))
            return {};
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(listener.serverPort())));
        if (!listener.waitForNewConnection(5000))
            return {};
        QPointer<QTcpSocket> tcp = listener.nextPendingConnection();
        QSignalSpy newConnection(&server, &QWebSocketServer::newConnection);
        server.handleConnection(tcp);
        if (!newConnection.wait(5000))
            return {};
        upgraded.reset(server.nextPendingConnection());
        return upgraded ? tcp : QPointer<QTcpSocket>();
    }

    // The same, then the client drops the connection and the upgraded socket has seen it.
    static QPointer<QTcpSocket> upgradeThenDrop(QTcpServer &listener, QWebSocketServer &server,
                                                std::unique_ptr<QWebSocket> &upgraded,
                                                bool releaseFromServer)
    {
        QWebSocket client;
        const QPointer<QTcpSocket> tcp = upgrade(listener, server, client, upgraded);
        if (!tcp)
            return {};
        if (releaseFromServer)
            releaseFromWebSocketServer(server, tcp);
        QSignalSpy ended(upgraded.get(), &QWebSocket::disconnected);
        client.abort();
        if (!ended.wait(5000))
            return {};
        // Whatever was to be deleted on the disconnect is deleted now.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return tcp.isNull() ? QPointer<QTcpSocket>() : tcp;
    }

private Q_SLOTS:
    // Why releaseFromWebSocketServer exists: left alone, the server deletes the socket.
    void theWebSocketServerDeletesAnUpgradedSocketItHolds()
    {
        QTcpServer listener;
        QWebSocketServer server(QStringLiteral("t"), QWebSocketServer::NonSecureMode);
        std::unique_ptr<QWebSocket> upgraded;
        upgradeThenDrop(listener, server, upgraded, false);
        QVERIFY(upgraded); // the upgrade and the drop happened
        QVERIFY(upgraded->state() == QAbstractSocket::UnconnectedState);
        QTcpSocket *left = listener.findChild<QTcpSocket *>();
        QVERIFY(left == nullptr); // deleted by the server
    }

    void anUpgradedSocketReleasedFromTheServerIsLeftToItsOwner()
    {
        QTcpServer listener;
        QWebSocketServer server(QStringLiteral("t"), QWebSocketServer::NonSecureMode);
        std::unique_ptr<QWebSocket> upgraded;
        const QPointer<QTcpSocket> tcp = upgradeThenDrop(listener, server, upgraded, true);
        QVERIFY(upgraded);
        QVERIFY(tcp); // still there: its owner frees it
        QCOMPARE(tcp->state(), QAbstractSocket::UnconnectedState);
        releaseFromWebSocketServer(server, nullptr); // harmless
    }

    // QWebSocket passes its TCP socket's bytesWritten on, unless the forwards were dropped;
    // either way the websocket still sends.
    void droppedForwardsNoLongerReachTheWebSocket_data()
    {
        QTest::addColumn<bool>("drop");
        QTest::newRow("kept") << false;
        QTest::newRow("dropped") << true;
    }

    void droppedForwardsNoLongerReachTheWebSocket()
    {
        QFETCH(bool, drop);
        QTcpServer listener;
        QWebSocketServer server(QStringLiteral("t"), QWebSocketServer::NonSecureMode);
        QWebSocket client;
        std::unique_ptr<QWebSocket> upgraded;
        const QPointer<QTcpSocket> tcp = upgrade(listener, server, client, upgraded);
        QVERIFY(tcp);
        if (drop)
            dropUnusedWebSocketForwards(*upgraded, tcp);
        QSignalSpy forwarded(upgraded.get(), &QWebSocket::bytesWritten);
        QSignalSpy written(tcp.data(), &QAbstractSocket::bytesWritten);
        QSignalSpy received(&client, &QWebSocket::textMessageReceived);
        upgraded->sendTextMessage(QStringLiteral("still sent"));
        QVERIFY(written.wait(5000));
        QCOMPARE(forwarded.count(), drop ? 0 : written.count());
        QVERIFY(received.wait(5000) || !received.isEmpty());
        QCOMPARE(received.first().first().toString(), QStringLiteral("still sent"));
        dropUnusedWebSocketForwards(*upgraded, nullptr); // harmless
    }

    void nullSocketIsNotReleased() { QVERIFY(!releaseIdleWriteBuffer(nullptr)); }

    void queuedDataIsKept()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        setSocketWriteChunkSize(pair.accepted.get(), 8 * 1024);
        const QByteArray data(20'000, 'q');
        pair.accepted->write(data);
        // Not flushed yet: the bytes wait in the chunk, which must stay.
        QCOMPARE(pair.accepted->bytesToWrite(), data.size());
        QVERIFY(!releaseIdleWriteBuffer(pair.accepted.get()));
        QCOMPARE(pair.accepted->bytesToWrite(), data.size());
        QCOMPARE(readExactly(*pair.accepted, pair.dialed, data.size()), data);
    }

    void idleBufferIsReleasedAndWritingGoesOn()
    {
        if (!socketBuffersTunable())
            QSKIP("built without Qt's private headers: nothing to release");
        Pair pair;
        QVERIFY(connectPair(pair));
        setSocketWriteChunkSize(pair.accepted.get(), 8 * 1024);
        pair.accepted->write("first");
        QVERIFY(pair.accepted->waitForBytesWritten(5000));
        QCOMPARE(pair.accepted->bytesToWrite(), 0);
        QVERIFY(releaseIdleWriteBuffer(pair.accepted.get()));
        // Releasing twice is harmless.
        QVERIFY(releaseIdleWriteBuffer(pair.accepted.get()));
        const QByteArray more(30'000, 'm');
        pair.accepted->write(more);
        QCOMPARE(readExactly(*pair.accepted, pair.dialed, 5 + more.size()),
                 QByteArray("first") + more);
    }

    void sendDirectlyHandsTheBytesToTheKernelAtOnce()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        const QByteArray data(3000, 'd');
        QCOMPARE(sendDirectly(pair.accepted.get(), data.constData(), data.size()), data.size());
        QCOMPARE(pair.accepted->bytesToWrite(), 0); // nothing waits in Qt's buffer
        QCOMPARE(readExactly(*pair.accepted, pair.dialed, data.size()), data);
    }

    void sendDirectlyNeverPassesWhatQtHolds()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        pair.accepted->write("queued first;");
        QCOMPARE(sendDirectly(pair.accepted.get(), "then", 4), 0);
        pair.accepted->write("then");
        QCOMPARE(readExactly(*pair.accepted, pair.dialed, 17), QByteArray("queued first;then"));
        // Nothing to do for a socket that isn't one, or nothing to send.
        QCOMPARE(sendDirectly(nullptr, "x", 1), 0);
        QCOMPARE(sendDirectly(pair.accepted.get(), "", 0), 0);
    }

    void sendDirectlyTakesNothingOnceTheConnectionIsClosed()
    {
        Pair pair;
        QVERIFY(connectPair(pair));
        pair.accepted->abort();
        QCOMPARE(sendDirectly(pair.accepted.get(), "late", 4), 0);
    }
};

QTEST_GUILESS_MAIN(TestSocketBuffers)
#include "tst_socketbuffers.moc"
