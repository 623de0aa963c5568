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
    std::int64_t number = 0;
    while (pos < json.size() && json[pos] >= '0' && json[pos] <= '9') {
        number = number * 10 + (json[pos] - '0');
        ++pos;
    }
    if (pos == digitsStart)
        return false;
    if (pos < json.size() && (json[pos] == '.' || json[pos] == 'e' || json[pos] == 'E'))
        return false;
    value = negative ? -number : number;
    return true;
}

} // namespace flack::tools
