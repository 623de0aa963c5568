#include "tools/core/benchpayload.h"

#include <charconv>

namespace flack::tools {

// Layout: "fb:<sender>:<counter>:<sendTimeNs>:" then padding.
void BenchPayload::appendTo(std::string &out, std::size_t totalBytes) const
{
    const std::size_t start = out.size();
    const auto appendNumber = [&out](auto value) {
        char digits[24];
        const auto result = std::to_chars(digits, digits + sizeof digits, value);
        out.append(digits, result.ptr);
        out.push_back(':');
    };
    out.append("fb:");
    appendNumber(sender);
    appendNumber(counter);
    appendNumber(sendTimeNs);
    const std::size_t used = out.size() - start;
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
