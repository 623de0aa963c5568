// The admin tables' filter: every word must match (case-insensitive substring), a word in any
// column, "column:word" in the columns whose header contains "column"; an unknown column name
// is an ordinary word. Sorting uses the models' raw values.

#include "admin-gui/core/tablefilterproxy.h"
#include "admin-gui/core/usersmodel.h"
#include "tests/support/adminsamples.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace flack;
using namespace flack::admin;

class TestTableFilterProxy : public QObject
{
    Q_OBJECT

private slots:
    void filters_data();
    void filters();
    void sortsNumbersAsNumbers();
};

void TestTableFilterProxy::filters_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("names");
    const auto row = [](const char *name, const char *filter, QStringList names) {
        QTest::newRow(name) << QString::fromUtf8(filter) << names;
    };
    const QStringList all{QStringLiteral("Ann"), QStringLiteral("Bob"), QStringLiteral("Cid"),
                          QStringLiteral("Dee"), QStringLiteral("Eve"), QStringLiteral("Fay")};
    row("empty", "", all);
    row("spaces", "   ", all);
    row("any column", "n2", {QStringLiteral("Dee"), QStringLiteral("Eve")});
    row("case-insensitive", "aNN", {QStringLiteral("Ann")});
    row("node column", "node:n1",
        {QStringLiteral("Ann"), QStringLiteral("Bob"), QStringLiteral("Cid")});
    row("column prefix in upper case", "NODE:n3", {QStringLiteral("Fay")});
    row("two words and", "node:n1 bo", {QStringLiteral("Bob")});
    row("address", "address:10.0.2.", {QStringLiteral("Dee"), QStringLiteral("Eve")});
    row("user matches name and id columns", "user:fay", {QStringLiteral("Fay")});
    row("unknown column is a word", "colour:red", {});
    row("nothing", "zzz", {});
    row("empty value after colon", "node:", all);
}

void TestTableFilterProxy::filters()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, names);
    UsersModel model;
    model.setRows(testing::sampleSnapshot().users);
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(UsersModel::UserName, Qt::AscendingOrder);
    proxy.setFilterText(filter);
    QCOMPARE(proxy.filterText(), filter);
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown.append(proxy.index(row, UsersModel::UserName).data().toString());
    QCOMPARE(shown, names);
}

void TestTableFilterProxy::sortsNumbersAsNumbers()
{
    UsersModel model;
    QList<protocol::UserInfo> users = testing::sampleSnapshot().users;
    users[0].messagesSent = 100;
    users[1].messagesSent = 9;
    users[2].messagesSent = 20;
    model.setRows(users.mid(0, 3));
    TableFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(UsersModel::MessagesSent, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, UsersModel::UserName).data().toString(), QStringLiteral("Bob"));
    QCOMPARE(proxy.index(1, UsersModel::UserName).data().toString(), QStringLiteral("Cid"));
    QCOMPARE(proxy.index(2, UsersModel::UserName).data().toString(), QStringLiteral("Ann"));
}

QTEST_GUILESS_MAIN(TestTableFilterProxy)
#include "tst_tablefilterproxy.moc"
