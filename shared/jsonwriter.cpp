#include "shared/jsonwriter.h"

#include <QString>

namespace flack::protocol {

void JsonWriter::appendString(QByteArray &out, QByteArrayView utf8)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.append('"');
    // Copy runs of bytes that need no escaping in one go: most text has no quotes or controls.
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0xEF)
            continue;
        if (c == 0xEF) {
            // U+FEFF (EF BB BF) is written as \ufeff: Qt's JSON parser (QJsonDocument, used by
            // our tools and the decoder) silently drops a raw one that opens a string, which
            // would break the byte-exact round trip. Other EF-led characters pass through.
            if (i + 2 >= utf8.size() || static_cast<unsigned char>(utf8[i + 1]) != 0xBB ||
                static_cast<unsigned char>(utf8[i + 2]) != 0xBF)
                continue;
            out.append(utf8.sliced(runStart, i - runStart));
            out.append("\\ufeff", 6);
            i += 2;
            runStart = i + 1;
            continue;
        }
        out.append(utf8.sliced(runStart, i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(escaped, 6);
        }
        }
    }
    out.append(utf8.sliced(runStart));
    out.append('"');
}

qsizetype JsonWriter::escapedSize(QByteArrayView utf8)
{
    // The same rules as appendString(), counted instead of written.
    qsizetype size = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' ||
            c == '\f')
            size += 2;
        else if (c < 0x20)
            size += 6;
        else if (c == 0xEF && i + 2 < utf8.size() &&
                 static_cast<unsigned char>(utf8[i + 1]) == 0xBB &&
                 static_cast<unsigned char>(utf8[i + 2]) == 0xBF) {
            size += 6; // \ufeff
            i += 2;
        } else
            size += 1;
    }
    return size;
}

void JsonWriter::key(QByteArrayView key)
{
    if (!m_first)
        m_buffer.append(',');
    m_first = false;
    m_buffer.append('"').append(key).append("\":", 2);
}

JsonWriter &JsonWriter::field(QByteArrayView name, QStringView value)
{
    key(name);
    appendString(m_buffer, value.toUtf8());
    return *this;
}

JsonWriter &JsonWriter::fieldUtf8(QByteArrayView name, QByteArrayView utf8Value)
{
    key(name);
    appendString(m_buffer, utf8Value);
    return *this;
}

JsonWriter &JsonWriter::field(QByteArrayView name, qint64 value)
{
    key(name);
    m_buffer.append(QByteArray::number(value));
    return *this;
}

JsonWriter &JsonWriter::rawField(QByteArrayView name, QByteArrayView json)
{
    key(name);
    m_buffer.append(json);
    return *this;
}

QByteArray JsonWriter::finish()
{
    m_buffer.append('}');
    return std::move(m_buffer);
}

} // namespace flack::protocol
