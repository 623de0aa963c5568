#include "tools/core/benchoptions.h"

#include <QCommandLineParser>
#include <QTextStream>
#include <QUrl>

#include <arpa/inet.h>
#include <type_traits>
#include <unistd.h>

namespace flack::tools {

const char *BenchOptions::scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Fanout:
        return "fanout";
    case Scenario::Connections:
        return "connections";
    case Scenario::Ramp:
        return "ramp";
    case Scenario::Flood:
        return "flood";
    case Scenario::Soak:
        return "soak";
    }
    return "?";
}

BenchOptions::ParseResult BenchOptions::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Flack load generator.\n"
        "  fanout       R rooms x M members, S senders per room at --rate msgs/s each, for\n"
        "               --duration s after --warmup s; reports deliveries, missing, duplicates,\n"
        "               order and sequence violations, delivered msgs/s and latency percentiles.\n"
        "  connections  --connections N joined round-robin to R rooms, held idle --duration s\n"
        "               (pinging every 20 s); reports connect rate, failures, survivors.\n"
        "  ramp         fanout, the rate multiplied by --ramp-factor each step until p99 exceeds\n"
        "               --p99-bound-ms or deliveries fall behind; reports the best sustained "
        "step.\n"
        "  flood        one room of --members normal members (default 50) each sending --rate\n"
        "               msgs/s (default 2), plus one flooder. A baseline phase, then the same\n"
        "               phase with the flooder sending as fast as its socket takes; reports the\n"
        "               members' latency p50/p99 in both, missing deliveries, the flooder's\n"
        "               accepted rate and whether and when it got CHAT_LIMIT-005.\n"
        "  soak         --connections (default 10000) in --rooms (default 500), each sending\n"
        "               --rate msgs/s (default 0.1) for --duration s (default 600) while\n"
        "               --churn of them (default 0.01 per second) disconnect and rejoin;\n"
        "               reports lost messages (by each room's sequence and each sender's echo)\n"
        "               and, with --server-pid, the server's RSS every --sample-interval s.\n"
        "A cluster is not a scenario of its own: give fanout or ramp one --url per node\n"
        "(comma-separated, or --url repeated). Each room's members are spread round-robin\n"
        "over the nodes (each room starting one node further, so its senders spread too),\n"
        "and each step also splits its deliveries by --url position into same-node (sender\n"
        "and receiver on the same --url) and cross-node: deliveries/s, missing, latency\n"
        "p50/p99/max. --server-pid then samples that one node's process only."));
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("fanout | connections | ramp | flood | soak"));
    const auto opt = [&](const QString &name, const QString &help, const QString &valueName,
                         const QString &def) {
        QCommandLineOption option(name, help, valueName, def);
        parser.addOption(option);
        return option;
    };
    const auto url =
        opt(QStringLiteral("url"),
            QStringLiteral("ws://IPv4:PORT/chat-server (required). For a cluster, one per node: "
                           "comma-separated or repeated (fanout, ramp)."),
            QStringLiteral("url"), {});
    const auto rooms = opt(QStringLiteral("rooms"), QStringLiteral("Rooms (default 10)."),
                           QStringLiteral("R"), QStringLiteral("10"));
    const auto members =
        opt(QStringLiteral("members"), QStringLiteral("Members per room (default 50)."),
            QStringLiteral("M"), QStringLiteral("50"));
    const auto senders =
        opt(QStringLiteral("senders"), QStringLiteral("Senders per room (default 5)."),
            QStringLiteral("S"), QStringLiteral("5"));
    const auto rate = opt(QStringLiteral("rate"),
                          QStringLiteral("Messages/s per sender; ramp's first step (default 20)."),
                          QStringLiteral("X"), QStringLiteral("20"));
    const auto factor = opt(QStringLiteral("ramp-factor"),
                            QStringLiteral("Ramp rate factor per step (default 1.5)."),
                            QStringLiteral("F"), QStringLiteral("1.5"));
    const auto maxSteps =
        opt(QStringLiteral("max-steps"), QStringLiteral("Ramp steps at most (default 12)."),
            QStringLiteral("N"), QStringLiteral("12"));
    const auto bound =
        opt(QStringLiteral("p99-bound-ms"), QStringLiteral("Ramp p99 bound (default 50)."),
            QStringLiteral("ms"), QStringLiteral("50"));
    const auto duration =
        opt(QStringLiteral("duration"),
            QStringLiteral("Seconds measured per run/step, or held (default 10)."),
            QStringLiteral("s"), QStringLiteral("10"));
    const auto warmup = opt(QStringLiteral("warmup"),
                            QStringLiteral("Seconds of unmeasured traffic first (default 2)."),
                            QStringLiteral("s"), QStringLiteral("2"));
    const auto drain =
        opt(QStringLiteral("drain-timeout"),
            QStringLiteral("Seconds to wait for outstanding deliveries (default 5)."),
            QStringLiteral("s"), QStringLiteral("5"));
    const auto connectionCount =
        opt(QStringLiteral("connections"),
            QStringLiteral("Connections (connections scenario, default 15000)."),
            QStringLiteral("N"), QStringLiteral("15000"));
    const auto bytes = opt(QStringLiteral("message-bytes"),
                           QStringLiteral("Chat message text size (default 100)."),
                           QStringLiteral("n"), QStringLiteral("100"));
    const auto threadCount =
        opt(QStringLiteral("threads"), QStringLiteral("Event-loop threads (default 1)."),
            QStringLiteral("n"), QStringLiteral("1"));
    const auto sources = opt(
        QStringLiteral("source-addresses"),
        QStringLiteral("Spread connections over 127.0.0.2..127.0.0.(K+1) (default 0: no bind)."),
        QStringLiteral("K"), QStringLiteral("0"));
    const auto concurrency =
        opt(QStringLiteral("connect-concurrency"),
            QStringLiteral("Handshakes in flight at once (default 32: more overflow a listen "
                           "backlog of 50, and dropped SYNs cost 1 s retransmits)."),
            QStringLiteral("n"), QStringLiteral("32"));
    const auto connectTimeoutOption =
        opt(QStringLiteral("connect-timeout"),
            QStringLiteral("Seconds for all connections to join (default 60)."),
            QStringLiteral("s"), QStringLiteral("60"));
    const auto pid = opt(QStringLiteral("server-pid"),
                         QStringLiteral("Sample this process's CPU time and RSS from /proc."),
                         QStringLiteral("pid"), QStringLiteral("0"));
    const auto json =
        opt(QStringLiteral("json"), QStringLiteral("Write every figure to this JSON file."),
            QStringLiteral("file"), {});
    const auto prefix =
        opt(QStringLiteral("chat-prefix"),
            QStringLiteral("Chat name prefix (default bench<pid>-)."), QStringLiteral("text"), {});
    const auto churnOption =
        opt(QStringLiteral("churn"),
            QStringLiteral("Soak: fraction of the connections that disconnect and rejoin each "
                           "second (default 0.01)."),
            QStringLiteral("f"), QStringLiteral("0.01"));
    const auto sampleOption =
        opt(QStringLiteral("sample-interval"),
            QStringLiteral("Soak: seconds between samples of the server's RSS (default 10)."),
            QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption floodReconnectOption(
        QStringLiteral("flood-reconnect"),
        QStringLiteral("Flood: the flooder connects again each time the server closes it."));
    parser.addOption(floodReconnectOption);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();

    ParseResult result;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        QTextStream(stdout) << (parser.isSet(help)
                                    ? parser.helpText()
                                    : QStringLiteral("flack-bench " FLACK_VERSION "\n"));
        result.ok = true;
        result.exitNow = true;
        return result;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        result.error =
            QStringLiteral("give exactly one scenario: fanout, connections, ramp, flood or soak");
        return result;
    }
    if (positional.first() == u"fanout")
        scenario = Scenario::Fanout;
    else if (positional.first() == u"connections")
        scenario = Scenario::Connections;
    else if (positional.first() == u"ramp")
        scenario = Scenario::Ramp;
    else if (positional.first() == u"flood")
        scenario = Scenario::Flood;
    else if (positional.first() == u"soak")
        scenario = Scenario::Soak;
    else {
        result.error = QStringLiteral("unknown scenario: ") + positional.first();
        return result;
    }

    // Every --url, each maybe a comma-separated list; none at all reads as one empty URL so it
    // is reported like any other bad one.
    QStringList urlTexts;
    for (const QString &value : parser.values(url))
        urlTexts.append(value.split(u','));
    if (urlTexts.isEmpty())
        urlTexts.append(QString());
    nodes.clear();
    for (const QString &text : std::as_const(urlTexts)) {
        const QUrl parsedUrl(text, QUrl::StrictMode);
        in_addr address{};
        if (!parsedUrl.isValid() || parsedUrl.scheme() != u"ws" || parsedUrl.port() <= 0) {
            result.error = QStringLiteral("--url must be ws://IPv4:PORT/path, got: ") + text;
            return result;
        }
        QString hostText = parsedUrl.host();
        if (hostText == u"localhost")
            hostText = QStringLiteral("127.0.0.1");
        if (inet_pton(AF_INET, hostText.toLatin1().constData(), &address) != 1) {
            result.error = QStringLiteral("--url host must be an IPv4 address, got: ") + hostText;
            return result;
        }
        Node node;
        node.host = hostText.toStdString();
        node.port = std::uint16_t(parsedUrl.port());
        node.path = parsedUrl.path().isEmpty() ? std::string("/") : parsedUrl.path().toStdString();
        node.url = "ws://" + node.host + ":" + std::to_string(node.port) + node.path;
        nodes.push_back(std::move(node));
    }
    // Connections measures one server's memory per connection through --server-pid; spread
    // over nodes that figure would mean nothing, so it takes one node.
    // So do flood and soak: their figures (the flooder's limit, RSS over time, loss by a
    // room's sequence, which has no gaps only within one node) are one server's.
    if (nodes.size() > 1 && (scenario == Scenario::Connections || scenario == Scenario::Flood ||
                             scenario == Scenario::Soak)) {
        result.error = QStringLiteral("several --url (a cluster) work with fanout and ramp only");
        return result;
    }

    bool ok = true;
    // One parser for whole and fractional options; the first bad one is reported.
    const auto numberValue = [&](const QCommandLineOption &option, auto minimum, auto &out) {
        using Number = std::remove_reference_t<decltype(out)>;
        constexpr bool whole = std::is_integral_v<Number>;
        bool good = false;
        const QString text = parser.value(option);
        const Number value = whole ? Number(text.toInt(&good)) : Number(text.toDouble(&good));
        if (!good || value < minimum) {
            if (ok)
                result.error = QStringLiteral("--") + option.names().first() +
                               (whole ? QStringLiteral(" must be an integer >= %1")
                                      : QStringLiteral(" must be a number >= %1"))
                                   .arg(minimum);
            ok = false;
            return;
        }
        out = value;
    };
    const auto intValue = [&](const QCommandLineOption &option, int minimum, int &out) {
        numberValue(option, minimum, out);
    };
    const auto doubleValue = [&](const QCommandLineOption &option, double minimum, double &out) {
        numberValue(option, minimum, out);
    };
    intValue(rooms, 1, this->rooms);
    intValue(members, 1, this->members);
    intValue(senders, 0, this->senders);
    doubleValue(rate, 0.001, this->rate);
    doubleValue(factor, 1.01, rampFactor);
    intValue(maxSteps, 1, this->maxSteps);
    doubleValue(bound, 0.001, p99BoundMs);
    doubleValue(duration, 0.1, this->duration);
    doubleValue(warmup, 0, this->warmup);
    doubleValue(drain, 0.1, drainTimeout);
    intValue(connectionCount, 1, connections);
    intValue(bytes, 40, messageBytes);
    intValue(threadCount, 1, threads);
    intValue(sources, 0, sourceAddresses);
    intValue(concurrency, 1, connectConcurrency);
    doubleValue(connectTimeoutOption, 1, connectTimeout);
    intValue(pid, 0, serverPid);
    doubleValue(churnOption, 0, churn);
    doubleValue(sampleOption, 0.1, sampleInterval);
    if (!ok)
        return result;
    // Flood and soak are shaped differently from fanout: what a person sends, not a load
    // step. Their own defaults apply to what was not given.
    floodReconnect = parser.isSet(floodReconnectOption);
    if (scenario == Scenario::Flood) {
        if (!parser.isSet(rate))
            this->rate = 2;
        if (parser.isSet(rooms) && this->rooms != 1) {
            result.error = QStringLiteral("flood runs in one room: --rooms must be 1");
            return result;
        }
        this->rooms = 1;
        this->senders = this->members; // every normal member sends
    }
    if (scenario == Scenario::Soak) {
        if (!parser.isSet(rate))
            this->rate = 0.1;
        if (!parser.isSet(rooms))
            this->rooms = 500;
        if (!parser.isSet(connectionCount))
            connections = 10000;
        if (!parser.isSet(duration))
            this->duration = 600;
        // RSS while the first connections' buffers and the allocator settle is not the trend.
        if (!parser.isSet(warmup))
            this->warmup = 60;
        if (churn > 1) {
            result.error = QStringLiteral("--churn must be at most 1 (all connections per second)");
            return result;
        }
        if (this->rooms > connections) {
            result.error = QStringLiteral("--rooms cannot exceed --connections");
            return result;
        }
    }
    // Both check loss with one thread's view of every connection (a room's highest sequence,
    // the flooder's close): one event loop is plenty for their rates.
    if ((scenario == Scenario::Flood || scenario == Scenario::Soak) && threads != 1) {
        result.error = QStringLiteral("flood and soak run on one thread: --threads must be 1");
        return result;
    }
    if (scenario != Scenario::Flood && this->senders > this->members) {
        result.error = QStringLiteral("--senders cannot exceed --members");
        return result;
    }
    if (sourceAddresses > 250) {
        result.error = QStringLiteral("--source-addresses must be at most 250");
        return result;
    }
    jsonFile = parser.value(json);
    chatPrefix = parser.isSet(prefix) ? parser.value(prefix).toStdString()
                                      : "bench" + std::to_string(::getpid()) + "-";
    result.ok = true;
    return result;
}

} // namespace flack::tools
