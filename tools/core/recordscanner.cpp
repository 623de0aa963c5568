#include "tools/core/recordscanner.h"

namespace flack::tools {

namespace {

// Position just after `"key":` and any blanks, or npos.
std::size_t valueStart(std::string_view json, std::string_view key)
{
    std::size_t from = 0;
    while (true) {
        const std::size_t quote = json.find(key, from);
        if (quote == std::string_view::npos)
            return quote;
        from = quote + 1;
        if (quote == 0 || json[quote - 1] != '"')
            continue;
        std::size_t pos = quote + key.size();
        if (pos >= json.size() || json[pos] != '"')
            continue;
        ++pos;
        while (pos < json.size() && (json[pos] == ' ' || json[pos] == '\t'))
            ++pos;
        if (pos >= json.size() || json[pos] != ':')
            continue;
        ++pos;
        while (pos < json.size() && (json[pos] == ' ' || json[pos] == '\t'))
            ++pos;
        return pos;
    }
}

} // namespace

bool RecordScanner::stringField(std::string_view json, std::string_view key,
                                std::string_view &value)
{
    std::size_t pos = valueStart(json, key);
    if (pos == std::string_view::npos || pos >= json.size() || json[pos] != '"')
        return false;
    const std::size_t begin = ++pos;
    while (pos < json.size()) {
        if (json[pos] == '\\')
            pos += 2;
        else if (json[pos] == '"')
            break;
        else
            ++pos;
    }
    if (pos >= json.size())
        return false;
    value = json.substr(begin, pos - begin);
    return true;
}

bool RecordScanner::integerField(std::string_view json, std::string_view key, std::int64_t &value)
{
    std::size_t pos = valueStart(json, key);
    if (pos == std::string_view::npos || pos >= json.size())
        return false;
    bool negative = false;
    if (json[pos] == '-') {
        negative = true;
        ++pos;
    }
    const std::size_t digitsStart = pos;
    // Accumulated unsigned and bounded: a server's digits must not overflow a signed integer
    // (undefined behaviour); a number out of range is no integer we can report.
    const std::uint64_t limit = negative ? std::uint64_t(1) << 63 : (std::uint64_t(1) << 63) - 1;
    std::uint64_t number = 0;
    while (pos < json.size() && json[pos] >= '0' && json[pos] <= '9') {
        const auto digit = std::uint64_t(json[pos] - '0');
        if (number > (limit - digit) / 10)
            return false;
        number = number * 10 + digit;
        ++pos;
    }
    if (pos == digitsStart)
        return false;
    if (pos < json.size() && (json[pos] == '.' || json[pos] == 'e' || json[pos] == 'E'))
        return false;
    value = negative ? std::int64_t(0 - number) : std::int64_t(number);
    return true;
}

} // namespace flack::tools
