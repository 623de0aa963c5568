// flack-bench end to end against the real flack-server: a short fanout run must account for
// every delivery (nothing missing, duplicated, reordered or out of sequence), a small
// connections run must keep every connection alive, and bad usage must fail clearly. Until
// there is a cluster, its "nodes" are one server given twice: the same-node / cross-node split
// (by --url position) must still add up to every delivery. A flood run must lose none of the
// members' messages in either phase and show the flooder held to the server's rate: at most
// its burst plus the rate over the time it was connected, then CHAT_LIMIT-005 and close 1008.
// A soak run with churn must lose nothing (by each room's sequence and each sender's echo),
// really churn, and sample the server's RSS at every interval.
// Speed is never asserted here; that is what docs/benchmarks.md is for.

#include "tests/support/serverprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace flack;

class TestFlackBench : public QObject
{
    Q_OBJECT
private slots:
    void fanoutDeliversEverything();
    void connectionsAllSurvive();
    void floodLimitsTheFlooder();
    void floodReconnectComesBack();
    void soakLosesNothing();
    void clusterSplitAddsUp_data();
    void clusterSplitAddsUp();
    void helpExplainsClusters();
    void badUsage_data();
    void badUsage();

private:
    // urls: the --url value; by default the server's chat URL.
    QJsonObject runBench(const QStringList &arguments, test::ServerProcess &server,
                         const QString &urls = {});
};

QJsonObject TestFlackBench::runBench(const QStringList &arguments, test::ServerProcess &server,
                                     const QString &urls)
{
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("report.json"));
    QProcess bench;
    bench.setProcessChannelMode(QProcess::MergedChannels);
    bench.start(QStringLiteral(FLACK_BENCH_BINARY),
                arguments + QStringList{QStringLiteral("--url"),
                                        urls.isEmpty() ? server.chatUrl().toString() : urls,
                                        QStringLiteral("--server-pid"),
                                        QString::number(server.process().processId()),
                                        QStringLiteral("--json"), json});
    if (!bench.waitForFinished(120000)) {
        bench.kill();
        bench.waitForFinished();
        qWarning("flack-bench did not finish");
        return {};
    }
    const QByteArray output = bench.readAll();
    if (bench.exitStatus() != QProcess::NormalExit || bench.exitCode() != 0) {
        qWarning("flack-bench failed: %s", output.constData());
        return {};
    }
    QFile file(json);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("no JSON report: %s", output.constData());
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

void TestFlackBench::fanoutDeliversEverything()
{
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    const QJsonObject report = runBench(
        {QStringLiteral("fanout"), QStringLiteral("--rooms=3"), QStringLiteral("--members=8"),
         QStringLiteral("--senders=2"), QStringLiteral("--rate=40"), QStringLiteral("--duration=2"),
         QStringLiteral("--warmup=0.5")},
        server);
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("completed")).toBool());
    QCOMPARE(report.value(QStringLiteral("connect"))
                 .toObject()
                 .value(QStringLiteral("failed"))
                 .toInt(-1),
             0);
    const QJsonObject result = report.value(QStringLiteral("result")).toObject();
    const auto figure = [&result](const char *key) {
        return qint64(result.value(QLatin1StringView(key)).toDouble(-1));
    };
    // 6 senders at 40/s for 2 s, each message due to its room's 8 members.
    QVERIFY2(figure("sent") >= 400, qPrintable(QString::number(figure("sent"))));
    QCOMPARE(figure("expected"), figure("sent") * 8);
    QCOMPARE(figure("received"), figure("expected"));
    QCOMPARE(figure("missing"), 0);
    QCOMPARE(figure("duplicates"), 0);
    QCOMPARE(figure("order_violations"), 0);
    QCOMPARE(figure("sequence_violations"), 0);
    QCOMPARE(figure("misrouted"), 0);
    QCOMPARE(figure("connections_lost"), 0);
    QVERIFY(result.value(QStringLiteral("latency_ms"))
                .toObject()
                .value(QStringLiteral("max"))
                .toDouble() > 0);
    QVERIFY(result.contains(QStringLiteral("server_cpu_ms_per_1000_deliveries")));
    // One --url: no cluster figures anywhere, the report is what it always was.
    QVERIFY(!result.contains(QStringLiteral("same_node")));
    QVERIFY(!result.contains(QStringLiteral("cross_node")));
    QVERIFY(
        !report.value(QStringLiteral("connect")).toObject().contains(QStringLiteral("per_node")));
    QVERIFY(!report.value(QStringLiteral("options")).toObject().contains(QStringLiteral("urls")));
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::connectionsAllSurvive()
{
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    const QJsonObject report =
        runBench({QStringLiteral("connections"), QStringLiteral("--connections=300"),
                  QStringLiteral("--rooms=7"), QStringLiteral("--duration=1"),
                  QStringLiteral("--source-addresses=3")},
                 server);
    QVERIFY(!report.isEmpty());
    const QJsonObject result = report.value(QStringLiteral("result")).toObject();
    QCOMPARE(result.value(QStringLiteral("joined")).toInt(), 300);
    QCOMPARE(result.value(QStringLiteral("survived")).toInt(), 300);
    QVERIFY(result.value(QStringLiteral("all_survived")).toBool());
    QVERIFY(result.value(QStringLiteral("server_rss_joined_bytes")).toDouble() > 0);
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::floodLimitsTheFlooder()
{
    // The server's defaults, spelled out because the bound below is computed from them.
    constexpr int rate = 20;
    constexpr int burst = 60;
    test::ServerProcess server({QStringLiteral("--max-messages-per-second=%1").arg(rate),
                                QStringLiteral("--message-burst=%1").arg(burst)});
    QVERIFY2(server.start(), server.output().constData());
    const QJsonObject report = runBench({QStringLiteral("flood"), QStringLiteral("--members=8"),
                                         QStringLiteral("--rate=4"), QStringLiteral("--duration=2"),
                                         QStringLiteral("--warmup=0.5")},
                                        server);
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("completed")).toBool());
    QCOMPARE(report.value(QStringLiteral("scenario")).toString(), QStringLiteral("flood"));
    QCOMPARE(
        report.value(QStringLiteral("connect")).toObject().value(QStringLiteral("joined")).toInt(),
        9); // 8 members and the flooder
    const auto figure = [](const QJsonObject &object, const char *key) {
        return qint64(object.value(QLatin1StringView(key)).toDouble(-1));
    };
    // Both phases: every member's message reaches all 8 members (the flooder is not counted
    // as a receiver), nothing lost, repeated or out of order, no member dropped.
    for (const char *phase : {"baseline", "flood"}) {
        const QJsonObject step = report.value(QLatin1StringView(phase)).toObject();
        QVERIFY2(!step.isEmpty(), phase);
        // 8 members at 4/s for 2 s.
        QVERIFY2(figure(step, "sent") >= 56, qPrintable(QString::number(figure(step, "sent"))));
        QCOMPARE(figure(step, "expected"), figure(step, "sent") * 8);
        QCOMPARE(figure(step, "received"), figure(step, "expected"));
        QCOMPARE(figure(step, "missing"), 0);
        QCOMPARE(figure(step, "duplicates"), 0);
        QCOMPARE(figure(step, "order_violations"), 0);
        QCOMPARE(figure(step, "sequence_violations"), 0);
        QCOMPARE(figure(step, "misrouted"), 0);
        QCOMPARE(figure(step, "connections_lost"), 0);
        const QJsonObject latency = step.value(QStringLiteral("latency_ms")).toObject();
        QVERIFY(latency.value(QStringLiteral("p99")).toDouble() >=
                latency.value(QStringLiteral("p50")).toDouble());
        QVERIFY(latency.value(QStringLiteral("p50")).toDouble() > 0);
    }
    QVERIFY(
        !report.value(QStringLiteral("baseline")).toObject().contains(QStringLiteral("flooder")));

    const QJsonObject flooder = report.value(QStringLiteral("flood"))
                                    .toObject()
                                    .value(QStringLiteral("flooder"))
                                    .toObject();
    QVERIFY(!flooder.isEmpty());
    const double connected = flooder.value(QStringLiteral("connected_seconds")).toDouble(-1);
    const double accepted = flooder.value(QStringLiteral("accepted_messages")).toDouble(-1);
    QVERIFY(connected >= 0);
    // It flooded: far more written than the server may accept in that time...
    QVERIFY2(flooder.value(QStringLiteral("sent")).toDouble() > burst + rate * (connected + 1),
             QJsonDocument(flooder).toJson().constData());
    // ...and the members got at most the burst plus the rate over its connected time (+1 for
    // the token refilling as the close is on its way), each of those exactly once per member.
    QVERIFY2(accepted <= burst + rate * connected + 1, QJsonDocument(flooder).toJson().constData());
    QVERIFY2(accepted >= 1, QJsonDocument(flooder).toJson().constData());
    QCOMPARE(figure(flooder, "deliveries_to_members") % 8, 0);
    // Then it was told why and closed as a policy violation.
    QVERIFY2(flooder.value(QStringLiteral("limited")).toBool(),
             QJsonDocument(flooder).toJson().constData());
    QCOMPARE(flooder.value(QStringLiteral("error_code")).toString(),
             QStringLiteral("CHAT_LIMIT-005"));
    QVERIFY(flooder.value(QStringLiteral("closed")).toBool());
    QCOMPARE(flooder.value(QStringLiteral("close_code")).toInt(), 1008);
    QVERIFY(flooder.value(QStringLiteral("closed_after_s")).toDouble(-1) >=
            flooder.value(QStringLiteral("error_after_s")).toDouble());

    const QJsonObject summary = report.value(QStringLiteral("summary")).toObject();
    QCOMPARE(figure(summary, "members_missing"), 0);
    QVERIFY(summary.value(QStringLiteral("baseline_p99_ms")).toDouble() > 0);
    QVERIFY(summary.value(QStringLiteral("flood_p99_ms")).toDouble() > 0);
    QVERIFY(summary.value(QStringLiteral("target_met")).isBool());
    QCOMPARE(summary.value(QStringLiteral("flooder")).toObject(), flooder);
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::floodReconnectComesBack()
{
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    const QJsonObject report =
        runBench({QStringLiteral("flood"), QStringLiteral("--members=5"),
                  QStringLiteral("--rate=4"), QStringLiteral("--duration=1"),
                  QStringLiteral("--warmup=0.3"), QStringLiteral("--flood-reconnect")},
                 server);
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("completed")).toBool());
    QVERIFY(report.value(QStringLiteral("options"))
                .toObject()
                .value(QStringLiteral("flood_reconnect"))
                .toBool());
    const QJsonObject flood = report.value(QStringLiteral("flood")).toObject();
    QCOMPARE(flood.value(QStringLiteral("missing")).toInt(-1), 0);
    QCOMPARE(flood.value(QStringLiteral("connections_lost")).toInt(-1), 0);
    const QJsonObject flooder = flood.value(QStringLiteral("flooder")).toObject();
    // Closed for flooding, it came back, and its connections were closed for it too.
    const double reconnects = flooder.value(QStringLiteral("reconnects")).toDouble(-1);
    const double limited = flooder.value(QStringLiteral("limited_connections")).toDouble(-1);
    QVERIFY2(reconnects >= 1, QJsonDocument(flooder).toJson().constData());
    QVERIFY2(limited >= 2, QJsonDocument(flooder).toJson().constData());
    QVERIFY(limited <= reconnects + 1);
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::soakLosesNothing()
{
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    // 200 connections in 10 rooms of 20, 1 msg/s each (the server allows 20), 5 % of them
    // leaving and rejoining each second: ~10 rejoins a second for 4 s.
    const QJsonObject report = runBench(
        {QStringLiteral("soak"), QStringLiteral("--connections=200"), QStringLiteral("--rooms=10"),
         QStringLiteral("--rate=1"), QStringLiteral("--churn=0.05"), QStringLiteral("--duration=4"),
         QStringLiteral("--warmup=1"), QStringLiteral("--sample-interval=1")},
        server);
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("completed")).toBool());
    QCOMPARE(report.value(QStringLiteral("scenario")).toString(), QStringLiteral("soak"));
    const QJsonObject result = report.value(QStringLiteral("result")).toObject();
    const auto figure = [&result](const char *key) {
        return qint64(result.value(QLatin1StringView(key)).toDouble(-1));
    };
    QCOMPARE(figure("connections"), 200);
    QCOMPARE(figure("members_per_room"), 20);
    QVERIFY2(figure("sent") >= 600, qPrintable(QString::number(figure("sent"))));
    // Every message goes to at most its room's 20 members, and most of them are there.
    QVERIFY(figure("received") <= figure("sent") * 20);
    QVERIFY(figure("received") >= figure("sent") * 10);
    QVERIFY2(figure("rejoined") >= 20, qPrintable(QString::number(figure("rejoined"))));
    QCOMPARE(figure("rejoin_failures"), 0);
    QCOMPARE(figure("connections_lost"), 0);
    QCOMPARE(figure("joined_at_end"), 200);
    QCOMPARE(figure("sequence_gaps"), 0);
    QCOMPARE(figure("tail_missing"), 0);
    QCOMPARE(figure("unechoed"), 0);
    QCOMPARE(figure("lost_messages"), 0);
    QCOMPARE(figure("duplicates"), 0);
    QCOMPARE(figure("order_violations"), 0);
    QCOMPARE(figure("sequence_violations"), 0);
    QCOMPARE(figure("misrouted"), 0);

    // A sample at the start and one per interval, each with the server's RSS.
    const QJsonArray series = result.value(QStringLiteral("series")).toArray();
    QCOMPARE(series.size(), 5);
    double previous = -1;
    for (const QJsonValue &point : series) {
        QVERIFY(point.toObject().value(QStringLiteral("t")).toDouble() > previous);
        previous = point.toObject().value(QStringLiteral("t")).toDouble();
        QVERIFY(point.toObject().value(QStringLiteral("server_rss_bytes")).toDouble() > 0);
    }
    const QJsonObject rss = result.value(QStringLiteral("server_rss")).toObject();
    const double maxRss = rss.value(QStringLiteral("max_bytes")).toDouble();
    QCOMPARE(rss.value(QStringLiteral("first_bytes")).toDouble(),
             series.first().toObject().value(QStringLiteral("server_rss_bytes")).toDouble());
    QCOMPARE(rss.value(QStringLiteral("last_bytes")).toDouble(),
             series.last().toObject().value(QStringLiteral("server_rss_bytes")).toDouble());
    QVERIFY(maxRss >= rss.value(QStringLiteral("first_bytes")).toDouble());
    QVERIFY(maxRss >= rss.value(QStringLiteral("last_bytes")).toDouble());
    // Samples at 1..4 s are after the 1 s warm-up: enough to judge, whatever the verdict.
    QCOMPARE(rss.value(QStringLiteral("settled_samples")).toInt(), 4);
    QVERIFY(rss.value(QStringLiteral("flat")).isBool());
    QVERIFY(rss.contains(QStringLiteral("growth_percent")));
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::clusterSplitAddsUp_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("fanout") << QStringLiteral("fanout");
    QTest::newRow("ramp") << QStringLiteral("ramp");
}

void TestFlackBench::clusterSplitAddsUp()
{
    QFETCH(QString, scenario);
    test::ServerProcess server;
    QVERIFY2(server.start(), server.output().constData());
    const QString url = server.chatUrl().toString();
    const QJsonObject report =
        runBench({scenario, QStringLiteral("--rooms=3"), QStringLiteral("--members=8"),
                  QStringLiteral("--senders=2"), QStringLiteral("--rate=40"),
                  QStringLiteral("--duration=2"), QStringLiteral("--warmup=0.5"),
                  QStringLiteral("--max-steps=1"), QStringLiteral("--threads=2")},
                 server, url + u',' + url);
    QVERIFY(!report.isEmpty());
    QVERIFY(report.value(QStringLiteral("completed")).toBool());
    QCOMPARE(report.value(QStringLiteral("options")).toObject().value(QStringLiteral("urls")),
             QJsonArray({url, url}));

    // Round-robin within each room: 8 members over 2 nodes is 4 on each, so 12 per node.
    const QJsonObject connect = report.value(QStringLiteral("connect")).toObject();
    QCOMPARE(connect.value(QStringLiteral("failed")).toInt(-1), 0);
    const QJsonArray perNode = connect.value(QStringLiteral("per_node")).toArray();
    QCOMPARE(perNode.size(), 2);
    for (const QJsonValue &node : perNode) {
        QCOMPARE(node.toObject().value(QStringLiteral("url")).toString(), url);
        QCOMPARE(node.toObject().value(QStringLiteral("joined")).toInt(), 12);
        QCOMPARE(node.toObject().value(QStringLiteral("failed")).toInt(-1), 0);
    }

    const QJsonObject result = scenario == u"fanout"
                                   ? report.value(QStringLiteral("result")).toObject()
                                   : report.value(QStringLiteral("steps"))[0].toObject();
    const auto figure = [](const QJsonObject &object, const char *key) {
        return qint64(object.value(QLatin1StringView(key)).toDouble(-1));
    };
    QVERIFY2(figure(result, "sent") >= 400, qPrintable(QString::number(figure(result, "sent"))));
    QCOMPARE(figure(result, "expected"), figure(result, "sent") * 8);
    QCOMPARE(figure(result, "received"), figure(result, "expected"));
    QCOMPARE(figure(result, "missing"), 0);
    QCOMPARE(figure(result, "duplicates"), 0);
    QCOMPARE(figure(result, "order_violations"), 0);
    QCOMPARE(figure(result, "sequence_violations"), 0);
    QCOMPARE(figure(result, "misrouted"), 0);
    QCOMPARE(figure(result, "connections_lost"), 0);

    const QJsonObject same = result.value(QStringLiteral("same_node")).toObject();
    const QJsonObject cross = result.value(QStringLiteral("cross_node")).toObject();
    QVERIFY(!same.isEmpty());
    QVERIFY(!cross.isEmpty());
    // The split adds up to every delivery; with 4 of a room's 8 members on each node, each
    // message is due to 4 members on its sender's node (itself included) and 4 on the other.
    QCOMPARE(figure(same, "expected") + figure(cross, "expected"), figure(result, "expected"));
    QCOMPARE(figure(same, "received") + figure(cross, "received"), figure(result, "received"));
    QCOMPARE(figure(same, "expected"), figure(result, "expected") / 2);
    QCOMPARE(figure(same, "missing"), 0);
    QCOMPARE(figure(cross, "missing"), 0);
    const double delivered = result.value(QStringLiteral("delivered_per_s")).toDouble();
    QVERIFY(delivered > 0);
    QVERIFY(qAbs(same.value(QStringLiteral("delivered_per_s")).toDouble() +
                 cross.value(QStringLiteral("delivered_per_s")).toDouble() - delivered) <
            1e-6 * delivered);
    for (const QJsonObject &kind : {same, cross}) {
        const QJsonObject latency = kind.value(QStringLiteral("latency_ms")).toObject();
        QVERIFY(latency.value(QStringLiteral("p50")).toDouble() > 0);
        QVERIFY(latency.value(QStringLiteral("p99")).toDouble() >=
                latency.value(QStringLiteral("p50")).toDouble());
        QVERIFY(latency.value(QStringLiteral("max")).toDouble() >=
                latency.value(QStringLiteral("p99")).toDouble());
    }
    QCOMPARE(server.terminate(), 0);
}

void TestFlackBench::helpExplainsClusters()
{
    QProcess bench;
    bench.start(QStringLiteral(FLACK_BENCH_BINARY), {QStringLiteral("--help")});
    QVERIFY(bench.waitForFinished(10000));
    QCOMPARE(bench.exitCode(), 0);
    const QString help = QString::fromUtf8(bench.readAllStandardOutput());
    QVERIFY2(help.contains(QStringLiteral("comma-separated")), qPrintable(help));
    QVERIFY2(help.contains(QStringLiteral("cross-node")), qPrintable(help));
}

void TestFlackBench::badUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no scenario") << QStringList{QStringLiteral(
                                        "--url=ws://127.0.0.1:1/chat-server")}
                                 << QStringLiteral("scenario");
    QTest::newRow("unknown scenario")
        << QStringList{QStringLiteral("stampede"), QStringLiteral("--url=ws://127.0.0.1:1/x")}
        << QStringLiteral("unknown scenario: stampede");
    QTest::newRow("host name") << QStringList{QStringLiteral("fanout"),
                                              QStringLiteral("--url=ws://example.org:80/x")}
                               << QStringLiteral("IPv4");
    QTest::newRow("senders above members")
        << QStringList{QStringLiteral("fanout"), QStringLiteral("--url=ws://127.0.0.1:1/x"),
                       QStringLiteral("--members=2"), QStringLiteral("--senders=3")}
        << QStringLiteral("--senders");
    QTest::newRow("too many connections")
        << QStringList{QStringLiteral("connections"), QStringLiteral("--url=ws://127.0.0.1:1/x"),
                       QStringLiteral("--connections=5000000")}
        << QStringLiteral("open files");
    QTest::newRow("connections over two nodes")
        << QStringList{QStringLiteral("connections"),
                       QStringLiteral("--url=ws://127.0.0.1:1/x,ws://127.0.0.1:2/x")}
        << QStringLiteral("fanout and ramp only");
    QTest::newRow("soak on two threads")
        << QStringList{QStringLiteral("soak"), QStringLiteral("--url=ws://127.0.0.1:1/x"),
                       QStringLiteral("--threads=2")}
        << QStringLiteral("--threads must be 1");
    QTest::newRow("flood in two rooms")
        << QStringList{QStringLiteral("flood"), QStringLiteral("--url=ws://127.0.0.1:1/x"),
                       QStringLiteral("--rooms=2")}
        << QStringLiteral("--rooms must be 1");
}

void TestFlackBench::badUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    QProcess bench;
    bench.setProcessChannelMode(QProcess::MergedChannels);
    bench.start(QStringLiteral(FLACK_BENCH_BINARY), arguments);
    QVERIFY(bench.waitForFinished(10000));
    QVERIFY(bench.exitCode() != 0);
    const QString output = QString::fromUtf8(bench.readAll());
    QVERIFY2(output.contains(mentions), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestFlackBench)
#include "tst_flackbench.moc"
