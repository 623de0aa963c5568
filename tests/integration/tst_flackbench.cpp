// flack-bench end to end against the real flack-server: a short fanout run must account for
// every delivery (nothing missing, duplicated, reordered or out of sequence), a small
// connections run must keep every connection alive, and bad usage must fail clearly.
// Speed is never asserted here; that is what docs/benchmarks.md is for.

#include "tests/support/serverprocess.h"

#include <QFile>
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
    void badUsage_data();
    void badUsage();

private:
    QJsonObject runBench(const QStringList &arguments, test::ServerProcess &server);
};

QJsonObject TestFlackBench::runBench(const QStringList &arguments, test::ServerProcess &server)
{
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("report.json"));
    QProcess bench;
    bench.setProcessChannelMode(QProcess::MergedChannels);
    bench.start(QStringLiteral(FLACK_BENCH_BINARY),
                arguments + QStringList{QStringLiteral("--url"), server.chatUrl().toString(),
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
