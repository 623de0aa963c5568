// flack-bench's options: defaults, the forms of --url (one node, or a cluster's nodes as a
// comma-separated list or a repeated option), how a room's members are spread over the nodes,
// flood's and soak's own defaults, and a clear error for every bad invocation (runs:
// tests/integration/tst_flackbench.cpp).

#include "tools/core/benchoptions.h"

#include <QTest>
#include <QUrl>

using flack::tools::BenchOptions;

class TestBenchOptions : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void allOptions();
    void version();
    void floodDefaults();
    void floodOptions();
    void soakDefaults();
    void soakOptions();
    void nodes_data();
    void nodes();
    void placement_data();
    void placement();
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
    QCOMPARE(options.nodes.size(), std::size_t(1));
    QCOMPARE(options.nodes[0].host, std::string("127.0.0.1"));
    QCOMPARE(int(options.nodes[0].port), 8080);
    QCOMPARE(options.nodes[0].path, std::string("/chat-server"));
    QCOMPARE(options.nodes[0].url, std::string("ws://127.0.0.1:8080/chat-server"));
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
    QCOMPARE(options.nodes.size(), std::size_t(1));
    QCOMPARE(options.nodes[0].host, std::string("127.0.0.1")); // localhost is taken as loopback
    QCOMPARE(int(options.nodes[0].port), 9);
    QCOMPARE(options.nodes[0].path, std::string("/"));
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

void TestBenchOptions::floodDefaults()
{
    BenchOptions options;
    const auto result = options.parse(args({"flood", "--url=ws://127.0.0.1:8080/chat-server"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(options.scenario, BenchOptions::Scenario::Flood);
    QCOMPARE(BenchOptions::scenarioName(options.scenario), "flood");
    // A person's rate, not fanout's load step; one room where every member sends.
    QCOMPARE(options.rate, 2.0);
    QCOMPARE(options.rooms, 1);
    QCOMPARE(options.members, 50);
    QCOMPARE(options.senders, 50);
    QCOMPARE(options.duration, 10.0);
    QVERIFY(!options.floodReconnect);
}

void TestBenchOptions::floodOptions()
{
    BenchOptions options;
    const auto result = options.parse(
        args({"flood", "--url=ws://127.0.0.1:8080/chat-server", "--members=7", "--senders=2",
              "--rate=3.5", "--rooms=1", "--duration=4", "--flood-reconnect"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(options.members, 7);
    QCOMPARE(options.senders, 7); // --senders does not apply: every normal member sends
    QCOMPARE(options.rate, 3.5);
    QCOMPARE(options.duration, 4.0);
    QVERIFY(options.floodReconnect);
}

void TestBenchOptions::soakDefaults()
{
    BenchOptions options;
    const auto result = options.parse(args({"soak", "--url=ws://127.0.0.1:8080/chat-server"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(options.scenario, BenchOptions::Scenario::Soak);
    QCOMPARE(BenchOptions::scenarioName(options.scenario), "soak");
    QCOMPARE(options.connections, 10000);
    QCOMPARE(options.rooms, 500);
    QCOMPARE(options.rate, 0.1);
    QCOMPARE(options.duration, 600.0);
    QCOMPARE(options.warmup, 60.0);
    QCOMPARE(options.churn, 0.01);
    QCOMPARE(options.sampleInterval, 10.0);
}

void TestBenchOptions::soakOptions()
{
    BenchOptions options;
    const auto result = options.parse(args(
        {"soak", "--url=ws://127.0.0.1:8080/chat-server", "--connections=300", "--rooms=7",
         "--rate=0.5", "--duration=20", "--warmup=3", "--churn=0.05", "--sample-interval=2.5"}));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(options.connections, 300);
    QCOMPARE(options.rooms, 7);
    QCOMPARE(options.rate, 0.5);
    QCOMPARE(options.duration, 20.0);
    QCOMPARE(options.warmup, 3.0);
    QCOMPARE(options.churn, 0.05);
    QCOMPARE(options.sampleInterval, 2.5);
    // The other scenarios keep theirs.
    BenchOptions fanout;
    QVERIFY(fanout.parse(args({"fanout", "--url=ws://127.0.0.1:8080/chat-server"})).ok);
    QCOMPARE(fanout.rate, 20.0);
    QCOMPARE(fanout.duration, 10.0);
    QCOMPARE(fanout.warmup, 2.0);
    QCOMPARE(fanout.connections, 15000);
}

void TestBenchOptions::nodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("urls"); // the nodes, in order, as the report names them
    const QString a = QStringLiteral("ws://127.0.0.1:8081/chat-server");
    const QString b = QStringLiteral("ws://127.0.0.1:8082/chat-server");
    const QString c = QStringLiteral("ws://127.0.0.1:8083/chat-server");
    QTest::newRow("one") << args({"fanout", "--url=ws://127.0.0.1:8081/chat-server"})
                         << QStringList{a};
    QTest::newRow("comma-separated")
        << args({"fanout", "--url=ws://127.0.0.1:8081/chat-server,ws://127.0.0.1:8082/chat-server,"
                           "ws://127.0.0.1:8083/chat-server"})
        << QStringList{a, b, c};
    QTest::newRow("repeated") << args({"fanout", "--url", "ws://127.0.0.1:8081/chat-server",
                                       "--url=ws://127.0.0.1:8082/chat-server"})
                              << QStringList{a, b};
    QTest::newRow("list and repeat")
        << args({"ramp", "--url=ws://127.0.0.1:8083/chat-server,ws://127.0.0.1:8081/chat-server",
                 "--url", "ws://localhost:8082/chat-server"})
        << QStringList{c, a, b};
    QTest::newRow("same server twice")
        << args({"fanout", "--url=ws://127.0.0.1:8081/chat-server,ws://127.0.0.1:8081/chat-server"})
        << QStringList{a, a};
    QTest::newRow("connections, one node")
        << args({"connections", "--url=ws://127.0.0.1:8081/chat-server"}) << QStringList{a};
}

void TestBenchOptions::nodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, urls);
    BenchOptions options;
    const auto result = options.parse(arguments);
    QVERIFY2(result.ok, qPrintable(result.error));
    QStringList parsed;
    for (const BenchOptions::Node &node : options.nodes)
        parsed.append(QString::fromStdString(node.url));
    QCOMPARE(parsed, urls);
    QCOMPARE(int(options.nodes.back().port), QUrl(urls.back()).port());
}

void TestBenchOptions::placement_data()
{
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("room");
    QTest::addColumn<QList<int>>("nodeOfMember"); // members 0, 1, 2, ...
    QTest::newRow("one node") << 1 << 3 << QList<int>{0, 0, 0, 0};
    QTest::newRow("two nodes, room 0") << 2 << 0 << QList<int>{0, 1, 0, 1, 0};
    QTest::newRow("two nodes, room 1") << 2 << 1 << QList<int>{1, 0, 1, 0, 1};
    QTest::newRow("three nodes, room 0") << 3 << 0 << QList<int>{0, 1, 2, 0, 1, 2, 0};
    QTest::newRow("three nodes, room 4") << 3 << 4 << QList<int>{1, 2, 0, 1};
}

void TestBenchOptions::placement()
{
    QFETCH(int, nodes);
    QFETCH(int, room);
    QFETCH(QList<int>, nodeOfMember);
    BenchOptions options;
    options.nodes.resize(std::size_t(nodes));
    for (int member = 0; member < nodeOfMember.size(); ++member)
        QCOMPARE(options.nodeOfMember(room, member), nodeOfMember[member]);
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
    QTest::newRow("bad second node")
        << args({"fanout", "--url=ws://127.0.0.1:1/chat-server,ws://127.0.0.1/chat-server"})
        << QStringLiteral("--url must be ws://IPv4:PORT/path, got: ws://127.0.0.1/chat-server");
    QTest::newRow("empty list entry")
        << args({"fanout", "--url=ws://127.0.0.1:1/chat-server,,ws://127.0.0.1:2/chat-server"})
        << QStringLiteral("--url must be ws://");
    QTest::newRow("trailing comma") << args({"fanout", "--url=ws://127.0.0.1:1/chat-server,"})
                                    << QStringLiteral("--url must be ws://");
    QTest::newRow("host name as second node")
        << args({"ramp", url, "--url=ws://example.org:80/x"}) << QStringLiteral("IPv4");
    QTest::newRow("connections over nodes")
        << args({"connections", "--url=ws://127.0.0.1:1/x,ws://127.0.0.1:2/x"})
        << QStringLiteral("fanout and ramp only");
    QTest::newRow("flood in two rooms")
        << args({"flood", url, "--rooms=2"}) << QStringLiteral("--rooms must be 1");
    QTest::newRow("flood over nodes")
        << args({"flood", "--url=ws://127.0.0.1:1/x,ws://127.0.0.1:2/x"})
        << QStringLiteral("fanout and ramp only");
    QTest::newRow("soak over nodes")
        << args({"soak", "--url=ws://127.0.0.1:1/x,ws://127.0.0.1:2/x"})
        << QStringLiteral("fanout and ramp only");
    QTest::newRow("flood threads")
        << args({"flood", url, "--threads=2"}) << QStringLiteral("--threads must be 1");
    QTest::newRow("soak threads") << args({"soak", url, "--threads=2"})
                                  << QStringLiteral("--threads must be 1");
    QTest::newRow("churn negative")
        << args({"soak", url, "--churn=-0.1"}) << QStringLiteral("--churn must be a number >= 0");
    QTest::newRow("churn above one")
        << args({"soak", url, "--churn=1.5"}) << QStringLiteral("--churn must be at most 1");
    QTest::newRow("sample interval zero") << args({"soak", url, "--sample-interval=0"})
                                          << QStringLiteral("--sample-interval must be a number");
    QTest::newRow("soak rooms above connections")
        << args({"soak", url, "--connections=5", "--rooms=6"})
        << QStringLiteral("--rooms cannot exceed --connections");
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
