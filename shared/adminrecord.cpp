#include "shared/adminrecord.h"

#include "shared/jsonwords.h"
#include "shared/jsonwriter.h"
#include "shared/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QSet>
#include <QUtf8StringView>

#include <cmath>
#include <initializer_list>

namespace flack::protocol {

using L = QLatin1StringView;

QLatin1StringView adminErrorCodeString(AdminErrorCode code)
{
    switch (code) {
    case AdminErrorCode::WrongToken:
        return L("ADMIN-001");
    case AdminErrorCode::Malformed:
        return L("ADMIN-002");
    case AdminErrorCode::UnsupportedVersion:
        return L("ADMIN-003");
    }
    return L("ADMIN-002");
}

QLatin1StringView adminDefaultReason(AdminErrorCode code)
{
    switch (code) {
    case AdminErrorCode::WrongToken:
        return L("wrong admin token");
    case AdminErrorCode::Malformed:
        return L("malformed or unknown record");
    case AdminErrorCode::UnsupportedVersion:
        return L("unsupported protocol_version");
    }
    return L("malformed or unknown record");
}

namespace {

// ---------------------------------------------------------------- encoding

QLatin1StringView linkStateName(LinkState state)
{
    return state == LinkState::Up ? L("up") : L("down");
}

QLatin1StringView nodeStatusName(NodeStatus status)
{
    return status == NodeStatus::Up ? L("up") : L("unreachable");
}

// The shortest text that reads back as the same double, in fixed notation, with ".0" when whole
// so a rate always looks like one (the document writes 52.0). A rate can't be negative or
// non-finite on the wire (JSON has no NaN): such a value from a broken counter is written as 0.
QByteArray formatRate(double value)
{
    if (!std::isfinite(value) || value < 0)
        value = 0;
    QByteArray text = QByteArray::number(value, 'f', QLocale::FloatingPointShortest);
    if (!text.contains('.'))
        text.append(".0");
    return text;
}

template <typename T, typename Encode> QByteArray encodeList(const QList<T> &items, Encode encode)
{
    QByteArray out;
    out.append('[');
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.append(',');
        encode(out, items[i]);
    }
    out.append(']');
    return out;
}

QByteArray encodeStrings(const QStringList &strings)
{
    return encodeList(strings, [](QByteArray &out, const QString &text) {
        JsonWriter::appendString(out, text.toUtf8());
    });
}

void appendLink(QByteArray &out, const LinkInfo &link)
{
    out.append(JsonWriter()
                   .field("node", link.node)
                   .field("state", linkStateName(link.state))
                   .field("rtt_ms", link.rttMs)
                   .finish());
}

void appendNode(QByteArray &out, const NodeInfo &node)
{
    out.append(JsonWriter()
                   .field("name", node.name)
                   .field("incarnation", node.incarnation)
                   .field("address", node.address)
                   .field("version", node.version)
                   .field("status", nodeStatusName(node.status))
                   .field("uptime_s", node.uptimeS)
                   .field("connections", node.connections)
                   .field("chats_owned", node.chatsOwned)
                   .rawField("messages_in_per_s", formatRate(node.messagesInPerS))
                   .rawField("messages_out_per_s", formatRate(node.messagesOutPerS))
                   .rawField("deliveries_per_s", formatRate(node.deliveriesPerS))
                   .rawField("links", encodeList(node.links, appendLink))
                   .finish());
}

void appendChat(QByteArray &out, const ChatInfo &chat)
{
    out.append(JsonWriter()
                   .field("name", chat.name)
                   .field("owner", chat.owner)
                   .field("members", chat.members)
                   .rawField("messages_per_s", formatRate(chat.messagesPerS))
                   .field("last_sequence", chat.lastSequence)
                   .finish());
}

void appendUser(QByteArray &out, const UserInfo &user)
{
    out.append(JsonWriter()
                   .field("connection_id", user.connectionId)
                   .field("user_id", user.userId)
                   .field("user_name", user.userName)
                   .field("node", user.node)
                   .field("remote_address", user.remoteAddress)
                   .field("connected_since", user.connectedSince)
                   .rawField("chats", encodeStrings(user.chats))
                   .field("messages_sent", user.messagesSent)
                   .finish());
}

// ---------------------------------------------------------------- decoding

// Reads the fields of one JSON object, remembering only the first rule broken. Every read after
// a failure is a no-op returning a default, so a decoder reads all its fields in a row and
// checks once at the end.
class Reader
{
public:
    Reader(QString &violation, const QJsonObject &object, QString where)
        : m_violation(violation), m_object(object), m_where(std::move(where))
    {
    }

    bool failed() const { return !m_violation.isEmpty(); }

    void fail(const QString &what)
    {
        if (!failed())
            m_violation = m_where + QStringLiteral(": ") + what;
    }

    // Exact key set: each expected key present and nothing else ("record" is checked by the
    // caller where a record has one and must be listed here then).
    void expectKeys(std::initializer_list<L> keys)
    {
        for (L key : keys) {
            if (!m_object.contains(key))
                return fail(QStringLiteral("missing key ") + quoted(QString(key)));
        }
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            bool known = false;
            for (L key : keys)
                known = known || it.key() == key;
            if (!known)
                return fail(QStringLiteral("unknown key ") + quoted(it.key()));
        }
    }

    enum class Empty { Refused, Allowed };

    QString string(L key, Empty empty = Empty::Refused, qsizetype maxUtf8Bytes = -1)
    {
        const QJsonValue value = m_object.value(key);
        if (failed())
            return {};
        if (!value.isString()) {
            fail(field(key) + QStringLiteral(" is ") + jsonTypeName(value) +
                 QStringLiteral(", not a string"));
            return {};
        }
        QString text = value.toString();
        if (empty == Empty::Refused && text.isEmpty())
            fail(field(key) + QStringLiteral(" is empty"));
        // A lone "\ud800" escape decodes to an unpaired surrogate, which UTF-8 can't carry:
        // re-encoded (or relayed) it would be U+FFFD, another name.
        else if (!text.isValidUtf16())
            fail(field(key) + QStringLiteral(" has an unpaired surrogate"));
        else if (maxUtf8Bytes >= 0 && text.toUtf8().size() > maxUtf8Bytes)
            fail(field(key) + QStringLiteral(" is longer than %1 bytes").arg(maxUtf8Bytes));
        return text;
    }

    QString timestamp(L key)
    {
        QString text = string(key);
        if (!failed() && !isValidTimestamp(text))
            fail(field(key) + QStringLiteral(" is not of the form YYYY-MM-DDTHH:MM:SSZ: ") +
                 quoted(text));
        return text;
    }

    qint64 integer(L key, qint64 minimum)
    {
        const QJsonValue value = m_object.value(key);
        if (failed())
            return 0;
        if (!value.isDouble()) {
            fail(field(key) + QStringLiteral(" is ") + jsonTypeName(value) +
                 QStringLiteral(", not an integer"));
            return 0;
        }
        const double number = value.toDouble();
        // JSON numbers are doubles: beyond 2^53 an "integer" is no longer exact.
        if (std::trunc(number) != number || std::fabs(number) > 9007199254740992.0) {
            fail(field(key) + QStringLiteral(" is not an integer: %1").arg(number));
            return 0;
        }
        if (number < double(minimum)) {
            fail(field(key) + QStringLiteral(" is %1, below %2").arg(number).arg(minimum));
            return 0;
        }
        return qint64(number);
    }

    double rate(L key)
    {
        const QJsonValue value = m_object.value(key);
        if (failed())
            return 0;
        if (!value.isDouble()) {
            fail(field(key) + QStringLiteral(" is ") + jsonTypeName(value) +
                 QStringLiteral(", not a number"));
            return 0;
        }
        const double number = value.toDouble();
        if (!std::isfinite(number) || number < 0) {
            fail(field(key) + QStringLiteral(" is %1, not a rate >= 0").arg(number));
            return 0;
        }
        return number;
    }

    bool boolean(L key)
    {
        const QJsonValue value = m_object.value(key);
        if (failed())
            return false;
        if (!value.isBool()) {
            fail(field(key) + QStringLiteral(" is ") + jsonTypeName(value) +
                 QStringLiteral(", not a boolean"));
            return false;
        }
        return value.toBool();
    }

    // One of the given words; returns its index.
    int oneOf(L key, std::initializer_list<L> words)
    {
        const QString text = string(key);
        if (failed())
            return 0;
        int index = 0;
        for (L word : words) {
            if (text == word)
                return index;
            ++index;
        }
        QString list;
        for (L word : words)
            list += (list.isEmpty() ? QString() : QStringLiteral(" or ")) + quoted(QString(word));
        fail(field(key) + QStringLiteral(" is ") + quoted(text) + QStringLiteral(", not ") + list);
        return 0;
    }

    QJsonArray array(L key)
    {
        const QJsonValue value = m_object.value(key);
        if (failed())
            return {};
        if (!value.isArray()) {
            fail(field(key) + QStringLiteral(" is ") + jsonTypeName(value) +
                 QStringLiteral(", not a list"));
            return {};
        }
        return value.toArray();
    }

    // A list of non-empty, distinct strings.
    QStringList names(L key)
    {
        const QJsonArray values = array(key);
        QStringList result;
        QSet<QString> seen;
        for (qsizetype i = 0; i < values.size() && !failed(); ++i) {
            const QJsonValue value = values.at(i);
            const QString item = field(key) + QStringLiteral("[%1]").arg(i);
            const QString text = value.toString();
            if (!value.isString())
                fail(item + QStringLiteral(" is ") + jsonTypeName(value) +
                     QStringLiteral(", not a string"));
            else if (text.isEmpty())
                fail(item + QStringLiteral(" is empty"));
            else if (!text.isValidUtf16())
                fail(item + QStringLiteral(" has an unpaired surrogate"));
            else if (seen.contains(text))
                fail(item + QStringLiteral(" repeats ") + quoted(text));
            seen.insert(text);
            result.append(text);
        }
        return result;
    }

    // Decodes each element of a list of objects with decodeItem(Reader &, T &).
    template <typename T, typename DecodeItem> QList<T> objects(L key, DecodeItem decodeItem)
    {
        const QJsonArray values = array(key);
        QList<T> result;
        for (qsizetype i = 0; i < values.size() && !failed(); ++i) {
            const QJsonValue value = values.at(i);
            const QString item = m_where + u' ' + field(key) + QStringLiteral("[%1]").arg(i);
            if (!value.isObject()) {
                fail(field(key) + QStringLiteral("[%1] is ").arg(i) + jsonTypeName(value) +
                     QStringLiteral(", not an object"));
                break;
            }
            Reader inner(m_violation, value.toObject(), item);
            T decoded;
            decodeItem(inner, decoded);
            result.append(std::move(decoded));
        }
        return result;
    }

private:
    static QString field(L key) { return quoted(QString(key)); }

    QString &m_violation;
    QJsonObject m_object; // by value: list items are temporaries
    QString m_where;
};

void readLink(Reader &reader, LinkInfo &link)
{
    reader.expectKeys({L("node"), L("state"), L("rtt_ms")});
    link.node = reader.string(L("node"));
    link.state =
        reader.oneOf(L("state"), {L("up"), L("down")}) == 0 ? LinkState::Up : LinkState::Down;
    link.rttMs = reader.integer(L("rtt_ms"), -1);
}

void readNode(Reader &reader, NodeInfo &node)
{
    reader.expectKeys({L("name"), L("incarnation"), L("address"), L("version"), L("status"),
                       L("uptime_s"), L("connections"), L("chats_owned"), L("messages_in_per_s"),
                       L("messages_out_per_s"), L("deliveries_per_s"), L("links")});
    node.name = reader.string(L("name"));
    node.incarnation = reader.integer(L("incarnation"), 0);
    node.address = reader.string(L("address"));
    node.version = reader.string(L("version"));
    node.status = reader.oneOf(L("status"), {L("up"), L("unreachable")}) == 0
                      ? NodeStatus::Up
                      : NodeStatus::Unreachable;
    node.uptimeS = reader.integer(L("uptime_s"), 0);
    node.connections = reader.integer(L("connections"), 0);
    node.chatsOwned = reader.integer(L("chats_owned"), 0);
    node.messagesInPerS = reader.rate(L("messages_in_per_s"));
    node.messagesOutPerS = reader.rate(L("messages_out_per_s"));
    node.deliveriesPerS = reader.rate(L("deliveries_per_s"));
    node.links = reader.objects<LinkInfo>(L("links"), readLink);
    QSet<QString> peers;
    for (const LinkInfo &link : std::as_const(node.links)) {
        if (link.node == node.name)
            reader.fail(QStringLiteral("a link to itself"));
        else if (peers.contains(link.node))
            reader.fail(QStringLiteral("two links to ") + quoted(link.node));
        peers.insert(link.node);
    }
}

void readChat(Reader &reader, ChatInfo &chat)
{
    reader.expectKeys(
        {L("name"), L("owner"), L("members"), L("messages_per_s"), L("last_sequence")});
    chat.name = reader.string(L("name"));
    chat.owner = reader.string(L("owner"));
    chat.members = reader.integer(L("members"), 0);
    chat.messagesPerS = reader.rate(L("messages_per_s"));
    chat.lastSequence = reader.integer(L("last_sequence"), 0);
}

void readUser(Reader &reader, UserInfo &user)
{
    reader.expectKeys({L("connection_id"), L("user_id"), L("user_name"), L("node"),
                       L("remote_address"), L("connected_since"), L("chats"), L("messages_sent")});
    user.connectionId = reader.string(L("connection_id"));
    user.userId = reader.string(L("user_id"));
    user.userName = reader.string(L("user_name"));
    user.node = reader.string(L("node"));
    user.remoteAddress = reader.string(L("remote_address"));
    user.connectedSince = reader.timestamp(L("connected_since"));
    user.chats = reader.names(L("chats"));
    user.messagesSent = reader.integer(L("messages_sent"), 0);
}

template <typename T, typename KeyOf>
void expectUnique(Reader &reader, const QList<T> &items, QLatin1StringView list, KeyOf keyOf)
{
    QSet<QString> seen;
    for (const T &item : items) {
        const QString key = keyOf(item);
        if (seen.contains(key))
            return reader.fail(quoted(QString(list)) + QStringLiteral(" lists ") + quoted(key) +
                               QStringLiteral(" twice"));
        seen.insert(key);
    }
}

// The rules shared by snapshot and update: the answering node is known, names are unique, and
// "unreachable" agrees with the nodes' status.
void checkNodes(Reader &reader, const QString &answering, const QList<NodeInfo> &nodes,
                const QStringList &unreachable)
{
    if (reader.failed())
        return;
    expectUnique(reader, nodes, L("nodes"), [](const NodeInfo &n) { return n.name; });
    bool answeringKnown = false;
    QSet<QString> down;
    for (const NodeInfo &node : nodes) {
        answeringKnown = answeringKnown || node.name == answering;
        if (node.status == NodeStatus::Unreachable)
            down.insert(node.name);
    }
    if (!answeringKnown)
        reader.fail(QStringLiteral("the answering node ") + quoted(answering) +
                    QStringLiteral(" is not among \"nodes\""));
    for (const QString &name : unreachable) {
        if (!down.remove(name))
            reader.fail(QStringLiteral("\"unreachable\" names ") + quoted(name) +
                        QStringLiteral(", which is not a node with status \"unreachable\""));
    }
    if (!down.isEmpty())
        reader.fail(QStringLiteral("node ") + quoted(*down.cbegin()) +
                    QStringLiteral(" has status \"unreachable\" but is not in \"unreachable\""));
}

template <typename T, typename KeyOf>
void expectDisjoint(Reader &reader, const QList<T> &changed, const QStringList &removed,
                    QLatin1StringView what, KeyOf keyOf)
{
    const QSet<QString> gone(removed.cbegin(), removed.cend());
    for (const T &item : changed) {
        if (gone.contains(keyOf(item)))
            return reader.fail(QString(what) + u' ' + quoted(keyOf(item)) +
                               QStringLiteral(" is both changed and removed"));
    }
}

void readSnapshot(Reader &reader, ClusterSnapshot &snapshot)
{
    reader.expectKeys(
        {L("record"), L("node"), L("time"), L("nodes"), L("chats"), L("users"), L("unreachable")});
    snapshot.node = reader.string(L("node"));
    snapshot.time = reader.timestamp(L("time"));
    snapshot.nodes = reader.objects<NodeInfo>(L("nodes"), readNode);
    snapshot.chats = reader.objects<ChatInfo>(L("chats"), readChat);
    snapshot.users = reader.objects<UserInfo>(L("users"), readUser);
    snapshot.unreachable = reader.names(L("unreachable"));
    checkNodes(reader, snapshot.node, snapshot.nodes, snapshot.unreachable);
    expectUnique(reader, snapshot.chats, L("chats"), [](const ChatInfo &c) { return c.name; });
    expectUnique(reader, snapshot.users, L("users"),
                 [](const UserInfo &u) { return u.connectionId; });
}

void readUpdate(Reader &reader, ClusterUpdate &update)
{
    reader.expectKeys({L("record"), L("node"), L("time"), L("nodes"), L("chats_changed"),
                       L("chats_removed"), L("users_changed"), L("users_removed"),
                       L("unreachable")});
    update.node = reader.string(L("node"));
    update.time = reader.timestamp(L("time"));
    update.nodes = reader.objects<NodeInfo>(L("nodes"), readNode);
    update.chatsChanged = reader.objects<ChatInfo>(L("chats_changed"), readChat);
    update.chatsRemoved = reader.names(L("chats_removed"));
    update.usersChanged = reader.objects<UserInfo>(L("users_changed"), readUser);
    update.usersRemoved = reader.names(L("users_removed"));
    update.unreachable = reader.names(L("unreachable"));
    checkNodes(reader, update.node, update.nodes, update.unreachable);
    const auto chatName = [](const ChatInfo &c) { return c.name; };
    const auto connectionId = [](const UserInfo &u) { return u.connectionId; };
    expectUnique(reader, update.chatsChanged, L("chats_changed"), chatName);
    expectUnique(reader, update.usersChanged, L("users_changed"), connectionId);
    expectDisjoint(reader, update.chatsChanged, update.chatsRemoved, L("chat"), chatName);
    expectDisjoint(reader, update.usersChanged, update.usersRemoved, L("user"), connectionId);
}

void readAdminError(Reader &reader, AdminError &error)
{
    reader.expectKeys({L("record"), L("code"), L("reason")});
    error.code = AdminErrorCode(
        reader.oneOf(L("code"), {adminErrorCodeString(AdminErrorCode::WrongToken),
                                 adminErrorCodeString(AdminErrorCode::Malformed),
                                 adminErrorCodeString(AdminErrorCode::UnsupportedVersion)}));
    error.reason = reader.string(L("reason"));
}

void readKickResult(Reader &reader, const QJsonObject &object, KickResult &result)
{
    // Which key set applies depends on "ok", so its type is checked first when it is there.
    if (object.contains(L("ok")))
        result.ok = reader.boolean(L("ok"));
    if (result.ok)
        reader.expectKeys({L("record"), L("connection_id"), L("ok")});
    else
        reader.expectKeys({L("record"), L("connection_id"), L("ok"), L("reason")});
    result.connectionId =
        reader.string(L("connection_id"), Reader::Empty::Refused, kAdminMaxConnectionIdBytes);
    if (!result.ok)
        result.reason = reader.string(L("reason"));
}

// Parses one frame into a JSON object and its record name, or says why it isn't one.
struct Parsed
{
    QJsonObject object;
    QString record;
    QString violation;
};

Parsed parseRecord(QByteArrayView utf8Json)
{
    Parsed parsed;
    // Qt's parser replaces invalid UTF-8 instead of refusing it; the protocol says UTF-8.
    if (!QUtf8StringView(utf8Json.data(), utf8Json.size()).isValidUtf8()) {
        parsed.violation = QStringLiteral("not valid UTF-8");
        return parsed;
    }
    QByteArray input = QByteArray::fromRawData(utf8Json.data(), utf8Json.size());
    // Qt's JSON parser silently drops a raw U+FEFF that directly follows an opening quote (see
    // clientrecord.cpp); spelling each one after a leading BOM as \ufeff keeps it in strings
    // and leaves it invalid between tokens.
    static constexpr QByteArrayView bom("\xEF\xBB\xBF");
    const qsizetype skip = input.startsWith(bom) ? bom.size() : 0;
    if (input.indexOf(bom, skip) >= 0)
        input = input.left(skip) + input.mid(skip).replace(bom, QByteArrayView("\\ufeff"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        parsed.violation = QStringLiteral("not valid JSON (") + parseError.errorString() +
                           QStringLiteral(" at offset %1)").arg(parseError.offset);
        return parsed;
    }
    if (!document.isObject()) {
        parsed.violation = QStringLiteral("not a JSON object");
        return parsed;
    }
    parsed.object = document.object();
    const QJsonValue record = parsed.object.value(L("record"));
    if (!record.isString())
        parsed.violation = QStringLiteral("no string \"record\" field");
    else
        parsed.record = record.toString();
    return parsed;
}

} // namespace

QByteArray encodeAdminHello(const AdminHello &hello)
{
    return JsonWriter()
        .fieldUtf8("record", "admin_hello")
        .field("protocol_version", hello.protocolVersion)
        .field("token", hello.token)
        .finish();
}

QByteArray encodeKickUser(const KickUser &kick)
{
    return JsonWriter()
        .fieldUtf8("record", "kick_user")
        .field("connection_id", kick.connectionId)
        .field("reason", kick.reason)
        .finish();
}

QByteArray encodeAdminError(const AdminError &error)
{
    JsonWriter writer;
    writer.fieldUtf8("record", "admin_error").field("code", adminErrorCodeString(error.code));
    if (error.reason.isEmpty())
        writer.field("reason", adminDefaultReason(error.code));
    else
        writer.field("reason", error.reason);
    return writer.finish();
}

QByteArray encodeClusterSnapshot(const ClusterSnapshot &snapshot)
{
    return JsonWriter()
        .fieldUtf8("record", "cluster_snapshot")
        .field("node", snapshot.node)
        .field("time", snapshot.time)
        .rawField("nodes", encodeList(snapshot.nodes, appendNode))
        .rawField("chats", encodeList(snapshot.chats, appendChat))
        .rawField("users", encodeList(snapshot.users, appendUser))
        .rawField("unreachable", encodeStrings(snapshot.unreachable))
        .finish();
}

QByteArray encodeClusterUpdate(const ClusterUpdate &update)
{
    return JsonWriter()
        .fieldUtf8("record", "cluster_update")
        .field("node", update.node)
        .field("time", update.time)
        .rawField("nodes", encodeList(update.nodes, appendNode))
        .rawField("chats_changed", encodeList(update.chatsChanged, appendChat))
        .rawField("chats_removed", encodeStrings(update.chatsRemoved))
        .rawField("users_changed", encodeList(update.usersChanged, appendUser))
        .rawField("users_removed", encodeStrings(update.usersRemoved))
        .rawField("unreachable", encodeStrings(update.unreachable))
        .finish();
}

QByteArray encodeKickResult(const KickResult &result)
{
    JsonWriter writer;
    writer.fieldUtf8("record", "kick_result")
        .field("connection_id", result.connectionId)
        .rawField("ok", result.ok ? QByteArrayView("true") : QByteArrayView("false"));
    if (!result.ok)
        writer.field("reason", result.reason);
    return writer.finish();
}

AdminClientDecodeResult decodeAdminClientRecord(QByteArrayView utf8Json)
{
    AdminClientDecodeResult result;
    if (utf8Json.size() > kAdminMaxClientRecordBytes) {
        result.reason =
            QStringLiteral("record larger than %1 bytes").arg(kAdminMaxClientRecordBytes);
        return result;
    }
    const Parsed parsed = parseRecord(utf8Json);
    if (!parsed.violation.isEmpty()) {
        result.reason = parsed.violation;
        return result;
    }
    QString violation;
    Reader reader(violation, parsed.object, parsed.record.left(64));
    if (parsed.record == u"admin_hello") {
        reader.expectKeys({L("record"), L("protocol_version"), L("token")});
        AdminHello hello;
        hello.protocolVersion = reader.string(L("protocol_version"));
        hello.token = reader.string(L("token"), Reader::Empty::Allowed);
        if (!reader.failed() && hello.protocolVersion != kAdminProtocolVersion) {
            result.error = AdminErrorCode::UnsupportedVersion;
            result.reason = QStringLiteral("unsupported protocol_version ") +
                            quoted(hello.protocolVersion.left(64)) +
                            QStringLiteral(" (this server speaks \"1.0\")");
            return result;
        }
        result.record = std::move(hello);
    } else if (parsed.record == u"kick_user") {
        reader.expectKeys({L("record"), L("connection_id"), L("reason")});
        KickUser kick;
        kick.connectionId =
            reader.string(L("connection_id"), Reader::Empty::Refused, kAdminMaxConnectionIdBytes);
        kick.reason = reader.string(L("reason"), Reader::Empty::Allowed, kAdminMaxKickReasonBytes);
        result.record = std::move(kick);
    } else {
        result.reason = QStringLiteral("unknown record ") + quoted(parsed.record.left(64));
        return result;
    }
    if (reader.failed()) {
        result.reason = violation;
        result.record = {};
        return result;
    }
    result.ok = true;
    return result;
}

AdminServerDecodeResult decodeAdminServerRecord(QByteArrayView utf8Json)
{
    AdminServerDecodeResult result;
    const Parsed parsed = parseRecord(utf8Json);
    if (!parsed.violation.isEmpty()) {
        result.violation = parsed.violation;
        return result;
    }
    Reader reader(result.violation, parsed.object, parsed.record.left(64));
    if (parsed.record == u"admin_error") {
        AdminError error;
        readAdminError(reader, error);
        result.record = std::move(error);
    } else if (parsed.record == u"cluster_snapshot") {
        ClusterSnapshot snapshot;
        readSnapshot(reader, snapshot);
        result.record = std::move(snapshot);
    } else if (parsed.record == u"cluster_update") {
        ClusterUpdate update;
        readUpdate(reader, update);
        result.record = std::move(update);
    } else if (parsed.record == u"kick_result") {
        KickResult kick;
        readKickResult(reader, parsed.object, kick);
        result.record = std::move(kick);
    } else {
        result.violation = QStringLiteral("unknown record ") + quoted(parsed.record.left(64));
        return result;
    }
    if (reader.failed()) {
        result.record = {};
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace flack::protocol
