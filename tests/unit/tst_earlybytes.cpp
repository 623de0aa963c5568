// EarlyBytes over a real loopback connection: what came behind an upgrade request waits
// outside the socket's buffer until replay(), and what arrives later still (the socket handed
// to another thread meanwhile, or waiting for QWebSocketServer) joins it behind, in order.

#include "server/net/earlybytes.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using flack::server::net::EarlyBytes;

namespace {
// A loopback TCP connection: the client end and the accepted one.
struct Loopback
{
    QTcpServer listener;
    QTcpSocket client;
    std::unique_ptr<QTcpSocket> server;
    bool open()
    {
        if (!listener.listen(QHostAddress::LocalHost))
            return false;
        client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        if (!listener.waitForNewConnection(5000))
            return false;
        server.reset(listener.nextPendingConnection());
        server->setParent(nullptr);
        return client.waitForConnected(5000);
    }
};
} // namespace

class TestEarlyBytes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void arrivalsAfterTheHoldWaitBehindIt()
    {
        Loopback loopback;
        QVERIFY(loopback.open());
        QTcpSocket &client = loopback.client;
        std::unique_ptr<QTcpSocket> &socket = loopback.server;
        const QByteArray header = "GET / HTTP/1.1\r\n\r\n";
        client.write(header + "first");
        QTRY_COMPARE_WITH_TIMEOUT(socket->bytesAvailable(), header.size() + 5, 5000);
        EarlyBytes::hold(socket.get(), header.size());
        QCOMPARE(socket->bytesAvailable(), header.size());
        QCOMPARE(EarlyBytes::heldSize(socket.get()), 5);
        client.write("second");
        QTRY_COMPARE_WITH_TIMEOUT(socket->bytesAvailable(), header.size() + 6, 5000);
        EarlyBytes::holdArrivals(socket.get());
        QCOMPARE(EarlyBytes::heldSize(socket.get()), 11);
        // And what comes after that, until the websocket takes over, as it arrives.
        client.write("third");
        QTRY_COMPARE_WITH_TIMEOUT(EarlyBytes::heldSize(socket.get()), 16, 5000);
        QCOMPARE(socket->bytesAvailable(), header.size());
        QCOMPARE(socket->readAll(), header); // what the handshake reads
        EarlyBytes::replay(socket.get());
        QCOMPARE(socket->readAll(), QByteArray("firstsecondthird"));
        QCOMPARE(EarlyBytes::heldSize(socket.get()), 0);
    }

    void nothingBehindTheRequestIsNothingToReplay()
    {
        Loopback loopback;
        QVERIFY(loopback.open());
        QTcpSocket &client = loopback.client;
        std::unique_ptr<QTcpSocket> &socket = loopback.server;
        client.write("HEAD");
        QTRY_COMPARE_WITH_TIMEOUT(socket->bytesAvailable(), 4, 5000);
        EarlyBytes::hold(socket.get(), 4);
        EarlyBytes::holdArrivals(socket.get());
        QCOMPARE(EarlyBytes::heldSize(socket.get()), 0);
        QCOMPARE(socket->bytesAvailable(), 4);
        EarlyBytes::replay(socket.get());
        QCOMPARE(socket->readAll(), QByteArray("HEAD"));
    }
};

QTEST_GUILESS_MAIN(TestEarlyBytes)
#include "tst_earlybytes.moc"
