#pragma once
// A tiny JSON object writer for the protocol's fixed, flat records. Serializing an event with
// QJsonObject + QJsonDocument costs tens of thousands of instructions; appending escaped UTF-8
// to one buffer costs a few hundred, and rooms encode every event exactly once with it.

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

namespace flack::protocol {

class JsonWriter
{
public:
    // reserve: the bytes the record is expected to take (it grows past them if need be).
    explicit JsonWriter(qsizetype reserve = 128)
    {
        m_buffer.reserve(reserve);
        m_buffer.append('{');
    }

    JsonWriter &field(QByteArrayView key, QStringView value);
    JsonWriter &fieldUtf8(QByteArrayView key, QByteArrayView utf8Value);
    // For the protocol's ASCII constants ("text/plain", error codes).
    JsonWriter &field(QByteArrayView key, QLatin1StringView asciiValue)
    {
        return fieldUtf8(key, QByteArrayView(asciiValue.data(), asciiValue.size()));
    }
    JsonWriter &field(QByteArrayView key, qint64 value);
    // Inserts already-encoded JSON (an array or object) as the value of key.
    JsonWriter &rawField(QByteArrayView key, QByteArrayView json);

    QByteArray finish();

    // Appends value as a quoted, escaped JSON string.
    static void appendString(QByteArray &out, QByteArrayView utf8);
    // The bytes appendString() writes for utf8, without the two quotes.
    static qsizetype escapedSize(QByteArrayView utf8);

private:
    void key(QByteArrayView key);
    QByteArray m_buffer;
    bool m_first = true;
};

} // namespace flack::protocol
