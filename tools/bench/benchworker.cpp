#include "tools/bench/benchworker.h"

#include "tools/core/benchpayload.h"
#include "tools/core/recordscanner.h"
#include "tools/core/wsframe.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flack::tools {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kKeepAliveNs = 20 * kSecond; // protocol: ping after 20 s idle
constexpr std::size_t kReadBufferBytes = 256 * 1024;
constexpr std::size_t kMaxHandshakeBytes = 16 * 1024;
constexpr int kMaxEvents = 512;
// The flooder keeps this much queued for its socket: enough that every write fills what the
// socket takes, bounded so a throttled flooder does not grow the bench without end.
constexpr std::size_t kFloodQueueBytes = 256 * 1024;
// A churn pass looks at this many connections at most for ones that can leave now.
constexpr std::size_t kChurnScan = 256;

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

std::int64_t BenchWorker::nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * kSecond + ts.tv_nsec;
}

BenchWorker::BenchWorker(BenchTarget &target)
    : m_target(target), m_epoll(epoll_create1(EPOLL_CLOEXEC)), m_readBuffer(kReadBufferBytes)
{
    m_maskState ^= std::uint64_t(nowNs()) ^ (std::uint64_t(reinterpret_cast<std::uintptr_t>(this)));
}

BenchWorker::~BenchWorker()
{
    for (BenchConnection &c : m_connections) {
        if (c.fd >= 0)
            ::close(c.fd);
    }
    if (m_epoll >= 0)
        ::close(m_epoll);
}

void BenchWorker::addConnection(std::uint32_t index, std::uint32_t room, std::int32_t sender,
                                std::uint32_t node)
{
    BenchConnection c;
    c.index = index;
    c.room = room;
    c.node = node;
    c.sender = sender;
    // Golden-ratio offsets spread the senders' send instants evenly over one period.
    c.scheduleOffset = std::fmod(double(index) * 0.6180339887498949, 1.0);
    c.lastCounter.assign(std::size_t(m_target.sendersPerRoom), 0);
    if (sender >= 0)
        m_senders.push_back(std::uint32_t(m_connections.size()));
    if (m_messagePrefix.size() <= room)
        m_messagePrefix.resize(room + 1);
    if (m_messagePrefix[room].empty())
        m_messagePrefix[room] = R"({"record":"chat_message","chat_name":")" + m_target.chatPrefix +
                                "r" + std::to_string(room) +
                                R"(","mime_type":"text/plain","message":")";
    m_connections.push_back(std::move(c));
}

void BenchWorker::addFlooder(std::uint32_t index, std::uint32_t room, std::int32_t sender)
{
    addConnection(index, room, -1);
    BenchConnection &c = m_connections.back();
    c.sender = sender;
    c.flooder = true;
    m_flooders.push_back(std::uint32_t(m_connections.size() - 1));
}

std::uint32_t BenchWorker::nextMask()
{
    // xorshift64*: masks need not be cryptographic for a load generator, only varied.
    m_maskState ^= m_maskState >> 12;
    m_maskState ^= m_maskState << 25;
    m_maskState ^= m_maskState >> 27;
    return std::uint32_t((m_maskState * 0x2545F4914F6CDD1Dull) >> 32);
}

void BenchWorker::connectAll(int concurrency, std::int64_t deadlineNs)
{
    while (m_ready + m_failed < m_connections.size()) {
        m_nowNs = nowNs();
        if (m_nowNs >= deadlineNs)
            break;
        while (m_inFlight < std::uint32_t(concurrency) && m_nextToStart < m_connections.size())
            startConnection(m_connections[m_nextToStart++]);
        pump(10);
    }
    for (BenchConnection &c : m_connections) {
        if (c.state != BenchConnection::State::Ready && c.state != BenchConnection::State::Failed &&
            c.state != BenchConnection::State::Closed)
            fail(c, "not joined before the connect timeout");
    }
}

void BenchWorker::startConnection(BenchConnection &c)
{
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    c.state = BenchConnection::State::Connecting;
    ++m_inFlight;
    if (c.fd < 0) {
        fail(c, std::string("socket: ") + std::strerror(errno));
        return;
    }
    const int one = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (m_target.sourceAddresses > 0) {
        // Each source address has its own ephemeral port range towards the server; letting
        // connect() pick the port keeps the four-tuple, not the address, the unit of reuse.
        ::setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr =
            htonl((127u << 24) | (2u + c.index % unsigned(m_target.sourceAddresses)));
        if (::bind(c.fd, reinterpret_cast<const sockaddr *>(&source), sizeof source) != 0) {
            fail(c, std::string("bind: ") + std::strerror(errno));
            return;
        }
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = std::uint32_t(&c - m_connections.data());
    c.writeArmed = true;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &event) != 0) {
        fail(c, std::string("epoll_ctl: ") + std::strerror(errno));
        return;
    }
    const sockaddr_in &server = m_target.nodes[c.node].address;
    const int rc = ::connect(c.fd, reinterpret_cast<const sockaddr *>(&server), sizeof server);
    if (rc != 0 && errno != EINPROGRESS)
        fail(c, std::string("connect: ") + std::strerror(errno));
}

void BenchWorker::pump(int timeoutMs)
{
    epoll_event events[kMaxEvents];
    const int n = ::epoll_wait(m_epoll, events, kMaxEvents, timeoutMs);
    m_nowNs = nowNs();
    for (int i = 0; i < n; ++i) {
        BenchConnection &c = m_connections[events[i].data.u32];
        if (c.fd < 0)
            continue;
        if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onWritable(c);
        if (c.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            onReadable(c);
    }
}

void BenchWorker::onWritable(BenchConnection &c)
{
    if (c.state == BenchConnection::State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            fail(c, std::string("connect: ") + std::strerror(error));
            return;
        }
        c.state = BenchConnection::State::Upgrading;
        c.out = m_target.nodes[c.node].upgradeRequest;
    }
    flush(c);
}

void BenchWorker::onReadable(BenchConnection &c)
{
    while (c.fd >= 0) {
        const ssize_t n = ::recv(c.fd, m_readBuffer.data(), m_readBuffer.size(), 0);
        if (n > 0) {
            m_nowNs = nowNs();
            const std::string_view data(m_readBuffer.data(), std::size_t(n));
            if (c.in.empty()) {
                // The common case: whole frames straight out of the read buffer, no copy.
                const std::size_t used = consume(c, data);
                if (c.fd >= 0 && used < data.size())
                    c.in.assign(data.substr(used));
            } else {
                c.in.append(data);
                const std::size_t used = consume(c, c.in);
                if (c.fd >= 0)
                    c.in.erase(0, used);
            }
            if (std::size_t(n) < m_readBuffer.size())
                return;
            continue;
        }
        if (n == 0) {
            fail(c, "connection closed by the server");
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            fail(c, std::string("recv: ") + std::strerror(errno));
        return;
    }
}

std::size_t BenchWorker::consumeUpgrade(BenchConnection &c, std::string_view data)
{
    const std::size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > kMaxHandshakeBytes)
            fail(c, "handshake response too long");
        return 0;
    }
    const std::string_view head = data.substr(0, end);
    if (!startsWith(head, "HTTP/1.1 101")) {
        fail(c, "upgrade refused: " + std::string(head.substr(0, head.find('\r'))));
        return 0;
    }
    if (head.find(m_target.expectedAccept) == std::string_view::npos) {
        fail(c, "upgrade response without the expected Sec-WebSocket-Accept");
        return 0;
    }
    c.state = BenchConnection::State::LoggingIn;
    c.loginStep = BenchConnection::LoginStep::ServerHello;
    // Pipelined: the server handles a connection's records in order, so the whole login goes
    // in one write instead of three round trips.
    sendFrame(c, WsFrame::Text, R"({"record":"client_hello","protocol_version":"1.0"})");
    sendFrame(c, WsFrame::Text,
              R"({"record":"authenticate","user_name":"b)" + std::to_string(c.index) + R"("})");
    sendFrame(c, WsFrame::Text,
              R"({"record":"join_chat","chat_name":")" + m_target.chatPrefix + "r" +
                  std::to_string(c.room) + R"("})");
    flush(c);
    return end + 4;
}

std::size_t BenchWorker::consume(BenchConnection &c, std::string_view data)
{
    std::size_t pos = 0;
    if (c.state == BenchConnection::State::Upgrading) {
        pos = consumeUpgrade(c, data);
        if (pos == 0 || c.fd < 0)
            return 0;
    }
    while (pos < data.size() && c.fd >= 0) {
        WsFrame::Header header;
        const WsFrame::Status status = WsFrame::parse(data.substr(pos), header);
        if (status == WsFrame::Status::Incomplete)
            break;
        if (status == WsFrame::Status::Error || header.masked) {
            fail(c, "invalid websocket frame from the server");
            break;
        }
        const std::string_view payload =
            data.substr(pos + header.headerLength, std::size_t(header.payloadLength));
        pos += header.frameLength();
        switch (header.opcode) {
        case WsFrame::Text:
            if (header.fin) {
                onRecord(c, payload);
            } else {
                c.fragmented = true;
                c.fragment.assign(payload);
            }
            break;
        case WsFrame::Continuation:
            if (!c.fragmented) {
                fail(c, "continuation frame without a start");
                break;
            }
            c.fragment.append(payload);
            if (header.fin) {
                c.fragmented = false;
                const std::string message = std::move(c.fragment);
                c.fragment.clear();
                onRecord(c, message);
            }
            break;
        case WsFrame::Binary:
            fail(c, "binary frame from the server");
            break;
        case WsFrame::Ping:
            sendFrame(c, WsFrame::Pong, payload);
            flush(c);
            break;
        case WsFrame::Pong:
            break;
        case WsFrame::Close:
            if (c.flooder && m_flood.closeCode == 0 && payload.size() >= 2)
                m_flood.closeCode =
                    (int(std::uint8_t(payload[0])) << 8) | int(std::uint8_t(payload[1]));
            fail(c, "close frame from the server");
            break;
        }
    }
    return pos;
}

void BenchWorker::onRecord(BenchConnection &c, std::string_view json)
{
    std::string_view record;
    // Our server writes "record" first; the scanner finds it wherever it is.
    if (!RecordScanner::stringField(json, "record", record)) {
        fail(c, "record without a \"record\" field");
        return;
    }
    if (record == "chat_message") {
        onChatMessage(c, json);
        return;
    }
    if (record == "joined" || record == "left") {
        checkSequence(c, json);
        if (c.state == BenchConnection::State::LoggingIn && record == "joined" &&
            c.loginStep == BenchConnection::LoginStep::OwnJoined) {
            std::string_view userId;
            if (RecordScanner::stringField(json, "user_id", userId) && userId == c.userId) {
                c.state = BenchConnection::State::Ready;
                --m_inFlight;
                ++m_ready;
                m_lastReadyNs = m_nowNs;
            }
        }
        return;
    }
    if (record == "ping_reply") {
        if (c.pendingPings > 0)
            --c.pendingPings;
        return;
    }
    if (record == "protocol_error") {
        std::string_view code;
        RecordScanner::stringField(json, "code", code);
        if (c.flooder) {
            // Expected for a flooder: note it and read on to the close frame that follows.
            if (code == "CHAT_LIMIT-005")
                ++m_flood.limitedConnections;
            if (m_flood.errorNs == 0) {
                m_flood.errorNs = m_nowNs;
                m_flood.errorCode.assign(code);
            }
            return;
        }
        fail(c, "protocol_error " + std::string(code));
        return;
    }
    using Step = BenchConnection::LoginStep;
    if (c.state == BenchConnection::State::LoggingIn) {
        if (record == "server_hello" && c.loginStep == Step::ServerHello) {
            c.loginStep = Step::Authenticated;
            return;
        }
        if (record == "authenticated" && c.loginStep == Step::Authenticated) {
            std::string_view userId;
            RecordScanner::stringField(json, "user_id", userId);
            c.userId.assign(userId);
            c.loginStep = Step::ChatState;
            return;
        }
        if (record == "chat_state" && c.loginStep == Step::ChatState) {
            c.loginStep = Step::OwnJoined;
            return;
        }
    }
    fail(c, "unexpected record " + std::string(record));
}

void BenchWorker::checkSequence(BenchConnection &c, std::string_view json)
{
    std::int64_t sequence = 0;
    if (!RecordScanner::integerField(json, "sequence", sequence)) {
        ++m_stats.sequenceViolations;
        return;
    }
    if (c.hasSequence && sequence <= c.lastSequence)
        ++m_stats.sequenceViolations;
    else if (c.hasSequence && sequence > c.lastSequence + 1)
        m_stats.sequenceGaps += std::uint64_t(sequence - c.lastSequence - 1);
    c.hasSequence = true;
    c.lastSequence = sequence;
    if (m_roomSequence.size() <= c.room)
        m_roomSequence.resize(c.room + 1, 0);
    m_roomSequence[c.room] = std::max(m_roomSequence[c.room], sequence);
}

void BenchWorker::onChatMessage(BenchConnection &c, std::string_view json)
{
    checkSequence(c, json);
    if (c.flooder)
        return; // what the flooder receives is not the members' figures
    std::string_view text;
    BenchPayload payload;
    if (!RecordScanner::stringField(json, "message", text) || !BenchPayload::parse(text, payload)) {
        ++m_stats.foreignMessages;
        return;
    }
    const bool fromFlooder =
        m_target.floodSender >= 0 && payload.sender == std::uint32_t(m_target.floodSender);
    const bool inWindow = m_nowNs >= m_windowFromNs && m_nowNs < m_windowToNs;
    if (inWindow && !fromFlooder)
        ++m_stats.deliveredInWindow;
    const auto perRoom = std::uint32_t(m_target.sendersPerRoom);
    if (perRoom == 0 || payload.sender / perRoom != c.room) {
        ++m_stats.misrouted;
        return;
    }
    if (c.sender >= 0 && payload.sender == std::uint32_t(c.sender))
        c.echoedCounter = std::max(c.echoedCounter, payload.counter);
    // Only a sender of this room (checked above) has a known node.
    BenchStats::Deliveries *split = nullptr;
    if (m_target.cluster()) {
        split =
            m_target.senderNodes[payload.sender] == c.node ? &m_stats.sameNode : &m_stats.crossNode;
        if (inWindow)
            ++split->deliveredInWindow;
    }
    std::uint64_t &last = c.lastCounter[payload.sender % perRoom];
    if (payload.counter == last) {
        ++m_stats.duplicates;
        return;
    }
    if (payload.counter < last)
        ++m_stats.orderViolations; // late, or a duplicate of an older one: either is a fault
    else
        last = payload.counter;
    if (fromFlooder) {
        ++m_stats.floodDelivered;
        return;
    }
    if (payload.sendTimeNs >= m_windowFromNs && payload.sendTimeNs < m_windowToNs) {
        const std::int64_t latency = m_nowNs - payload.sendTimeNs;
        ++m_stats.received;
        m_target.measuredReceived.fetch_add(1, std::memory_order_relaxed);
        m_stats.latency.record(latency);
        if (m_target.skipMissedSends)
            m_stats.intervalLatency.record(latency); // soak's per-interval figures
        // Sent while the flooder was still connected (it may be closed for flooding).
        if (m_floodFromNs != 0 && payload.sendTimeNs >= m_floodFromNs &&
            (m_flood.closedNs == 0 || payload.sendTimeNs < m_flood.closedNs))
            m_stats.latencyWhileFlooding.record(latency);
        if (split) {
            ++split->received;
            split->latency.record(latency);
        }
    }
}

void BenchWorker::startStep(std::int64_t startNs, double ratePerSender, std::int64_t windowFromNs,
                            std::int64_t windowToNs, std::int64_t floodFromNs)
{
    m_floodFromNs = floodFromNs;
    m_scheduleStartNs = startNs;
    m_rate = ratePerSender;
    m_windowFromNs = windowFromNs;
    m_windowToNs = windowToNs;
    m_stats = BenchStats();
    for (const std::uint32_t i : m_senders)
        m_connections[i].sentInStep = 0;
}

void BenchWorker::sendDue(std::int64_t now)
{
    const double elapsed = double(now - m_scheduleStartNs) / double(kSecond);
    if (elapsed < 0)
        return;
    for (const std::uint32_t i : m_senders) {
        BenchConnection &c = m_connections[i];
        if (c.state != BenchConnection::State::Ready)
            continue;
        const auto due = std::uint64_t(elapsed * m_rate + c.scheduleOffset);
        if (m_target.skipMissedSends && due > c.sentInStep + 1)
            c.sentInStep = due - 1;
        if (c.sentInStep >= due)
            continue;
        const std::string &prefix = m_messagePrefix[c.room];
        const bool measured = now >= m_windowFromNs && now < m_windowToNs;
        const std::uint32_t members = m_target.roomMembers[c.room];
        const std::uint32_t sameNodeMembers =
            m_target.cluster() ? m_target.roomNodeMembers[c.room * m_target.nodes.size() + c.node]
                               : 0;
        while (c.sentInStep < due) {
            m_json.assign(prefix);
            BenchPayload{std::uint32_t(c.sender), ++c.sentCounter, now}.appendTo(
                m_json, std::size_t(m_target.messageBytes));
            m_json.append("\"}");
            sendFrame(c, WsFrame::Text, m_json);
            ++c.sentInStep;
            ++m_stats.sentTotal;
            if (measured) {
                ++m_stats.sentMeasured;
                m_stats.expected += members;
                if (m_target.cluster()) {
                    m_stats.sameNode.expected += sameNodeMembers;
                    m_stats.crossNode.expected += members - sameNodeMembers;
                }
            }
        }
        flush(c);
    }
}

void BenchWorker::floodDue(std::int64_t now)
{
    for (const std::uint32_t i : m_flooders) {
        BenchConnection &c = m_connections[i];
        if (m_target.floodReconnect && (c.state == BenchConnection::State::Closed ||
                                        c.state == BenchConnection::State::Failed)) {
            // What an attacker does once closed: come straight back and go on.
            ++m_flood.reconnects;
            c.state = BenchConnection::State::Idle;
            c.writeArmed = false;
            c.hasSequence = false;
            c.fragmented = false;
            c.pendingPings = 0;
            c.in.clear();
            c.out.clear();
            c.fragment.clear();
            startConnection(c);
            continue;
        }
        if (c.state != BenchConnection::State::Ready)
            continue;
        // As fast as the socket takes: top the queue up whenever the socket has drained it
        // below the bound; TCP backpressure from the server is what paces this.
        if (c.out.size() >= kFloodQueueBytes)
            continue;
        const std::string &prefix = m_messagePrefix[c.room];
        while (c.out.size() < kFloodQueueBytes) {
            m_json.assign(prefix);
            BenchPayload{std::uint32_t(c.sender), ++c.sentCounter, now}.appendTo(
                m_json, std::size_t(m_target.messageBytes));
            m_json.append("\"}");
            sendFrame(c, WsFrame::Text, m_json);
            ++m_stats.floodSent;
        }
        flush(c);
    }
}

void BenchWorker::startChurn(double fractionPerSecond, std::int64_t startNs)
{
    m_churnPerSecond = fractionPerSecond * double(m_connections.size());
    m_churnStartNs = startNs;
    m_churnDone = 0;
}

void BenchWorker::churnDue(std::int64_t now)
{
    if (m_churnPerSecond <= 0 || m_connections.empty())
        return;
    const auto due =
        std::uint64_t(double(now - m_churnStartNs) / double(kSecond) * m_churnPerSecond);
    std::size_t scanned = 0;
    while (m_churnDone < due && scanned < kChurnScan) {
        BenchConnection &c = m_connections[m_churnCursor];
        m_churnCursor = (m_churnCursor + 1) % m_connections.size();
        ++scanned;
        // Only a connection with nothing of its own in flight leaves: then every message it
        // sent must have come back to it, and a missing echo is a loss, not a race.
        if (c.state != BenchConnection::State::Ready || c.echoedCounter != c.sentCounter ||
            !c.out.empty())
            continue;
        rejoin(c);
        ++m_churnDone;
        ++m_stats.churned;
    }
}

void BenchWorker::rejoin(BenchConnection &c)
{
    // An abrupt close, as when a person's network drops; the server sends the room a left.
    ::close(c.fd);
    c.fd = -1;
    --m_ready;
    c.state = BenchConnection::State::Idle;
    c.writeArmed = false;
    c.hasSequence = false; // a new session sees its chat from its new joined on
    c.fragmented = false;
    c.pendingPings = 0;
    c.in.clear();
    c.out.clear();
    c.fragment.clear();
    startConnection(c);
}

bool BenchWorker::soakSettled() const
{
    if (m_inFlight > 0)
        return false;
    for (const BenchConnection &c : m_connections) {
        if (c.state != BenchConnection::State::Ready)
            continue;
        if (c.echoedCounter != c.sentCounter)
            return false;
        if (c.hasSequence && c.room < m_roomSequence.size() &&
            c.lastSequence < m_roomSequence[c.room])
            return false;
    }
    return true;
}

void BenchWorker::drainSoak(std::int64_t deadlineNs)
{
    m_churnPerSecond = 0;
    while (true) {
        m_nowNs = nowNs();
        if (m_nowNs >= deadlineNs || soakSettled())
            break;
        keepAlive(m_nowNs);
        pump(5);
    }
}

BenchWorker::SoakTally BenchWorker::soakTally() const
{
    SoakTally tally;
    for (const BenchConnection &c : m_connections) {
        if (c.state != BenchConnection::State::Ready)
            continue;
        ++tally.ready;
        if (c.sentCounter > c.echoedCounter)
            tally.unechoed += c.sentCounter - c.echoedCounter;
        if (c.hasSequence && c.room < m_roomSequence.size() &&
            c.lastSequence < m_roomSequence[c.room])
            tally.tailMissing += std::uint64_t(m_roomSequence[c.room] - c.lastSequence);
    }
    return tally;
}

void BenchWorker::keepAlive(std::int64_t now)
{
    if (now - m_lastKeepAliveNs < kSecond)
        return;
    m_lastKeepAliveNs = now;
    for (BenchConnection &c : m_connections) {
        if (c.state == BenchConnection::State::Ready && now - c.lastSendNs >= kKeepAliveNs) {
            ++c.pendingPings;
            sendFrame(c, WsFrame::Text, R"({"record":"ping"})");
            flush(c);
        }
    }
}

void BenchWorker::run(std::int64_t untilNs, bool sending)
{
    while (true) {
        m_nowNs = nowNs();
        if (m_nowNs >= untilNs)
            break;
        if (sending) {
            sendDue(m_nowNs);
            if (m_floodFromNs != 0 && m_nowNs >= m_floodFromNs)
                floodDue(m_nowNs);
            churnDue(m_nowNs);
        }
        keepAlive(m_nowNs);
        // Sending needs ~1 ms schedule resolution; holding idle does not.
        const std::int64_t leftMs = (untilNs - m_nowNs) / 1'000'000;
        pump(sending ? 1 : int(std::clamp<std::int64_t>(leftMs, 1, 100)));
    }
}

void BenchWorker::drain(std::int64_t deadlineNs, std::uint64_t expected)
{
    while (m_target.measuredReceived.load(std::memory_order_relaxed) < expected) {
        m_nowNs = nowNs();
        if (m_nowNs >= deadlineNs)
            break;
        keepAlive(m_nowNs);
        pump(2);
    }
}

std::uint32_t BenchWorker::pingAll(std::int64_t deadlineNs)
{
    for (BenchConnection &c : m_connections) {
        if (c.state != BenchConnection::State::Ready)
            continue;
        ++c.pendingPings;
        sendFrame(c, WsFrame::Text, R"({"record":"ping"})");
        flush(c);
    }
    while (true) {
        std::uint32_t waiting = 0;
        std::uint32_t answered = 0;
        for (const BenchConnection &c : m_connections) {
            if (c.state != BenchConnection::State::Ready)
                continue;
            if (c.pendingPings > 0)
                ++waiting;
            else
                ++answered;
        }
        if (waiting == 0 || nowNs() >= deadlineNs)
            return answered;
        pump(10);
    }
}

void BenchWorker::sendFrame(BenchConnection &c, std::uint8_t opcode, std::string_view payload)
{
    WsFrame::appendMasked(c.out, opcode, payload, nextMask());
    c.lastSendNs = m_nowNs;
}

void BenchWorker::flush(BenchConnection &c)
{
    if (c.fd < 0)
        return;
    if (c.state == BenchConnection::State::Connecting)
        return; // the socket is not writable yet; onWritable will flush
    while (!c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            if (std::size_t(n) == c.out.size())
                c.out.clear();
            else
                c.out.erase(0, std::size_t(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        const std::string error = std::string("send: ") + std::strerror(errno);
        // A server that closes a connection says why first (protocol_error, close frame);
        // those bytes may still wait unread here, so read them before giving up on it.
        if (!m_readingAfterSendError) {
            m_readingAfterSendError = true;
            c.out.clear();
            onReadable(c);
            m_readingAfterSendError = false;
        }
        if (c.fd >= 0)
            fail(c, error);
        return;
    }
    setWriteInterest(c, !c.out.empty());
}

void BenchWorker::setWriteInterest(BenchConnection &c, bool on)
{
    if (c.writeArmed == on)
        return;
    epoll_event event{};
    event.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    event.data.u32 = std::uint32_t(&c - m_connections.data());
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
    c.writeArmed = on;
}

void BenchWorker::fail(BenchConnection &c, const std::string &reason)
{
    if (c.fd >= 0) {
        ::close(c.fd); // also removes it from the epoll set
        c.fd = -1;
    }
    if (c.flooder) {
        // Its close is the flood scenario's result, not a lost connection.
        if (m_flood.closedNs == 0) {
            m_flood.closedNs = m_nowNs;
            m_flood.closeReason = reason;
        }
        if (c.state == BenchConnection::State::Ready) {
            --m_ready;
            c.state = BenchConnection::State::Closed;
            c.in.clear();
            c.out.clear();
            return;
        }
    }
    switch (c.state) {
    case BenchConnection::State::Ready:
        --m_ready;
        ++m_stats.closed;
        c.state = BenchConnection::State::Closed;
        break;
    case BenchConnection::State::Connecting:
    case BenchConnection::State::Upgrading:
    case BenchConnection::State::LoggingIn:
        --m_inFlight;
        [[fallthrough]];
    case BenchConnection::State::Idle:
        ++m_failed;
        c.state = BenchConnection::State::Failed;
        break;
    case BenchConnection::State::Closed:
    case BenchConnection::State::Failed:
        return;
    }
    // Against several nodes, which node failed is half the diagnosis.
    if (m_target.cluster())
        ++m_stats.errors["node " + std::to_string(c.node + 1) + ": " + reason];
    else
        ++m_stats.errors[reason];
    c.in.clear();
    c.out.clear();
}

} // namespace flack::tools
