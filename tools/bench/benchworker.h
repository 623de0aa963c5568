#pragma once
// One thread's share of flack-bench: an epoll loop over plain non-blocking sockets with its own
// minimal websocket client (RFC 6455 framing, masked client frames). It connects and logs in
// its connections, sends the chat messages of its senders on schedule, and reads everything
// the server delivers, many frames per recv(), with no allocation per message. The runner
// drives it through phases; between phases it is idle, so its data needs no locking.

#include "tools/bench/benchconnection.h"
#include "tools/bench/benchstats.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

namespace flack::tools {

// What all workers share, set up once by the runner.
struct BenchTarget
{
    // One server node; a connection's node indexes BenchTarget::nodes.
    struct Node
    {
        sockaddr_in address{};
        std::string upgradeRequest; // its own Host header
    };

    std::vector<Node> nodes; // one, or a cluster's nodes in --url order
    int sourceAddresses = 0;
    std::string expectedAccept;
    std::string chatPrefix;
    int sendersPerRoom = 0;
    int messageBytes = 100;
    std::vector<std::uint32_t> roomMembers; // joined members per room, for expected deliveries
    // With several nodes: each bench-wide sender's node, and joined members per room and node
    // (index room * nodes + node), to split deliveries into same-node and cross-node.
    std::vector<std::uint32_t> senderNodes;
    std::vector<std::uint32_t> roomNodeMembers;
    std::atomic<std::uint64_t> measuredReceived{0};
    // flood: the flooder's bench-wide sender number (its messages are told apart by it), or -1.
    std::int32_t floodSender = -1;
    // soak: a connection that rejoins after a pause sends from now on instead of catching up
    // on the messages it would have sent while away (a burst no person sends).
    bool skipMissedSends = false;
    bool floodReconnect = false; // flood: a closed flooder connects and floods again

    bool cluster() const { return nodes.size() > 1; }
};

class BenchWorker
{
public:
    explicit BenchWorker(BenchTarget &target);
    ~BenchWorker();
    BenchWorker(const BenchWorker &) = delete;
    BenchWorker &operator=(const BenchWorker &) = delete;

    void addConnection(std::uint32_t index, std::uint32_t room, std::int32_t sender,
                       std::uint32_t node = 0);
    // Adds the flood scenario's flooder: a member of `room` that sends only while flooding.
    void addFlooder(std::uint32_t index, std::uint32_t room, std::int32_t sender);

    // What became of the flooder: when (monotonic ns, 0 = not) it got a protocol_error and
    // was closed, the error's code, the close frame's status code (0 = none seen) and reason;
    // all of its first connection. With floodReconnect, how often it came back and how many
    // of its connections got CHAT_LIMIT-005.
    struct FloodOutcome
    {
        std::uint64_t reconnects = 0;
        std::uint64_t limitedConnections = 0;
        std::int64_t errorNs = 0;
        std::string errorCode;
        std::int64_t closedNs = 0;
        int closeCode = 0;
        std::string closeReason;
    };
    const FloodOutcome &floodOutcome() const { return m_flood; }

    // soak: how the connections stand at the end.
    struct SoakTally
    {
        std::uint64_t ready = 0;
        std::uint64_t unechoed = 0;    // own messages sent while joined that never came back
        std::uint64_t tailMissing = 0; // events below the room's highest sequence not received
    };
    SoakTally soakTally() const;

    // Connects and logs in every connection, at most `concurrency` handshakes at a time,
    // until all are joined or have failed, or the deadline passes.
    void connectAll(int concurrency, std::int64_t deadlineNs);

    // Starts a new sending schedule at startNs; window is the measured send-time range.
    // floodFromNs: when the flooder starts sending (0: it stays quiet this step).
    void startStep(std::int64_t startNs, double ratePerSender, std::int64_t windowFromNs,
                   std::int64_t windowToNs, std::int64_t floodFromNs = 0);
    // soak: from startNs on, `fractionPerSecond` of the connections disconnect and rejoin
    // each second (0 stops it).
    void startChurn(double fractionPerSecond, std::int64_t startNs);
    // soak: runs without sending until every joined connection has its own messages back and
    // has seen its room's highest sequence, and no rejoin is under way; or the deadline.
    void drainSoak(std::int64_t deadlineNs);
    // Runs the loop until untilNs, sending on schedule while `sending`.
    void run(std::int64_t untilNs, bool sending);
    // Runs without sending until `received` reaches expected (bench-wide) or the deadline.
    void drain(std::int64_t deadlineNs, std::uint64_t expected);
    // Pings every joined connection and waits for the replies; returns how many answered.
    std::uint32_t pingAll(std::int64_t deadlineNs);

    BenchStats &stats() { return m_stats; }
    std::uint32_t readyCount() const { return m_ready; }
    std::uint32_t failedCount() const { return m_failed; }
    std::int64_t lastReadyNs() const { return m_lastReadyNs; }
    const std::vector<BenchConnection> &connections() const { return m_connections; }

    static std::int64_t nowNs();

private:
    void pump(int timeoutMs);
    void startConnection(BenchConnection &c);
    void onWritable(BenchConnection &c);
    void onReadable(BenchConnection &c);
    std::size_t consume(BenchConnection &c, std::string_view data);
    std::size_t consumeUpgrade(BenchConnection &c, std::string_view data);
    void onRecord(BenchConnection &c, std::string_view json);
    void onChatMessage(BenchConnection &c, std::string_view json);
    void checkSequence(BenchConnection &c, std::string_view json);
    void sendDue(std::int64_t now);
    void floodDue(std::int64_t now);
    void churnDue(std::int64_t now);
    void rejoin(BenchConnection &c);
    bool soakSettled() const;
    void keepAlive(std::int64_t now);
    void sendFrame(BenchConnection &c, std::uint8_t opcode, std::string_view payload);
    void flush(BenchConnection &c);
    void setWriteInterest(BenchConnection &c, bool on);
    void fail(BenchConnection &c, const std::string &reason);
    std::uint32_t nextMask();

    BenchTarget &m_target;
    int m_epoll = -1;
    std::vector<BenchConnection> m_connections;
    std::vector<std::uint32_t> m_senders;     // indexes into m_connections
    std::vector<std::uint32_t> m_flooders;    // indexes into m_connections
    std::vector<std::int64_t> m_roomSequence; // per room: the highest sequence any member saw
    std::vector<std::string> m_messagePrefix; // per room: the chat_message JSON up to the text
    std::vector<char> m_readBuffer;
    std::string m_json; // scratch for building one outgoing record
    std::uint64_t m_maskState = 0x9E3779B97F4A7C15ull;
    BenchStats m_stats;

    std::uint32_t m_nextToStart = 0;
    std::uint32_t m_inFlight = 0;
    std::uint32_t m_ready = 0;
    std::uint32_t m_failed = 0;
    std::int64_t m_lastReadyNs = 0;
    std::int64_t m_nowNs = 0;
    std::int64_t m_lastKeepAliveNs = 0;

    std::int64_t m_scheduleStartNs = 0;
    double m_rate = 0;
    std::int64_t m_windowFromNs = 0;
    std::int64_t m_windowToNs = 0;
    std::int64_t m_floodFromNs = 0;
    bool m_readingAfterSendError = false; // flush() reads once before failing, not recursively
    FloodOutcome m_flood;

    double m_churnPerSecond = 0; // connections per second
    std::int64_t m_churnStartNs = 0;
    std::uint64_t m_churnDone = 0;
    std::size_t m_churnCursor = 0;
};

} // namespace flack::tools
