// flack-admin's client and tables against a real two-node cluster with chat clients: the
// AdminClient connected to n1 sees both nodes' users in its Users table, kicks the user held by
// n2, that client gets CHAT_ADMIN-001 and is closed, the chat's other member gets left, and
// the table drops the row in place.

#include "admin-gui/core/adminclient.h"
#include "admin-gui/core/clusterstate.h"
#include "admin-gui/core/usersmodel.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/localcluster.h"
#include "tests/support/wstestclient.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace flack::test;
using namespace Qt::StringLiterals;
using flack::admin::AdminClient;
using flack::admin::ClusterState;
using flack::admin::UsersModel;

class TestAdminClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seesBothNodesAndKicksAcrossThem()
    {
        const QByteArray token = "token-for-the-admin-client-test";
        QTemporaryDir dir;
        const QString tokenFile = dir.filePath(u"token"_s);
        QFile file(tokenFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(token);
        file.close();
        LocalCluster cluster(3000, {u"--admin-token-file"_s, tokenFile});
        QVERIFY(cluster.startNode(1));
        QVERIFY(cluster.startNode(2));
        QVERIFY(cluster.waitForMesh({1, 2}));

        WsTestClient ann, bo;
        QVERIFY(ann.open(cluster.node(1).chatUrl()));
        QVERIFY(!ann.login(u"Ann"_s).isEmpty());
        QVERIFY(bo.open(cluster.node(2).chatUrl()));
        const QString boId = bo.login(u"Bo"_s);
        QVERIFY(!boId.isEmpty());
        ann.join(u"lobby"_s);
        bo.join(u"lobby"_s);

        AdminClient client;
        UsersModel users;
        connect(client.cluster(), &ClusterState::usersChanged, &users, &UsersModel::applyChanges);
        client.connectToServer(QUrl(u"ws://127.0.0.1:%1/admin"_s.arg(cluster.node(1).port())),
                               QString::fromUtf8(token));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), AdminClient::State::Live, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(users.rowCount(), 2, 10000);
        QString boConnection;
        for (int row = 0; row < users.rowCount(); ++row) {
            const QString name = users.index(row, UsersModel::UserName).data().toString();
            const QString node = users.index(row, UsersModel::Node).data().toString();
            if (name == u"Bo") {
                QCOMPARE(node, u"n2"_s);
                boConnection = users.index(row, UsersModel::ConnectionId).data().toString();
            } else {
                QCOMPARE(name, u"Ann"_s);
                QCOMPARE(node, u"n1"_s);
            }
        }
        QVERIFY(boConnection.startsWith(u"n2/"_s));

        QSignalSpy kicked(&client, &AdminClient::kickFinished);
        QVERIFY(client.kickUser(boConnection, u"time out"_s));
        QVERIFY(kicked.wait(10000));
        const auto result = kicked.first().first().value<flack::protocol::KickResult>();
        QVERIFY(result.ok);
        const QJsonObject error = bo.nextOf(u"protocol_error", 5000);
        QCOMPARE(error.value(u"code"_s).toString(), u"CHAT_ADMIN-001"_s);
        QCOMPARE(error.value(u"reason"_s).toString(), u"time out"_s);
        QVERIFY(bo.waitForDisconnected(5000));
        QCOMPARE(ann.nextOf(u"left", 5000).value(u"user_id"_s).toString(), boId);
        // The table loses the row in place.
        QTRY_COMPARE_WITH_TIMEOUT(users.rowCount(), 1, 10000);
        QCOMPARE(users.index(0, UsersModel::UserName).data().toString(), u"Ann"_s);
        QVERIFY(cluster.node(1).output().contains("kick_user " + boConnection.toUtf8()));
    }
};

QTEST_MAIN(TestAdminClient)
#include "tst_adminclient.moc"
