#pragma once
// One websocket connection of flack-bench and all its per-connection state: the login steps,
// buffers, the chat sequence seen so far and, per sender of its room, the highest message
// counter received. Plain data owned by exactly one BenchWorker (and so one thread).

#include <cstdint>
#include <string>
#include <vector>

namespace flack::tools {

struct BenchConnection
{
    enum class State { Idle, Connecting, Upgrading, LoggingIn, Ready, Closed, Failed };
    // The records a login waits for, in order; pipelined hello + authenticate + join.
    enum class LoginStep { ServerHello, Authenticated, ChatState, OwnJoined };

    int fd = -1;
    State state = State::Idle;
    LoginStep loginStep = LoginStep::ServerHello;
    std::uint32_t index = 0; // bench-wide connection number (names the user)
    std::uint32_t room = 0;
    std::uint32_t node = 0;    // which of the bench's server nodes it connects to
    std::int32_t sender = -1;  // bench-wide sender number, or -1 for a pure receiver
    bool flooder = false;      // flood: sends as fast as its socket takes, not on schedule
    double scheduleOffset = 0; // spreads senders' send instants over the period
    bool writeArmed = false;
    bool fragmented = false;
    bool hasSequence = false;
    std::int64_t lastSequence = 0;
    std::uint64_t sentCounter = 0;   // messages this sender has sent (its payload counter)
    std::uint64_t echoedCounter = 0; // the highest of its own messages the server sent back
    std::uint64_t sentInStep = 0;    // messages sent since the current schedule started
    std::int64_t lastSendNs = 0;     // for the 20 s keep-alive ping
    std::uint32_t pendingPings = 0;
    std::string userId;
    std::string in;       // unparsed received bytes (only when a frame straddles reads)
    std::string out;      // bytes the socket did not take yet
    std::string fragment; // a fragmented message being reassembled
    std::vector<std::uint64_t> lastCounter; // per sender of the room: highest counter seen
};

} // namespace flack::tools
