// flack-client's options: the original reference client's defaults and forms (--url=..., -d),
// and a clear error for every bad invocation.

#include "tools/core/clientoptions.h"

#include <QTest>

using flack::tools::ClientOptions;

class TestClientOptions : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void allOptions();
    void helpAndVersion();
    void errors_data();
    void errors();
};

static QStringList args(std::initializer_list<const char *> list)
{
    QStringList result{QStringLiteral("flack-client")};
    for (const char *a : list)
        result.append(QString::fromUtf8(a));
    return result;
}

void TestClientOptions::defaults()
{
    ClientOptions options;
    QCOMPARE(options.parse(args({"--url=ws://localhost:8080/chat-server"})).outcome,
             ClientOptions::Outcome::Run);
    QCOMPARE(options.url, QUrl(QStringLiteral("ws://localhost:8080/chat-server")));
    QCOMPARE(options.name, QStringLiteral("hoser"));
    QCOMPARE(options.chat, QStringLiteral("foobar"));
    QCOMPARE(options.count, 100);
    QCOMPARE(options.delayMs, 1000);
    QVERIFY(!options.interactive);
}

void TestClientOptions::allOptions()
{
    ClientOptions options;
    QCOMPARE(options
                 .parse(args({"--url", "wss://h/c", "--name", "n\xc3\xa4me", "--chat=room",
                              "--count", "3", "-d", "10", "--interactive"}))
                 .outcome,
             ClientOptions::Outcome::Run);
    QCOMPARE(options.name, QStringLiteral("n\u00e4me"));
    QCOMPARE(options.chat, QStringLiteral("room"));
    QCOMPARE(options.count, 3);
    QCOMPARE(options.delayMs, 10);
    QVERIFY(options.interactive);
    QCOMPARE(options.parse(args({"--url=ws://h/", "--delay=0", "--count=0"})).outcome,
             ClientOptions::Outcome::Run);
    QCOMPARE(options.delayMs, 0);
}

void TestClientOptions::helpAndVersion()
{
    ClientOptions options;
    QCOMPARE(options.parse(args({"--help"})).outcome, ClientOptions::Outcome::ShowHelp);
    QCOMPARE(options.parse(args({"--version"})).outcome, ClientOptions::Outcome::ShowVersion);
    QVERIFY(ClientOptions::helpText().contains(QStringLiteral("--delay")));
}

void TestClientOptions::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no url") << args({}) << QStringLiteral("--url is required");
    QTest::newRow("http url") << args({"--url=http://h/"}) << QStringLiteral("ws://");
    QTest::newRow("not a url") << args({"--url=foo"}) << QStringLiteral("ws://");
    QTest::newRow("count letters")
        << args({"--url=ws://h/", "--count=x"}) << QStringLiteral("--count");
    QTest::newRow("negative count")
        << args({"--url=ws://h/", "--count=-1"}) << QStringLiteral("--count");
    QTest::newRow("negative delay")
        << args({"--url=ws://h/", "-d", "-5"}) << QStringLiteral("--delay");
    QTest::newRow("empty name") << args({"--url=ws://h/", "--name="}) << QStringLiteral("--name");
    QTest::newRow("unknown option")
        << args({"--url=ws://h/", "--colour"}) << QStringLiteral("colour");
    QTest::newRow("stray argument") << args({"--url=ws://h/", "extra"}) << QStringLiteral("extra");
    QTest::newRow("missing value") << args({"--url"}) << QStringLiteral("url");
}

void TestClientOptions::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    ClientOptions options;
    const auto result = options.parse(arguments);
    QCOMPARE(result.outcome, ClientOptions::Outcome::Error);
    QVERIFY2(result.error.contains(mentions), qPrintable(result.error));
}

QTEST_GUILESS_MAIN(TestClientOptions)
#include "tst_clientoptions.moc"
