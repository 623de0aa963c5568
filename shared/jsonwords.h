#pragma once
// Words for the strict decoders' violation messages (serverrecord, adminrecord): a value's JSON
// type and a quoted text, phrased the same everywhere.

#include <QJsonValue>
#include <QString>

namespace flack::protocol {

// "a string", "a number", "null", ...
QString jsonTypeName(const QJsonValue &value);
// The text in double quotes.
QString quoted(QStringView text);

} // namespace flack::protocol
