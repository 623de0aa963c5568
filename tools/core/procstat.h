#pragma once
// Samples another process's CPU time and resident memory from /proc/PID/stat, so flack-bench
// can report the server's CPU per 1,000 deliveries and RSS per connection (--server-pid).

#include <cstdint>
#include <string_view>

namespace flack::tools {

class ProcStat
{
public:
    struct Sample
    {
        bool ok = false;
        double cpuSeconds = 0; // user + system
        std::int64_t rssBytes = 0;
    };

    // Parses the text of /proc/PID/stat (the command name may hold spaces and parentheses).
    static Sample parse(std::string_view statText, long ticksPerSecond, long pageSize);
    // Reads /proc/PID/stat now; ok is false when the process is gone.
    static Sample read(int pid);
};

} // namespace flack::tools
