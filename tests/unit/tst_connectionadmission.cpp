// ConnectionAdmission with sockets on real loopback connections: counts per address until the
// socket is gone, the pending pool and its eviction, and a socket handed to another thread
// (a worker's): its end there is counted, and evicting it resets it on its own thread.

#include "server/net/connectionadmission.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

using flack::server::net::ConnectionAdmission;

namespace {

constexpr int kDeadlineMs = 10000;

// A client socket and the server's end of it.
struct Connection
{
    std::unique_ptr<QTcpSocket> client;
    QTcpSocket *server = nullptr; // no parent: the test decides where it lives and goes
};

Connection connectTo(QTcpServer &listener)
{
    Connection connection;
    connection.client = std::make_unique<QTcpSocket>();
    connection.client->connectToHost(QHostAddress::LocalHost, listener.serverPort());
    if (!listener.waitForNewConnection(kDeadlineMs) ||
        !connection.client->waitForConnected(kDeadlineMs))
        return connection;
    connection.server = listener.nextPendingConnection();
    connection.server->setParent(nullptr);
    return connection;
}

} // namespace

class TestConnectionAdmission : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countsUntilTheSocketIsGone()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        ConnectionAdmission admission(2, 10, true);
        Connection first = connectTo(listener);
        Connection second = connectTo(listener);
        QVERIFY(first.server && second.server);
        admission.track(first.server, true);
        QVERIFY(!admission.addressFull(QHostAddress::LocalHost));
        admission.track(second.server, false);
        QVERIFY(admission.addressFull(QHostAddress::LocalHost));
        QCOMPARE(admission.pendingCount(), 1);
        ConnectionAdmission::markEstablished(first.server);
        QCOMPARE(admission.pendingCount(), 0);
        delete first.server;
        QCOMPARE(admission.addressCount(QHostAddress::LocalHost), 1);
        delete second.server;
        QCOMPARE(admission.addressCount(QHostAddress::LocalHost), 0);
    }

    void evictsTheOldestPending()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        ConnectionAdmission admission(10, 2, true);
        Connection older = connectTo(listener);
        Connection newer = connectTo(listener);
        QVERIFY(older.server && newer.server);
        admission.track(older.server, true);
        admission.track(newer.server, true);
        QVERIFY(admission.pendingFull());
        QSignalSpy olderGone(older.client.get(), &QTcpSocket::disconnected);
        QVERIFY(admission.evictOldestPending());
        QCOMPARE(admission.pendingCount(), 1);
        QVERIFY(olderGone.wait(kDeadlineMs) || !olderGone.isEmpty());
        QCOMPARE(newer.client->state(), QAbstractSocket::ConnectedState);
        delete older.server;
        delete newer.server;
        QCOMPARE(admission.addressCount(QHostAddress::LocalHost), 0);
    }

    void aSocketOnAnotherThreadIsResetThereAndCountedWhenItGoes()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        ConnectionAdmission admission(10, 10, true);
        Connection connection = connectTo(listener);
        QVERIFY(connection.server);
        admission.track(connection.server, true);
        QThread worker;
        worker.start();
        QTcpSocket *socket = connection.server;
        socket->moveToThread(&worker);
        // The worker frees the socket once it sees the reset, as an endpoint does.
        QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        QSignalSpy clientGone(connection.client.get(), &QTcpSocket::disconnected);
        QVERIFY(admission.evictOldestPending());
        QCOMPARE(admission.pendingCount(), 0);
        QVERIFY(clientGone.wait(kDeadlineMs) || !clientGone.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(admission.addressCount(QHostAddress::LocalHost), 0, kDeadlineMs);
        worker.quit();
        QVERIFY(worker.wait(kDeadlineMs));
    }
};

QTEST_GUILESS_MAIN(TestConnectionAdmission)
#include "tst_connectionadmission.moc"
