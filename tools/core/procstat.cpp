#include "tools/core/procstat.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

namespace flack::tools {

ProcStat::Sample ProcStat::parse(std::string_view statText, long ticksPerSecond, long pageSize)
{
    Sample sample;
    // Fields after the command name; the name ends at the *last* ')'.
    const std::size_t close = statText.rfind(')');
    if (close == std::string_view::npos || ticksPerSecond <= 0)
        return sample;
    std::string_view rest = statText.substr(close + 1);
    // rest starts with " state ...": state is field 3, utime 14, stime 15, rss 24.
    std::int64_t values[25] = {};
    int field = 3;
    std::size_t pos = 0;
    while (field <= 24 && pos < rest.size()) {
        while (pos < rest.size() && rest[pos] == ' ')
            ++pos;
        const std::size_t end = rest.find(' ', pos);
        const std::string_view token =
            rest.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (field != 3) {
            std::int64_t value = 0;
            const auto result = std::from_chars(token.data(), token.data() + token.size(), value);
            if (result.ec != std::errc())
                return sample;
            values[field] = value;
        }
        ++field;
        if (end == std::string_view::npos)
            break;
        pos = end;
    }
    if (field <= 24)
        return sample;
    sample.cpuSeconds = double(values[14] + values[15]) / double(ticksPerSecond);
    sample.rssBytes = values[24] * pageSize;
    sample.ok = true;
    return sample;
}

ProcStat::Sample ProcStat::read(int pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    if (!file)
        return {};
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    return parse(text, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
}

} // namespace flack::tools
