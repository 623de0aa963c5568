// flack-bench's options: defaults, the forms of --url, and a clear error for every bad
// invocation (the run itself is tests/integration/tst_flackbench.cpp).

#include "tools/core/benchoptions.h"

#include <QTest>

using flack::tools::BenchOptions;

class TestBenchOptions : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void allOptions();
    void version();
    void errors_data();
    void errors();
};

static QStringList args(std::initializer_list<const char *> list)
{
    QStringList result{QStringLiteral("flack-bench")};
    for (const char *a : list)
        result.append(QString::fromUtf8(a));
    return result;
}

void TestBenchOptions::defaults()
{
    BenchOptions options;
    const auto result = options.parse(args({"fanout", "--url=ws://127.0.0.1:8080/chat-server"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(!result.exitNow);
    QCOMPARE(options.scenario, BenchOptions::Scenario::Fanout);
    QCOMPARE(options.host, std::string("127.0.0.1"));
    QCOMPARE(int(options.port), 8080);
    QCOMPARE(options.path, std::string("/chat-server"));
    QCOMPARE(options.rooms, 10);
    QCOMPARE(options.members, 50);
    QCOMPARE(options.senders, 5);
    QCOMPARE(options.rate, 20.0);
    QCOMPARE(options.duration, 10.0);
    QCOMPARE(options.warmup, 2.0);
    QCOMPARE(options.connectConcurrency, 32);
    QCOMPARE(options.serverPid, 0);
    QVERIFY(options.jsonFile.isEmpty());
    QVERIFY(options.chatPrefix.starts_with("bench"));
}

void TestBenchOptions::allOptions()
{
    BenchOptions options;
    const auto result = options.parse(args({"ramp",
                                            "--url",
                                            "ws://localhost:9/",
                                            "--rooms=3",
                                            "--members",
                                            "8",
                                            "--senders=2",
                                            "--rate=40.5",
                                            "--ramp-factor=1.3",
                                            "--max-steps=4",
                                            "--p99-bound-ms=20",
                                            "--duration=0.5",
                                            "--warmup=0",
                                            "--drain-timeout=1",
                                            "--message-bytes=64",
                                            "--threads=2",
                                            "--source-addresses=3",
                                            "--connect-concurrency=8",
                                            "--connect-timeout=5",
                                            "--server-pid=42",
                                            "--json=out.json",
                                            "--chat-prefix=t-"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(options.scenario, BenchOptions::Scenario::Ramp);
    QCOMPARE(options.host, std::string("127.0.0.1")); // localhost is taken as loopback
    QCOMPARE(int(options.port), 9);
    QCOMPARE(options.path, std::string("/"));
    QCOMPARE(options.rooms, 3);
    QCOMPARE(options.members, 8);
    QCOMPARE(options.senders, 2);
    QCOMPARE(options.rate, 40.5);
    QCOMPARE(options.rampFactor, 1.3);
    QCOMPARE(options.maxSteps, 4);
    QCOMPARE(options.p99BoundMs, 20.0);
    QCOMPARE(options.duration, 0.5);
    QCOMPARE(options.warmup, 0.0);
    QCOMPARE(options.drainTimeout, 1.0);
    QCOMPARE(options.messageBytes, 64);
    QCOMPARE(options.threads, 2);
    QCOMPARE(options.sourceAddresses, 3);
    QCOMPARE(options.connectConcurrency, 8);
    QCOMPARE(options.connectTimeout, 5.0);
    QCOMPARE(options.serverPid, 42);
    QCOMPARE(options.jsonFile, QStringLiteral("out.json"));
    QCOMPARE(options.chatPrefix, std::string("t-"));
}

void TestBenchOptions::version()
{
    BenchOptions options;
    const auto result = options.parse(args({"--version"}));
    QVERIFY(result.ok);
    QVERIFY(result.exitNow);
}

void TestBenchOptions::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    const char *url = "--url=ws://127.0.0.1:1/chat-server";
    QTest::newRow("no scenario") << args({url}) << QStringLiteral("scenario");
    QTest::newRow("two scenarios") << args({"fanout", "ramp", url}) << QStringLiteral("scenario");
    QTest::newRow("unknown scenario")
        << args({"stampede", url}) << QStringLiteral("unknown scenario: stampede");
    QTest::newRow("no url") << args({"fanout"}) << QStringLiteral("--url must be ws://");
    QTest::newRow("http url") << args({"fanout", "--url=http://127.0.0.1:1/x"})
                              << QStringLiteral("--url must be ws://");
    QTest::newRow("no port") << args({"fanout", "--url=ws://127.0.0.1/x"})
                             << QStringLiteral("--url must be ws://");
    QTest::newRow("host name") << args({"fanout", "--url=ws://example.org:80/x"})
                               << QStringLiteral("IPv4");
    QTest::newRow("rooms zero") << args({"fanout", url, "--rooms=0"})
                                << QStringLiteral("--rooms must be an integer >= 1");
    QTest::newRow("rate letters") << args({"fanout", url, "--rate=fast"})
                                  << QStringLiteral("--rate must be a number");
    QTest::newRow("members fractional")
        << args({"fanout", url, "--members=2.5"}) << QStringLiteral("--members must be an integer");
    QTest::newRow("senders above members") << args({"fanout", url, "--members=2", "--senders=3"})
                                           << QStringLiteral("--senders cannot exceed --members");
    QTest::newRow("too many source addresses")
        << args({"connections", url, "--source-addresses=251"})
        << QStringLiteral("--source-addresses must be at most 250");
    QTest::newRow("unknown option")
        << args({"fanout", url, "--colour"}) << QStringLiteral("colour");
    QTest::newRow("missing value") << args({"fanout", "--url"}) << QStringLiteral("url");
}

void TestBenchOptions::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    BenchOptions options;
    const auto result = options.parse(arguments);
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(mentions), qPrintable(result.error));
}

QTEST_GUILESS_MAIN(TestBenchOptions)
#include "tst_benchoptions.moc"
