#pragma once
// Finds field values in a compact server record without a JSON parse: flack-bench reads
// hundreds of thousands of records a second and needs only "record", "sequence", "user_id" and
// its own payload from them. Safe for JSON text because inside a string value a quote is always
// escaped, so the pattern "key": can only match a real key.

#include <cstdint>
#include <string_view>

namespace flack::tools {

class RecordScanner
{
public:
    // The raw (still escaped) content of a string field; false when absent or not a string.
    static bool stringField(std::string_view json, std::string_view key, std::string_view &value);
    // An integer field; false when absent or not an integer.
    static bool integerField(std::string_view json, std::string_view key, std::int64_t &value);
};

} // namespace flack::tools
