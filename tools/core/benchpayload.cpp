#include "tools/core/benchpayload.h"

#include <charconv>

namespace flack::tools {

// Layout: "fb:<sender>:<counter>:<sendTimeNs>:" then padding.
void BenchPayload::appendTo(std::string &out, std::size_t totalBytes) const
{
    char buffer[80];
    char *p = buffer;
    *p++ = 'f';
    *p++ = 'b';
    *p++ = ':';
    p = std::to_chars(p, buffer + sizeof buffer, sender).ptr;
    *p++ = ':';
    p = std::to_chars(p, buffer + sizeof buffer, counter).ptr;
    *p++ = ':';
    p = std::to_chars(p, buffer + sizeof buffer, sendTimeNs).ptr;
    *p++ = ':';
    const std::size_t used = std::size_t(p - buffer);
    out.append(buffer, used);
    if (totalBytes > used)
        out.append(totalBytes - used, 'x');
}

bool BenchPayload::parse(std::string_view text, BenchPayload &payload)
{
    if (text.size() < 3 || text.substr(0, 3) != "fb:")
        return false;
    const char *p = text.data() + 3;
    const char *end = text.data() + text.size();
    const auto field = [&](auto &value) {
        const auto result = std::from_chars(p, end, value);
        if (result.ec != std::errc() || result.ptr >= end || *result.ptr != ':')
            return false;
        p = result.ptr + 1;
        return true;
    };
    return field(payload.sender) && field(payload.counter) && field(payload.sendTimeNs);
}

} // namespace flack::tools
