#pragma once
// Shape checks for the server records of docs/protocol.md ("exactly these keys, none empty") and a
// raw-socket HTTP helper, shared by the integration tests. Header-only so the support library's
// source list needs no edit.

#include <QAbstractSocket>
#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStringList>
#include <QTcpSocket>

#include <algorithm>

namespace flack::test {

inline bool isProtocolTimestamp(const QJsonValue &value)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
    return value.isString() && pattern.match(value.toString()).hasMatch();
}

inline bool isGeneratedUserId(const QJsonValue &value)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{32}$"));
    return value.isString() && pattern.match(value.toString()).hasMatch();
}

// Sequences are JSON numbers holding whole, positive values.
inline bool isSequence(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() >= 1 &&
           value.toDouble() == double(value.toInteger());
}

inline QStringList sortedKeys(const QJsonObject &object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

// Empty when `object` is a well-formed server record named `expectedRecord` per docs/protocol.md's
// table (exact key set, types, no empty strings, timestamp and sequence shapes); otherwise a
// description of the first problem, for QVERIFY2.
inline QString recordProblem(const QJsonObject &object, QStringView expectedRecord)
{
    enum class Kind { String, Timestamp, Sequence, Users };
    struct Field
    {
        const char *key;
        Kind kind;
    };
    using Fields = QList<Field>;
    static const QHash<QString, Fields> table = {
        {QStringLiteral("server_hello"), {{"protocol_version", Kind::String}}},
        {QStringLiteral("protocol_error"), {{"code", Kind::String}, {"reason", Kind::String}}},
        {QStringLiteral("authenticated"), {{"user_id", Kind::String}}},
        {QStringLiteral("chat_state"), {{"chat_name", Kind::String}, {"users", Kind::Users}}},
        {QStringLiteral("chat_user"), {{"user_name", Kind::String}, {"user_id", Kind::String}}},
        {QStringLiteral("joined"),
         {{"chat_name", Kind::String},
          {"user_name", Kind::String},
          {"user_id", Kind::String},
          {"timestamp", Kind::Timestamp},
          {"sequence", Kind::Sequence}}},
        {QStringLiteral("chat_message"),
         {{"chat_name", Kind::String},
          {"user_id", Kind::String},
          {"mime_type", Kind::String},
          {"message", Kind::String},
          {"timestamp", Kind::Timestamp},
          {"sequence", Kind::Sequence}}},
        {QStringLiteral("left"),
         {{"chat_name", Kind::String},
          {"user_id", Kind::String},
          {"timestamp", Kind::Timestamp},
          {"sequence", Kind::Sequence}}},
        {QStringLiteral("ping_reply"), {}},
        {QStringLiteral("server_goodbye"), {}},
    };
    const QString name = expectedRecord.toString();
    if (object.isEmpty())
        return QStringLiteral("expected %1, got nothing (timeout or not JSON)").arg(name);
    if (object.value(u"record").toString() != name)
        return QStringLiteral("expected record %1, got %2")
            .arg(name, object.value(u"record").toVariant().toString());
    const auto found = table.find(name);
    if (found == table.end())
        return QStringLiteral("no shape known for %1").arg(name);
    QStringList expected{QStringLiteral("record")};
    for (const Field &field : *found)
        expected.append(QString::fromLatin1(field.key));
    expected.sort();
    if (sortedKeys(object) != expected)
        return QStringLiteral("%1 keys are [%2], expected [%3]")
            .arg(name, sortedKeys(object).join(u','), expected.join(u','));
    for (const Field &field : *found) {
        const QString key = QString::fromLatin1(field.key);
        const QJsonValue value = object.value(key);
        switch (field.kind) {
        case Kind::String:
            if (!value.isString() || value.toString().isEmpty())
                return QStringLiteral("%1.%2 is not a non-empty string").arg(name, key);
            break;
        case Kind::Timestamp:
            if (!isProtocolTimestamp(value))
                return QStringLiteral("%1.%2 is not YYYY-MM-DDTHH:MM:SSZ: %3")
                    .arg(name, key, value.toVariant().toString());
            break;
        case Kind::Sequence:
            if (!isSequence(value))
                return QStringLiteral("%1.%2 is not a positive integer").arg(name, key);
            break;
        case Kind::Users:
            if (!value.isArray())
                return QStringLiteral("%1.%2 is not an array").arg(name, key);
            for (const QJsonValue &user : value.toArray()) {
                const QString problem = recordProblem(user.toObject(), u"chat_user");
                if (!problem.isEmpty())
                    return problem;
            }
            break;
        }
    }
    return {};
}

// A parsed HTTP/1.1 response as read off a raw socket.
struct RawHttpResponse
{
    QByteArray raw;                        // everything the server sent
    int status = 0;                        // 0 when no status line arrived
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    bool closedByServer = false;

    QByteArray header(const char *name) const { return headers.value(QByteArray(name).toLower()); }
};

inline RawHttpResponse parseRawHttp(const QByteArray &raw)
{
    RawHttpResponse response;
    response.raw = raw;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return response;
    const QList<QByteArray> lines = raw.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
        return response;
    response.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            response.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                    lines[i].mid(colon + 1).trimmed());
    }
    response.body = raw.mid(end + 4);
    return response;
}

// Connects, writes `request` and reads until the server closes the connection (or the bounded
// wait ends). The servers answers one request per connection, so its close ends the response.
inline RawHttpResponse rawHttp(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray raw;
    QDeadlineTimer deadline(timeoutMs);
    bool closed = false;
    while (!deadline.hasExpired()) {
        if (socket.state() == QAbstractSocket::UnconnectedState) {
            closed = true;
            break;
        }
        socket.waitForReadyRead(int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
        raw += socket.readAll();
    }
    raw += socket.readAll();
    RawHttpResponse response = parseRawHttp(raw);
    response.closedByServer = closed;
    return response;
}

} // namespace flack::test
