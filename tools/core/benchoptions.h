#pragma once
// flack-bench's command line: the scenario (fanout, connections, ramp, flood, soak), the server
// node or cluster nodes to load, the scenario's shape and rates, and where to send the figures.
// Parsed with QCommandLineParser; values are checked here so a bad invocation gets a usage message
// instead of a misleading run. Plain data, used on main()'s thread.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>
#include <vector>

namespace flack::tools {

struct BenchOptions
{
    enum class Scenario { Fanout, Connections, Ramp, Flood, Soak };

    // One server to connect to: a flack-server, or one node of a cluster.
    struct Node
    {
        std::string url;  // as given (localhost spelled 127.0.0.1), for the report
        std::string host; // IPv4 address to connect to
        std::uint16_t port = 0;
        std::string path; // e.g. /chat-server
    };

    Scenario scenario = Scenario::Fanout;
    // --url, in the order given: one, or several for a cluster (fanout and ramp only).
    std::vector<Node> nodes;
    // Flood and soak have defaults of their own where an option is not given (see parse()).
    int rooms = 10;          // soak: 500
    int members = 50;        // per room (fanout, ramp, flood)
    int senders = 5;         // per room (fanout, ramp); flood: every member sends
    double rate = 20;        // messages/s per sender (fanout; ramp's first step); flood 2, soak 0.1
    double rampFactor = 1.5; // ramp: next step's rate = rate * factor
    int maxSteps = 12;       // ramp
    double p99BoundMs = 50;  // ramp
    double duration = 10;    // s measured (fanout, ramp step, each flood phase), held
                             // (connections) or run (soak: 600)
    double warmup = 2;       // s of traffic before measuring; soak (60): left out of the RSS trend
    double drainTimeout = 5; // s to wait for outstanding deliveries after sending stops
    int connections = 15000; // connections scenario; soak: 10000
    int messageBytes = 100;  // chat message text size
    int threads = 1;
    int sourceAddresses = 0;     // 0: kernel's choice; K: bind to 127.0.0.2 .. 127.0.0.(K+1)
    int connectConcurrency = 32; // handshakes in flight: below the listen backlog of 50
    double connectTimeout = 60;  // s for all connections to be joined
    int serverPid = 0;
    // soak: the fraction of all connections that disconnect and reconnect each second, and
    // how often the server's RSS is sampled.
    double churn = 0.01;
    double sampleInterval = 10;
    // flood: the flooder connects again each time it is closed, so it floods the whole phase.
    bool floodReconnect = false;
    QString jsonFile;
    std::string chatPrefix; // chat names are <prefix>r<room>

    struct ParseResult
    {
        bool ok = false;
        bool exitNow = false; // --help / --version handled
        QString error;
    };
    ParseResult parse(const QStringList &arguments);

    // The node a room's member connects to: round-robin over the nodes within each room,
    // each room starting one node further, so senders (a room's first members) spread too.
    int nodeOfMember(int room, int member) const { return (room + member) % int(nodes.size()); }

    static const char *scenarioName(Scenario scenario);
};

} // namespace flack::tools
