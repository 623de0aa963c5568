// --max-connections counts connections held now, not connections ever made: websocket users
// who leave give their slot back, and the cap still holds against those present. The websocket
// connections the endpoint holds and plain HTTP sockets share one budget.

#include "shared/clientrecordencoder.h"
#include "tests/support/polling.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using flack::test::ServerProcess;
using flack::test::WsTestClient;

class TestConnectionSlots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slotsComeBackAfterUsersLeave()
    {
        ServerProcess server({u"--max-connections"_s, u"2"_s});
        QVERIFY2(server.start(), server.output().constData());
        const QByteArray health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

        // Far more users over time than the cap: each leaves (goodbye, or just dropping).
        for (int i = 0; i < 6; ++i) {
            WsTestClient user;
            QVERIFY2(user.open(server.chatUrl()), qPrintable(u"user %1 was refused"_s.arg(i)));
            QVERIFY(!user.login(u"user%1"_s.arg(i)).isEmpty());
            if (i % 2 == 0)
                user.sendText(flack::protocol::encodeClientGoodbye());
            else
                user.socket().abort();
            QVERIFY(user.waitForDisconnected());
            // The slot is free once the server has seen the user go: wait for that.
            QCOMPARE(flack::test::probeUntil(
                         [&] { return flack::test::rawHttp(server.port(), health).status; }, 200),
                     200);
        }

        // Two present users fill the cap; a third connection is refused with 503.
        WsTestClient first;
        WsTestClient second;
        QVERIFY(first.open(server.chatUrl()));
        QVERIFY(!first.login(u"first"_s).isEmpty());
        QVERIFY(second.open(server.chatUrl()));
        QVERIFY(!second.login(u"second"_s).isEmpty());
        QCOMPARE(flack::test::rawHttp(server.port(), health).status, 503);
        QCOMPARE(server.terminate(), 0);
    }

    void endpointConnectionsAloneFillTheBudget()
    {
        ServerProcess server({u"--max-connections"_s, u"3"_s});
        QVERIFY2(server.start(), server.output().constData());
        const QByteArray health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

        // Three logged-in websockets, no HTTP socket besides: the budget is spent. (Connections
        // that have not authenticated yet would give way to newcomers: tst_admission.)
        WsTestClient users[3];
        for (WsTestClient &user : users) {
            QVERIFY(user.open(server.chatUrl()));
            QVERIFY(!user.login(u"user"_s).isEmpty());
        }
        QCOMPARE(flack::test::rawHttp(server.port(), health).status, 503);
        QWebSocket refused;
        QSignalSpy refusedFailed(&refused,
                                 qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
        QSignalSpy refusedConnected(&refused, &QWebSocket::connected);
        refused.open(server.chatUrl());
        QTRY_VERIFY_WITH_TIMEOUT(refusedFailed.count() > 0 || refusedConnected.count() > 0, 5000);
        QCOMPARE(refusedConnected.count(), 0);

        // One leaves: its slot serves HTTP again, and then another websocket.
        users[0].socket().abort();
        QCOMPARE(flack::test::probeUntil(
                     [&] { return flack::test::rawHttp(server.port(), health).status; }, 200),
                 200);
        WsTestClient newcomer;
        QVERIFY(newcomer.open(server.chatUrl()));
        QVERIFY(!newcomer.login(u"newcomer"_s).isEmpty());
        QCOMPARE(flack::test::rawHttp(server.port(), health).status, 503);
        QVERIFY(users[1].isConnected() && users[2].isConnected() && newcomer.isConnected());
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConnectionSlots)
#include "tst_connectionslots.moc"
