#include "tools/bench/benchrunner.h"

#include "tools/core/procstat.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QSysInfo>
#include <QTextStream>

#include <cmath>
#include <thread>

#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

namespace flack::tools {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::int64_t seconds(double s)
{
    return std::int64_t(s * double(kSecond));
}

double ms(std::int64_t ns)
{
    return double(ns) / 1e6;
}

double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QJsonObject errorsJson(const std::map<std::string, std::uint64_t> &errors)
{
    QJsonObject object;
    for (const auto &[text, count] : errors)
        object.insert(QString::fromStdString(text), double(count));
    return object;
}

std::uint64_t missingOf(std::uint64_t expected, std::uint64_t received)
{
    return expected > received ? expected - received : 0;
}

QJsonObject deliveriesJson(const BenchStats::Deliveries &deliveries, double wall)
{
    QJsonObject object;
    object.insert(QStringLiteral("expected"), double(deliveries.expected));
    object.insert(QStringLiteral("received"), double(deliveries.received));
    object.insert(QStringLiteral("missing"),
                  double(missingOf(deliveries.expected, deliveries.received)));
    object.insert(QStringLiteral("delivered_per_s"), double(deliveries.deliveredInWindow) / wall);
    QJsonObject latency;
    latency.insert(QStringLiteral("p50"), ms(deliveries.latency.percentile(50)));
    latency.insert(QStringLiteral("p99"), ms(deliveries.latency.percentile(99)));
    latency.insert(QStringLiteral("max"), ms(deliveries.latency.max()));
    object.insert(QStringLiteral("latency_ms"), latency);
    return object;
}

void printDeliveries(const char *kind, const BenchStats::Deliveries &deliveries, double wall)
{
    out() << "  " << kind << ": delivered " << qint64(double(deliveries.deliveredInWindow) / wall)
          << "/s, expected " << deliveries.expected << ", received " << deliveries.received
          << ", missing " << missingOf(deliveries.expected, deliveries.received)
          << "; latency ms p50 " << ms(deliveries.latency.percentile(50)) << " p99 "
          << ms(deliveries.latency.percentile(99)) << " max " << ms(deliveries.latency.max())
          << Qt::endl;
}

} // namespace

BenchRunner::BenchRunner(BenchOptions options) : m_options(std::move(options)) {}

BenchRunner::~BenchRunner() = default;

void BenchRunner::parallel(const std::function<void(BenchWorker &)> &job)
{
    if (m_workers.size() == 1) {
        job(*m_workers.front());
        return;
    }
    std::vector<std::thread> threads;
    for (auto &worker : m_workers)
        threads.emplace_back([&job, &worker] { job(*worker); });
    for (std::thread &thread : threads)
        thread.join();
}

bool BenchRunner::prepare(int connections)
{
    // Every connection is a file descriptor: raise the soft limit to the hard one.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    if (rlim_t(connections) + 64 > limit.rlim_cur) {
        m_error = QStringLiteral("%1 connections need more open files than the limit of %2")
                      .arg(connections)
                      .arg(qulonglong(limit.rlim_cur));
        return false;
    }

    m_target = std::make_unique<BenchTarget>();
    BenchTarget &target = *m_target;
    target.sourceAddresses = m_options.sourceAddresses;
    target.chatPrefix = m_options.chatPrefix;
    target.messageBytes = m_options.messageBytes;
    target.sendersPerRoom =
        m_options.scenario == BenchOptions::Scenario::Connections ? 0 : m_options.senders;

    // One key for all connections: the handshake is not what is measured.
    const QByteArray key = QByteArray("flack-bench-key!").toBase64();
    target.expectedAccept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                     QCryptographicHash::Sha1)
                                .toBase64()
                                .toStdString();
    for (const BenchOptions::Node &option : m_options.nodes) {
        BenchTarget::Node node;
        node.address.sin_family = AF_INET;
        node.address.sin_port = htons(option.port);
        inet_pton(AF_INET, option.host.c_str(), &node.address.sin_addr);
        node.upgradeRequest = "GET " + option.path + " HTTP/1.1\r\nHost: " + option.host + ":" +
                              std::to_string(option.port) +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: " +
                              key.toStdString() + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        target.nodes.push_back(std::move(node));
    }

    for (int i = 0; i < m_options.threads; ++i)
        m_workers.push_back(std::make_unique<BenchWorker>(target));
    return true;
}

bool BenchRunner::connectAll(QJsonObject &connectReport)
{
    const std::int64_t start = BenchWorker::nowNs();
    const std::int64_t deadline = start + seconds(m_options.connectTimeout);
    const int perWorker = std::max(1, m_options.connectConcurrency / int(m_workers.size()));
    parallel([&](BenchWorker &worker) { worker.connectAll(perWorker, deadline); });

    std::uint64_t ready = 0;
    std::uint64_t failed = 0;
    std::int64_t lastReady = start;
    BenchStats errors;
    const std::size_t nodes = m_target->nodes.size();
    m_target->roomMembers.assign(std::size_t(m_options.rooms), 0);
    m_target->roomNodeMembers.assign(m_target->cluster() ? std::size_t(m_options.rooms) * nodes : 0,
                                     0);
    std::vector<std::uint32_t> nodeJoined(nodes, 0);
    std::vector<std::uint32_t> nodeFailed(nodes, 0);
    for (auto &worker : m_workers) {
        ready += worker->readyCount();
        failed += worker->failedCount();
        lastReady = std::max(lastReady, worker->lastReadyNs());
        errors.merge(worker->stats());
        for (const BenchConnection &c : worker->connections()) {
            // The flooder receives too, but deliveries are counted to the members only.
            if (c.state == BenchConnection::State::Ready && !c.flooder) {
                ++m_target->roomMembers[c.room];
                ++nodeJoined[c.node];
                if (m_target->cluster())
                    ++m_target->roomNodeMembers[c.room * nodes + c.node];
            } else if (c.state == BenchConnection::State::Failed) {
                ++nodeFailed[c.node];
            }
        }
    }
    const double elapsed = double(lastReady - start) / 1e9;
    connectReport.insert(QStringLiteral("requested"), double(ready + failed));
    connectReport.insert(QStringLiteral("joined"), double(ready));
    connectReport.insert(QStringLiteral("failed"), double(failed));
    connectReport.insert(QStringLiteral("seconds"), elapsed);
    connectReport.insert(QStringLiteral("per_second"), elapsed > 0 ? double(ready) / elapsed : 0.0);
    connectReport.insert(QStringLiteral("errors"), errorsJson(errors.errors));
    out() << "connected " << ready << " of " << (ready + failed) << " in " << elapsed << " s ("
          << (elapsed > 0 ? double(ready) / elapsed : 0.0) << "/s), " << failed << " failed"
          << Qt::endl;
    if (m_target->cluster()) {
        QJsonArray perNode;
        for (std::size_t i = 0; i < nodes; ++i) {
            QJsonObject node;
            node.insert(QStringLiteral("url"), QString::fromStdString(m_options.nodes[i].url));
            node.insert(QStringLiteral("joined"), double(nodeJoined[i]));
            node.insert(QStringLiteral("failed"), double(nodeFailed[i]));
            perNode.append(node);
            out() << "  node " << (i + 1) << " " << QString::fromStdString(m_options.nodes[i].url)
                  << ": " << nodeJoined[i] << " joined, " << nodeFailed[i] << " failed" << Qt::endl;
        }
        connectReport.insert(QStringLiteral("per_node"), perNode);
    }
    for (const auto &[text, count] : errors.errors)
        out() << "  " << count << " x " << QString::fromStdString(text) << Qt::endl;
    return failed == 0;
}

QJsonObject BenchRunner::trafficStep(double rate, double warmup, double duration, bool flood)
{
    const std::int64_t start = BenchWorker::nowNs();
    const std::int64_t windowFrom = start + seconds(warmup);
    const std::int64_t windowTo = windowFrom + seconds(duration);
    m_target->measuredReceived.store(0);
    for (auto &worker : m_workers)
        worker->startStep(start, rate, windowFrom, windowTo, flood ? windowFrom : 0);

    parallel([&](BenchWorker &worker) { worker.run(windowFrom, true); });
    const ProcStat::Sample serverBefore =
        m_options.serverPid ? ProcStat::read(m_options.serverPid) : ProcStat::Sample{};
    const double cpuBefore = processCpuSeconds();
    const std::int64_t measureStart = BenchWorker::nowNs();
    parallel([&](BenchWorker &worker) { worker.run(windowTo, true); });
    const std::int64_t measureEnd = BenchWorker::nowNs();
    const double cpuAfter = processCpuSeconds();
    const ProcStat::Sample serverAfter =
        m_options.serverPid ? ProcStat::read(m_options.serverPid) : ProcStat::Sample{};

    std::uint64_t expected = 0;
    for (auto &worker : m_workers)
        expected += worker->stats().expected;
    const std::int64_t drainStart = BenchWorker::nowNs();
    parallel([&](BenchWorker &worker) {
        worker.drain(drainStart + seconds(m_options.drainTimeout), expected);
    });
    const std::int64_t drainEnd = BenchWorker::nowNs();

    BenchStats stats;
    for (auto &worker : m_workers)
        stats.merge(worker->stats());
    const double wall = double(measureEnd - measureStart) / 1e9;
    const std::uint64_t missing = missingOf(stats.expected, stats.received);
    const double benchCpu = (cpuAfter - cpuBefore) / wall * 100.0;

    QJsonObject step;
    step.insert(QStringLiteral("rate_per_sender"), rate);
    step.insert(QStringLiteral("seconds"), wall);
    step.insert(QStringLiteral("sent"), double(stats.sentMeasured));
    step.insert(QStringLiteral("expected"), double(stats.expected));
    step.insert(QStringLiteral("received"), double(stats.received));
    step.insert(QStringLiteral("missing"), double(missing));
    step.insert(QStringLiteral("duplicates"), double(stats.duplicates));
    step.insert(QStringLiteral("order_violations"), double(stats.orderViolations));
    step.insert(QStringLiteral("sequence_violations"), double(stats.sequenceViolations));
    step.insert(QStringLiteral("misrouted"), double(stats.misrouted));
    step.insert(QStringLiteral("foreign_messages"), double(stats.foreignMessages));
    step.insert(QStringLiteral("connections_lost"), double(stats.closed));
    step.insert(QStringLiteral("offered_per_s"), double(stats.expected) / wall);
    step.insert(QStringLiteral("delivered_per_s"), double(stats.deliveredInWindow) / wall);
    step.insert(QStringLiteral("drain_seconds"), double(drainEnd - drainStart) / 1e9);
    QJsonObject latency;
    latency.insert(QStringLiteral("p50"), ms(stats.latency.percentile(50)));
    latency.insert(QStringLiteral("p90"), ms(stats.latency.percentile(90)));
    latency.insert(QStringLiteral("p99"), ms(stats.latency.percentile(99)));
    latency.insert(QStringLiteral("p99_9"), ms(stats.latency.percentile(99.9)));
    latency.insert(QStringLiteral("max"), ms(stats.latency.max()));
    latency.insert(QStringLiteral("mean"), stats.latency.mean() / 1e6);
    step.insert(QStringLiteral("latency_ms"), latency);
    step.insert(QStringLiteral("bench_cpu_percent"), benchCpu);
    // One worker thread can use at most one core: near that, the bench is the bottleneck and
    // the figure is only a lower bound of what the server can do.
    const bool benchSaturated = benchCpu >= 90.0 * double(m_workers.size());
    step.insert(QStringLiteral("bench_saturated"), benchSaturated);
    if (serverBefore.ok && serverAfter.ok) {
        const double serverCpu = serverAfter.cpuSeconds - serverBefore.cpuSeconds;
        step.insert(QStringLiteral("server_cpu_percent"), serverCpu / wall * 100.0);
        if (stats.deliveredInWindow > 0)
            step.insert(QStringLiteral("server_cpu_ms_per_1000_deliveries"),
                        serverCpu * 1000.0 / double(stats.deliveredInWindow) * 1000.0);
        step.insert(QStringLiteral("server_rss_bytes"), double(serverAfter.rssBytes));
    }
    if (m_target->cluster()) {
        step.insert(QStringLiteral("same_node"), deliveriesJson(stats.sameNode, wall));
        step.insert(QStringLiteral("cross_node"), deliveriesJson(stats.crossNode, wall));
    }
    if (!stats.errors.empty())
        step.insert(QStringLiteral("errors"), errorsJson(stats.errors));
    if (flood) {
        // Flood and soak run one worker (BenchOptions), so the flooder is the first's.
        const BenchWorker::FloodOutcome &outcome = m_workers.front()->floodOutcome();
        const auto after = [windowFrom](std::int64_t ns) {
            return ns ? QJsonValue(double(ns - windowFrom) / 1e9) : QJsonValue();
        };
        // Connected from the start of the window until closed, or to the window's end.
        const std::int64_t connectedUntil =
            outcome.closedNs ? std::min(outcome.closedNs, windowTo) : windowTo;
        const double connected = double(connectedUntil - windowFrom) / 1e9;
        const double members = double(m_options.members);
        // Each accepted message reaches every member once: deliveries / members.
        const double accepted = double(stats.floodDelivered) / members;
        QJsonObject flooder;
        flooder.insert(QStringLiteral("sent"), double(stats.floodSent));
        flooder.insert(QStringLiteral("deliveries_to_members"), double(stats.floodDelivered));
        flooder.insert(QStringLiteral("accepted_messages"), accepted);
        flooder.insert(QStringLiteral("accepted_per_s"), accepted / wall);
        flooder.insert(QStringLiteral("connected_seconds"), connected);
        flooder.insert(QStringLiteral("accepted_per_s_while_connected"),
                       connected > 0 ? accepted / connected : 0.0);
        flooder.insert(QStringLiteral("limited"), outcome.errorCode == "CHAT_LIMIT-005");
        flooder.insert(QStringLiteral("error_code"), QString::fromStdString(outcome.errorCode));
        flooder.insert(QStringLiteral("error_after_s"), after(outcome.errorNs));
        flooder.insert(QStringLiteral("closed"), outcome.closedNs != 0);
        flooder.insert(QStringLiteral("closed_after_s"), after(outcome.closedNs));
        flooder.insert(QStringLiteral("close_code"), outcome.closeCode);
        flooder.insert(QStringLiteral("close_reason"), QString::fromStdString(outcome.closeReason));
        if (m_options.floodReconnect) {
            flooder.insert(QStringLiteral("reconnects"), double(outcome.reconnects));
            flooder.insert(QStringLiteral("limited_connections"),
                           double(outcome.limitedConnections));
        }
        step.insert(QStringLiteral("flooder"), flooder);
        QJsonObject whileFlooding;
        whileFlooding.insert(QStringLiteral("count"), double(stats.latencyWhileFlooding.count()));
        whileFlooding.insert(QStringLiteral("p50"), ms(stats.latencyWhileFlooding.percentile(50)));
        whileFlooding.insert(QStringLiteral("p99"), ms(stats.latencyWhileFlooding.percentile(99)));
        whileFlooding.insert(QStringLiteral("max"), ms(stats.latencyWhileFlooding.max()));
        step.insert(QStringLiteral("latency_while_flooder_connected_ms"), whileFlooding);
    }

    out() << "rate " << rate << "/s per sender: delivered "
          << qint64(stats.deliveredInWindow / wall) << "/s (offered "
          << qint64(double(stats.expected) / wall) << "/s), expected " << stats.expected
          << ", received " << stats.received << ", missing " << missing << ", dup "
          << stats.duplicates << ", order " << stats.orderViolations << ", seq "
          << stats.sequenceViolations << "; latency ms p50 " << ms(stats.latency.percentile(50))
          << " p90 " << ms(stats.latency.percentile(90)) << " p99 "
          << ms(stats.latency.percentile(99)) << " p99.9 " << ms(stats.latency.percentile(99.9))
          << " max " << ms(stats.latency.max()) << "; bench cpu " << qint64(benchCpu) << "%";
    if (step.contains(QStringLiteral("server_cpu_percent")))
        out() << ", server cpu "
              << qint64(step.value(QStringLiteral("server_cpu_percent")).toDouble()) << "%";
    if (benchSaturated)
        out() << " [bench saturated: lower bound]";
    out() << Qt::endl;
    if (m_target->cluster()) {
        printDeliveries("same-node", stats.sameNode, wall);
        printDeliveries("cross-node", stats.crossNode, wall);
    }
    if (flood) {
        const QJsonObject flooder = step.value(QStringLiteral("flooder")).toObject();
        const QJsonObject whileFlooding =
            step.value(QStringLiteral("latency_while_flooder_connected_ms")).toObject();
        out() << "  flooder: sent " << qint64(flooder.value(QStringLiteral("sent")).toDouble())
              << ", accepted "
              << qint64(flooder.value(QStringLiteral("accepted_messages")).toDouble()) << " ("
              << flooder.value(QStringLiteral("accepted_per_s")).toDouble()
              << "/s over the window, "
              << flooder.value(QStringLiteral("accepted_per_s_while_connected")).toDouble()
              << "/s while connected); ";
        if (flooder.value(QStringLiteral("error_code")).toString().isEmpty())
            out() << "no protocol_error";
        else
            out() << flooder.value(QStringLiteral("error_code")).toString() << " after "
                  << flooder.value(QStringLiteral("error_after_s")).toDouble() << " s";
        if (flooder.value(QStringLiteral("closed")).toBool())
            out() << ", closed after " << flooder.value(QStringLiteral("closed_after_s")).toDouble()
                  << " s (close code " << flooder.value(QStringLiteral("close_code")).toInt()
                  << ")";
        else
            out() << ", still connected";
        if (m_options.floodReconnect)
            out() << "; it came back " << flooder.value(QStringLiteral("reconnects")).toInteger()
                  << " times, " << flooder.value(QStringLiteral("limited_connections")).toInteger()
                  << " of its connections got CHAT_LIMIT-005";
        out() << Qt::endl;
        out() << "  members' latency while the flooder was connected: p50 "
              << whileFlooding.value(QStringLiteral("p50")).toDouble() << " ms, p99 "
              << whileFlooding.value(QStringLiteral("p99")).toDouble() << " ms ("
              << qint64(whileFlooding.value(QStringLiteral("count")).toDouble()) << " deliveries)"
              << Qt::endl;
    }
    return step;
}

bool BenchRunner::runFanout()
{
    const int total = m_options.rooms * m_options.members;
    if (!prepare(total))
        return false;
    for (int i = 0; i < total; ++i) {
        const int room = i / m_options.members;
        const int member = i % m_options.members;
        const int sender = member < m_options.senders ? room * m_options.senders + member : -1;
        const auto node = std::uint32_t(m_options.nodeOfMember(room, member));
        if (sender >= 0 && m_target->cluster()) {
            if (m_target->senderNodes.size() <= std::size_t(sender))
                m_target->senderNodes.resize(std::size_t(sender) + 1);
            m_target->senderNodes[std::size_t(sender)] = node;
        }
        m_workers[std::size_t(i) % m_workers.size()]->addConnection(
            std::uint32_t(i), std::uint32_t(room), sender, node);
    }
    QJsonObject connectReport;
    const bool connected = connectAll(connectReport);
    m_report.insert(QStringLiteral("connect"), connectReport);
    if (!connected) {
        m_error = QStringLiteral("not every connection joined; see the connect errors");
        return false;
    }

    if (m_options.scenario == BenchOptions::Scenario::Fanout) {
        m_report.insert(QStringLiteral("result"),
                        trafficStep(m_options.rate, m_options.warmup, m_options.duration));
        return true;
    }
    return runRamp();
}

bool BenchRunner::runRamp()
{
    QJsonArray steps;
    QJsonObject best;
    QString stopReason = QStringLiteral("reached --max-steps");
    double rate = m_options.rate;
    for (int i = 0; i < m_options.maxSteps; ++i) {
        const QJsonObject step = trafficStep(rate, m_options.warmup, m_options.duration);
        steps.append(step);
        const double p99 = step.value(QStringLiteral("latency_ms"))
                               .toObject()
                               .value(QStringLiteral("p99"))
                               .toDouble();
        const double delivered = step.value(QStringLiteral("delivered_per_s")).toDouble();
        const double offered = step.value(QStringLiteral("offered_per_s")).toDouble();
        QString failure;
        if (p99 > m_options.p99BoundMs)
            failure = QStringLiteral("p99 %1 ms above the bound of %2 ms")
                          .arg(p99)
                          .arg(m_options.p99BoundMs);
        else if (step.value(QStringLiteral("missing")).toDouble() > 0)
            failure = QStringLiteral("deliveries missing after the drain");
        else if (delivered < 0.95 * offered)
            failure = QStringLiteral("deliveries fell behind (%1/s of %2/s offered)")
                          .arg(qint64(delivered))
                          .arg(qint64(offered));
        else if (step.value(QStringLiteral("connections_lost")).toDouble() > 0)
            failure = QStringLiteral("connections lost");
        if (!failure.isEmpty()) {
            stopReason =
                QStringLiteral("step %1 at %2/s per sender: ").arg(i + 1).arg(rate) + failure;
            break;
        }
        if (delivered > best.value(QStringLiteral("delivered_per_s")).toDouble())
            best = step;
        rate *= m_options.rampFactor;
    }
    out() << "ramp stopped: " << stopReason << Qt::endl;
    out() << "highest sustained: "
          << qint64(best.value(QStringLiteral("delivered_per_s")).toDouble()) << " deliveries/s"
          << Qt::endl;
    m_report.insert(QStringLiteral("steps"), steps);
    m_report.insert(QStringLiteral("stop_reason"), stopReason);
    m_report.insert(QStringLiteral("best"), best);
    m_report.insert(QStringLiteral("highest_sustained_delivered_per_s"),
                    best.value(QStringLiteral("delivered_per_s")).toDouble());
    return true;
}

bool BenchRunner::runConnections()
{
    const int total = m_options.connections;
    if (!prepare(total))
        return false;
    for (int i = 0; i < total; ++i)
        m_workers[std::size_t(i) % m_workers.size()]->addConnection(
            std::uint32_t(i), std::uint32_t(i % m_options.rooms), -1);

    const ProcStat::Sample before =
        m_options.serverPid ? ProcStat::read(m_options.serverPid) : ProcStat::Sample{};
    QJsonObject connectReport;
    connectAll(connectReport);
    m_report.insert(QStringLiteral("connect"), connectReport);
    const ProcStat::Sample joined =
        m_options.serverPid ? ProcStat::read(m_options.serverPid) : ProcStat::Sample{};

    const double cpuBefore = processCpuSeconds();
    const std::int64_t holdStart = BenchWorker::nowNs();
    const std::int64_t holdEnd = holdStart + seconds(m_options.duration);
    for (auto &worker : m_workers)
        worker->startStep(holdStart, 0, holdStart, holdEnd);
    parallel([&](BenchWorker &worker) { worker.run(holdEnd, false); });
    const double holdSeconds = double(BenchWorker::nowNs() - holdStart) / 1e9;
    const double benchCpu = (processCpuSeconds() - cpuBefore) / holdSeconds * 100.0;

    // Survival is proven, not assumed: every connection must still answer a ping.
    const std::int64_t pingDeadline = BenchWorker::nowNs() + seconds(30);
    std::uint64_t survived = 0;
    std::uint64_t lost = 0;
    for (auto &worker : m_workers)
        lost += worker->stats().closed;
    std::vector<std::uint32_t> answered(m_workers.size(), 0);
    std::size_t index = 0;
    for (auto &worker : m_workers)
        answered[index++] = worker->pingAll(pingDeadline);
    for (std::uint32_t n : answered)
        survived += n;
    const ProcStat::Sample after =
        m_options.serverPid ? ProcStat::read(m_options.serverPid) : ProcStat::Sample{};

    const double requested = connectReport.value(QStringLiteral("requested")).toDouble();
    const double joinedCount = connectReport.value(QStringLiteral("joined")).toDouble();
    QJsonObject result;
    result.insert(QStringLiteral("connections"), requested);
    result.insert(QStringLiteral("joined"), joinedCount);
    result.insert(QStringLiteral("failed"), connectReport.value(QStringLiteral("failed")));
    result.insert(QStringLiteral("connect_per_second"),
                  connectReport.value(QStringLiteral("per_second")));
    result.insert(QStringLiteral("held_seconds"), holdSeconds);
    result.insert(QStringLiteral("lost_during_hold"), double(lost));
    result.insert(QStringLiteral("survived"), double(survived));
    result.insert(QStringLiteral("all_survived"), survived == std::uint64_t(requested));
    result.insert(QStringLiteral("bench_cpu_percent_while_holding"), benchCpu);
    if (before.ok && joined.ok && after.ok) {
        result.insert(QStringLiteral("server_rss_before_bytes"), double(before.rssBytes));
        result.insert(QStringLiteral("server_rss_joined_bytes"), double(joined.rssBytes));
        result.insert(QStringLiteral("server_rss_after_hold_bytes"), double(after.rssBytes));
        if (joinedCount > 0)
            result.insert(QStringLiteral("server_rss_per_connection_bytes"),
                          double(after.rssBytes - before.rssBytes) / joinedCount);
        result.insert(QStringLiteral("server_cpu_seconds_total"),
                      after.cpuSeconds - before.cpuSeconds);
    }
    m_report.insert(QStringLiteral("result"), result);
    out() << "held " << qint64(joinedCount) << " joined connections for " << holdSeconds
          << " s: " << survived << " answered a ping afterwards, " << lost << " lost";
    if (result.contains(QStringLiteral("server_rss_per_connection_bytes")))
        out() << "; server RSS " << (before.rssBytes / 1024) << " KB -> " << (after.rssBytes / 1024)
              << " KB = "
              << result.value(QStringLiteral("server_rss_per_connection_bytes")).toDouble() / 1024.0
              << " KB per connection";
    out() << Qt::endl;
    return true;
}

bool BenchRunner::runFlood()
{
    // Members 0..M-1 of room 0 send on schedule; the flooder is one more member, with the
    // next sender number so receivers tell its messages apart.
    const int members = m_options.members;
    if (!prepare(members + 1))
        return false;
    m_target->sendersPerRoom = members + 1;
    m_target->floodSender = members;
    m_target->floodReconnect = m_options.floodReconnect;
    BenchWorker &worker = *m_workers.front();
    for (int i = 0; i < members; ++i)
        worker.addConnection(std::uint32_t(i), 0, i);
    worker.addFlooder(std::uint32_t(members), 0, members);
    QJsonObject connectReport;
    const bool connected = connectAll(connectReport);
    m_report.insert(QStringLiteral("connect"), connectReport);
    if (!connected) {
        m_error = QStringLiteral("not every connection joined; see the connect errors");
        return false;
    }

    out() << "baseline (" << members << " members at " << m_options.rate
          << " msgs/s each, the flooder quiet):" << Qt::endl;
    const QJsonObject baseline = trafficStep(m_options.rate, m_options.warmup, m_options.duration);
    out() << "flood (the same, the flooder sending as fast as its socket takes):" << Qt::endl;
    const QJsonObject flood =
        trafficStep(m_options.rate, m_options.warmup, m_options.duration, true);
    m_report.insert(QStringLiteral("baseline"), baseline);
    m_report.insert(QStringLiteral("flood"), flood);

    const auto latency = [](const QJsonObject &step, const char *key, const char *which) {
        return step.value(QLatin1StringView(key))
            .toObject()
            .value(QLatin1StringView(which))
            .toDouble();
    };
    const double baseP99 = latency(baseline, "latency_ms", "p99");
    const double floodP99 = latency(flood, "latency_ms", "p99");
    const double whileP99 = latency(flood, "latency_while_flooder_connected_ms", "p99");
    const double missing = baseline.value(QStringLiteral("missing")).toDouble() +
                           flood.value(QStringLiteral("missing")).toDouble();
    const double ratio = baseP99 > 0 ? floodP99 / baseP99 : 0;
    const double whileRatio = baseP99 > 0 ? whileP99 / baseP99 : 0;
    QJsonObject summary;
    summary.insert(QStringLiteral("baseline_p50_ms"), latency(baseline, "latency_ms", "p50"));
    summary.insert(QStringLiteral("baseline_p99_ms"), baseP99);
    summary.insert(QStringLiteral("flood_p50_ms"), latency(flood, "latency_ms", "p50"));
    summary.insert(QStringLiteral("flood_p99_ms"), floodP99);
    summary.insert(QStringLiteral("p99_ratio"), ratio);
    summary.insert(QStringLiteral("p99_while_flooder_connected_ms"), whileP99);
    summary.insert(QStringLiteral("p99_ratio_while_flooder_connected"), whileRatio);
    // The target: the members' p99 with the flooder at most twice what it is without.
    summary.insert(QStringLiteral("target_met"), ratio <= 2.0 && whileRatio <= 2.0);
    summary.insert(QStringLiteral("members_missing"), missing);
    summary.insert(QStringLiteral("flooder"), flood.value(QStringLiteral("flooder")));
    m_report.insert(QStringLiteral("summary"), summary);
    out() << "members' p99: " << baseP99 << " ms without the flooder, " << floodP99
          << " ms with it (x" << ratio << "; x" << whileRatio
          << " while it was connected), target x2: "
          << (ratio <= 2.0 && whileRatio <= 2.0 ? "met" : "missed")
          << "; members' deliveries missing: " << qint64(missing) << Qt::endl;
    return true;
}

bool BenchRunner::runSoak()
{
    // Every connection sends; room r holds connections r*P .. r*P+P-1 so a sender's room is
    // its number / P, as the receivers check.
    const int total = m_options.connections;
    const int perRoom = (total + m_options.rooms - 1) / m_options.rooms;
    m_options.rooms = (total + perRoom - 1) / perRoom;
    if (!prepare(total))
        return false;
    m_target->sendersPerRoom = perRoom;
    m_target->skipMissedSends = true;
    BenchWorker &worker = *m_workers.front();
    for (int i = 0; i < total; ++i)
        worker.addConnection(std::uint32_t(i), std::uint32_t(i / perRoom), i);

    const int pid = m_options.serverPid;
    const ProcStat::Sample before = pid ? ProcStat::read(pid) : ProcStat::Sample{};
    QJsonObject connectReport;
    const bool connected = connectAll(connectReport);
    m_report.insert(QStringLiteral("connect"), connectReport);
    if (!connected) {
        m_error = QStringLiteral("not every connection joined; see the connect errors");
        return false;
    }

    const std::int64_t start = BenchWorker::nowNs();
    const std::int64_t end = start + seconds(m_options.duration);
    worker.startStep(start, m_options.rate, start, end);
    worker.startChurn(m_options.churn, start);
    const double cpuBefore = processCpuSeconds();

    QJsonArray series;
    std::vector<std::pair<double, double>> rss; // (s since start, bytes)
    std::uint64_t lastDelivered = 0;
    std::uint64_t lastChurned = 0;
    double lastT = 0;
    double lastServerCpu = -1;
    const auto sample = [&](std::int64_t now) {
        const double t = double(now - start) / 1e9;
        const BenchStats &stats = worker.stats();
        QJsonObject point;
        point.insert(QStringLiteral("t"), t);
        const double interval = t - lastT;
        const double deliveredPerS =
            interval > 0 ? double(stats.deliveredInWindow - lastDelivered) / interval : 0.0;
        point.insert(QStringLiteral("delivered_per_s"), deliveredPerS);
        point.insert(QStringLiteral("churned"), double(stats.churned - lastChurned));
        point.insert(QStringLiteral("joined"), double(worker.readyCount()));
        // This interval's latency; the worker is idle between run() slices, so it is cleared
        // here for the next.
        const LatencyHistogram interval_ = stats.intervalLatency;
        worker.stats().intervalLatency.clear();
        point.insert(QStringLiteral("latency_p50_ms"), ms(interval_.percentile(50)));
        point.insert(QStringLiteral("latency_p99_ms"), ms(interval_.percentile(99)));
        out() << "t " << qint64(t) << " s: joined " << worker.readyCount() << ", delivered "
              << qint64(deliveredPerS) << "/s, rejoined " << (stats.churned - lastChurned)
              << ", latency ms p50 " << ms(interval_.percentile(50)) << " p99 "
              << ms(interval_.percentile(99));
        if (pid) {
            const ProcStat::Sample now = ProcStat::read(pid);
            if (now.ok) {
                if (lastServerCpu >= 0 && interval > 0) {
                    const double cpu = (now.cpuSeconds - lastServerCpu) / interval * 100.0;
                    point.insert(QStringLiteral("server_cpu_percent"), cpu);
                    out() << ", server cpu " << qint64(cpu) << "%";
                }
                lastServerCpu = now.cpuSeconds;
                point.insert(QStringLiteral("server_rss_bytes"), double(now.rssBytes));
                rss.emplace_back(t, double(now.rssBytes));
                out() << ", server RSS "
                      << QString::number(double(now.rssBytes) / 1048576.0, 'f', 1) << " MB";
            } else {
                out() << ", server gone";
            }
        }
        out() << ", sequence gaps so far " << stats.sequenceGaps << Qt::endl;
        series.append(point);
        lastDelivered = stats.deliveredInWindow;
        lastChurned = stats.churned;
        lastT = t;
    };
    sample(start);
    for (std::int64_t next = start + seconds(m_options.sampleInterval);;
         next += seconds(m_options.sampleInterval)) {
        worker.run(std::min(next, end), true);
        sample(BenchWorker::nowNs());
        if (next >= end)
            break;
    }
    const double runSeconds = double(BenchWorker::nowNs() - start) / 1e9;
    const double benchCpu = (processCpuSeconds() - cpuBefore) / runSeconds * 100.0;
    const std::int64_t drainStart = BenchWorker::nowNs();
    worker.drainSoak(drainStart + seconds(std::max(m_options.drainTimeout, 10.0)));
    const double drainSeconds = double(BenchWorker::nowNs() - drainStart) / 1e9;

    const BenchStats &stats = worker.stats();
    const BenchWorker::SoakTally tally = worker.soakTally();
    const std::uint64_t lost = stats.sequenceGaps + tally.tailMissing + tally.unechoed;
    QJsonObject result;
    result.insert(QStringLiteral("connections"), total);
    result.insert(QStringLiteral("rooms"), m_options.rooms);
    result.insert(QStringLiteral("members_per_room"), perRoom);
    result.insert(QStringLiteral("seconds"), runSeconds);
    result.insert(QStringLiteral("sent"), double(stats.sentTotal));
    result.insert(QStringLiteral("received"), double(stats.deliveredInWindow));
    result.insert(QStringLiteral("delivered_per_s"), double(stats.deliveredInWindow) / runSeconds);
    result.insert(QStringLiteral("rejoined"), double(stats.churned));
    result.insert(QStringLiteral("rejoin_failures"), double(worker.failedCount()));
    result.insert(QStringLiteral("connections_lost"), double(stats.closed));
    result.insert(QStringLiteral("joined_at_end"), double(tally.ready));
    result.insert(QStringLiteral("sequence_gaps"), double(stats.sequenceGaps));
    result.insert(QStringLiteral("tail_missing"), double(tally.tailMissing));
    result.insert(QStringLiteral("unechoed"), double(tally.unechoed));
    result.insert(QStringLiteral("lost_messages"), double(lost));
    result.insert(QStringLiteral("duplicates"), double(stats.duplicates));
    result.insert(QStringLiteral("order_violations"), double(stats.orderViolations));
    result.insert(QStringLiteral("sequence_violations"), double(stats.sequenceViolations));
    result.insert(QStringLiteral("misrouted"), double(stats.misrouted));
    result.insert(QStringLiteral("drain_seconds"), drainSeconds);
    result.insert(QStringLiteral("bench_cpu_percent"), benchCpu);
    QJsonObject latency;
    latency.insert(QStringLiteral("p50"), ms(stats.latency.percentile(50)));
    latency.insert(QStringLiteral("p99"), ms(stats.latency.percentile(99)));
    latency.insert(QStringLiteral("max"), ms(stats.latency.max()));
    result.insert(QStringLiteral("latency_ms"), latency);
    if (!stats.errors.empty())
        result.insert(QStringLiteral("errors"), errorsJson(stats.errors));
    result.insert(QStringLiteral("series"), series);

    out() << "soak: " << total << " connections in " << m_options.rooms << " rooms for "
          << runSeconds << " s: sent " << stats.sentTotal << ", delivered "
          << stats.deliveredInWindow << ", rejoined " << stats.churned << " ("
          << worker.failedCount() << " failed), lost " << stats.closed << " connections; lost "
          << lost << " messages (" << stats.sequenceGaps << " in sequence gaps, "
          << tally.tailMissing << " at the tail, " << tally.unechoed << " never echoed), dup "
          << stats.duplicates << ", order " << stats.orderViolations << ", seq "
          << stats.sequenceViolations << "; latency ms p50 " << ms(stats.latency.percentile(50))
          << " p99 " << ms(stats.latency.percentile(99)) << Qt::endl;
    for (const auto &[text, count] : stats.errors)
        out() << "  " << count << " x " << QString::fromStdString(text) << Qt::endl;

    if (!rss.empty()) {
        QJsonObject memory;
        double maxRss = 0;
        for (const auto &point : rss)
            maxRss = std::max(maxRss, point.second);
        if (before.ok)
            memory.insert(QStringLiteral("before_connect_bytes"), double(before.rssBytes));
        memory.insert(QStringLiteral("first_bytes"), rss.front().second);
        memory.insert(QStringLiteral("last_bytes"), rss.back().second);
        memory.insert(QStringLiteral("max_bytes"), maxRss);
        // The trend after warm-up: the last third's mean against the first third's.
        std::vector<double> settled;
        for (const auto &point : rss)
            if (point.first >= m_options.warmup)
                settled.push_back(point.second);
        memory.insert(QStringLiteral("warmup_seconds"), m_options.warmup);
        memory.insert(QStringLiteral("settled_samples"), int(settled.size()));
        out() << "server RSS: first " << QString::number(rss.front().second / 1048576.0, 'f', 1)
              << " MB, last " << QString::number(rss.back().second / 1048576.0, 'f', 1)
              << " MB, max " << QString::number(maxRss / 1048576.0, 'f', 1) << " MB";
        if (settled.size() >= 3) {
            const std::size_t third = settled.size() / 3;
            double first = 0;
            double last = 0;
            for (std::size_t i = 0; i < third; ++i) {
                first += settled[i];
                last += settled[settled.size() - 1 - i];
            }
            first /= double(third);
            last /= double(third);
            const double growth = (last - first) / first * 100.0;
            // Flat: the last third at most 10 % above the first (allocator noise, churn's
            // buffers coming and going), a leak grows without bound instead.
            memory.insert(QStringLiteral("first_third_mean_bytes"), first);
            memory.insert(QStringLiteral("last_third_mean_bytes"), last);
            memory.insert(QStringLiteral("growth_percent"), growth);
            memory.insert(QStringLiteral("flat"), growth <= 10.0);
            out() << "; after the " << m_options.warmup << " s warm-up the last third's mean is "
                  << QString::number(growth, 'f', 1) << " % " << (growth >= 0 ? "above" : "below")
                  << " the first third's: " << (growth <= 10.0 ? "flat" : "NOT flat");
        } else {
            memory.insert(QStringLiteral("flat"), QJsonValue());
            out() << "; too few samples after the warm-up to judge the trend";
        }
        out() << Qt::endl;
        result.insert(QStringLiteral("server_rss"), memory);
    }
    m_report.insert(QStringLiteral("result"), result);
    return true;
}

bool BenchRunner::run()
{
    QJsonObject options;
    options.insert(QStringLiteral("scenario"),
                   QString::fromLatin1(BenchOptions::scenarioName(m_options.scenario)));
    options.insert(QStringLiteral("rooms"), m_options.rooms);
    options.insert(QStringLiteral("members"), m_options.members);
    options.insert(QStringLiteral("senders"), m_options.senders);
    options.insert(QStringLiteral("rate"), m_options.rate);
    options.insert(QStringLiteral("ramp_factor"), m_options.rampFactor);
    options.insert(QStringLiteral("p99_bound_ms"), m_options.p99BoundMs);
    options.insert(QStringLiteral("duration"), m_options.duration);
    options.insert(QStringLiteral("warmup"), m_options.warmup);
    options.insert(QStringLiteral("connections"), m_options.connections);
    options.insert(QStringLiteral("message_bytes"), m_options.messageBytes);
    options.insert(QStringLiteral("threads"), m_options.threads);
    options.insert(QStringLiteral("source_addresses"), m_options.sourceAddresses);
    if (m_options.scenario == BenchOptions::Scenario::Flood)
        options.insert(QStringLiteral("flood_reconnect"), m_options.floodReconnect);
    if (m_options.scenario == BenchOptions::Scenario::Soak) {
        options.insert(QStringLiteral("churn"), m_options.churn);
        options.insert(QStringLiteral("sample_interval"), m_options.sampleInterval);
    }
    if (m_options.nodes.size() > 1) {
        QJsonArray urls;
        for (const BenchOptions::Node &node : m_options.nodes)
            urls.append(QString::fromStdString(node.url));
        options.insert(QStringLiteral("urls"), urls);
    }
    m_report.insert(QStringLiteral("options"), options);
    m_report.insert(QStringLiteral("scenario"), options.value(QStringLiteral("scenario")));
    m_report.insert(QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    m_report.insert(QStringLiteral("host"), QSysInfo::machineHostName());
    m_report.insert(QStringLiteral("cpus"), int(std::thread::hardware_concurrency()));

    switch (m_options.scenario) {
    case BenchOptions::Scenario::Fanout:
    case BenchOptions::Scenario::Ramp:
        return runFanout();
    case BenchOptions::Scenario::Connections:
        return runConnections();
    case BenchOptions::Scenario::Flood:
        return runFlood();
    case BenchOptions::Scenario::Soak:
        return runSoak();
    }
    return false;
}

} // namespace flack::tools
