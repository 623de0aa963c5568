#include "server/cluster/clustermessage.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

#include <limits>

namespace flack::server::cluster {

using rooms::ChatEvent;
using rooms::MemberInfo;

namespace {

// Short keys: these maps go over the wire for every event.
const QString kChat = QStringLiteral("c");
const QString kConnection = QStringLiteral("i");
const QString kUserId = QStringLiteral("u");
const QString kUserName = QStringLiteral("n");
const QString kNode = QStringLiteral("o");
const QString kMembers = QStringLiteral("m");
const QString kRoster = QStringLiteral("r");
const QString kSequence = QStringLiteral("s");
const QString kKind = QStringLiteral("k");
const QString kOrigin = QStringLiteral("g");
const QString kJson = QStringLiteral("j");
const QString kMime = QStringLiteral("t");
const QString kText = QStringLiteral("x");
const QString kCode = QStringLiteral("e");
const QString kReason = QStringLiteral("why");
const QString kName = QStringLiteral("name");
const QString kIncarnation = QStringLiteral("inc");
const QString kAddress = QStringLiteral("addr");

// A strict reader over one decoded map: every key read must be there with the right type and
// size, and the map may hold no key that wasn't asked for.
class MapReader
{
public:
    explicit MapReader(const QCborValue &value) : m_ok(value.isMap()), m_map(value.toMap()) {}

    QString text(const QString &key, qsizetype maxChars, bool allowEmpty = false)
    {
        const QCborValue value = take(key);
        if (!value.isString() || value.toString().size() > maxChars ||
            (!allowEmpty && value.toString().isEmpty())) {
            m_ok = false;
            return {};
        }
        return value.toString();
    }
    QByteArray bytes(const QString &key, qsizetype maxBytes)
    {
        const QCborValue value = take(key);
        if (!value.isByteArray() || value.toByteArray().size() > maxBytes ||
            value.toByteArray().isEmpty()) {
            m_ok = false;
            return {};
        }
        return value.toByteArray();
    }
    qint64 integer(const QString &key, qint64 min, qint64 max)
    {
        const QCborValue value = take(key);
        if (!value.isInteger() || value.toInteger() < min || value.toInteger() > max) {
            m_ok = false;
            return 0;
        }
        return value.toInteger();
    }
    QCborArray array(const QString &key, qsizetype maxItems)
    {
        const QCborValue value = take(key);
        if (!value.isArray() || value.toArray().size() > maxItems) {
            m_ok = false;
            return {};
        }
        return value.toArray();
    }
    QCborValue any(const QString &key) { return take(key); }
    // True when every read succeeded and nothing was left unread.
    bool done() const { return m_ok && m_taken == m_map.size(); }
    void fail() { m_ok = false; }

private:
    QCborValue take(const QString &key)
    {
        const QCborValue value = m_map.value(key);
        if (value.isUndefined()) {
            m_ok = false;
            return {};
        }
        ++m_taken;
        return value;
    }
    bool m_ok;
    QCborMap m_map;
    qsizetype m_taken = 0;
};

std::optional<QCborValue> parse(const QByteArray &payload)
{
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(payload, &error);
    if (error.error != QCborError::NoError || !value.isMap())
        return std::nullopt;
    return value;
}

QCborMap memberMap(const MemberInfo &member, bool withNode)
{
    QCborMap map{
        {kConnection, member.connectionId}, {kUserId, member.userId}, {kUserName, member.userName}};
    if (withNode)
        map.insert(kNode, member.node);
    return map;
}

std::optional<MemberInfo> readMember(const QCborValue &value, bool withNode)
{
    MapReader reader(value);
    MemberInfo member;
    member.connectionId = reader.text(kConnection, kMaxNameChars);
    member.userId = reader.text(kUserId, kMaxNameChars);
    member.userName = reader.text(kUserName, kMaxNameChars);
    if (withNode)
        member.node = reader.text(kNode, kMaxNameChars);
    if (!reader.done())
        return std::nullopt;
    return member;
}

QCborArray memberArray(const std::vector<MemberInfo> &members, bool withNode)
{
    QCborArray array;
    for (const MemberInfo &member : members)
        array.append(memberMap(member, withNode));
    return array;
}

bool readMembers(const QCborArray &array, bool withNode, std::vector<MemberInfo> *out)
{
    out->reserve(size_t(array.size()));
    for (const QCborValue &item : array) {
        const auto member = readMember(item, withNode);
        if (!member)
            return false;
        out->push_back(*member);
    }
    return true;
}

QByteArray toCbor(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}

} // namespace

QByteArray encodeGossip(const QList<GossipMember> &members)
{
    QCborArray array;
    for (const GossipMember &member : members)
        array.append(QCborMap{{kName, member.name},
                              {kIncarnation, qint64(member.incarnation)},
                              {kAddress, member.address}});
    return toCbor(QCborMap{{kMembers, array}});
}

std::optional<QList<GossipMember>> decodeGossip(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    const QCborArray array = reader.array(kMembers, kMaxGossipMembers);
    if (!reader.done())
        return std::nullopt;
    QList<GossipMember> members;
    for (const QCborValue &item : array) {
        MapReader entry(item);
        GossipMember member;
        member.name = entry.text(kName, 255);
        member.incarnation =
            quint64(entry.integer(kIncarnation, 1, std::numeric_limits<qint64>::max()));
        member.address = entry.text(kAddress, 300);
        if (!entry.done())
            return std::nullopt;
        members.append(member);
    }
    return members;
}

QByteArray encodeJoin(const QString &chatName, const MemberInfo &member)
{
    QCborMap map = memberMap(member, false);
    map.insert(kChat, chatName);
    return toCbor(map);
}

std::optional<std::pair<QString, MemberInfo>> decodeJoin(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    QCborMap map = value->toMap();
    const QCborValue chat = map.take(kChat);
    if (!chat.isString() || chat.toString().isEmpty() || chat.toString().size() > kMaxNameChars)
        return std::nullopt;
    const auto member = readMember(map, false);
    if (!member)
        return std::nullopt;
    return std::make_pair(chat.toString(), *member);
}

QByteArray encodeMemberRequest(const QString &chatName, const QString &connectionId)
{
    return toCbor(QCborMap{{kChat, chatName}, {kConnection, connectionId}});
}

std::optional<std::pair<QString, QString>> decodeMemberRequest(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    QString chat = reader.text(kChat, kMaxNameChars);
    QString connection = reader.text(kConnection, kMaxNameChars);
    if (!reader.done())
        return std::nullopt;
    return std::make_pair(chat, connection);
}

QByteArray encodePost(const PostRequest &post)
{
    return toCbor(QCborMap{{kChat, post.chatName},
                           {kConnection, post.connectionId},
                           {kMime, post.mimeType},
                           {kText, post.message},
                           {kOrigin, post.originId}});
}

std::optional<PostRequest> decodePost(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    PostRequest post;
    post.chatName = reader.text(kChat, kMaxNameChars);
    post.connectionId = reader.text(kConnection, kMaxNameChars);
    post.mimeType = reader.text(kMime, kMaxNameChars);
    post.message = reader.text(kText, kMaxMessageChars);
    post.originId = reader.text(kOrigin, kMaxNameChars);
    if (!reader.done())
        return std::nullopt;
    return post;
}

QByteArray encodeState(const StateMessage &state)
{
    return toCbor(QCborMap{{kChat, state.chatName},
                           {kConnection, state.connectionId},
                           {kJson, state.json},
                           {kRoster, memberArray(state.roster, true)}});
}

std::optional<StateMessage> decodeState(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    StateMessage state;
    state.chatName = reader.text(kChat, kMaxNameChars);
    state.connectionId = reader.text(kConnection, kMaxNameChars);
    state.json = reader.bytes(kJson, kMaxMessageChars);
    const QCborArray roster = reader.array(kRoster, kMaxRosterMembers);
    if (!reader.done() || !readMembers(roster, true, &state.roster))
        return std::nullopt;
    return state;
}

QByteArray encodeEvent(const ChatEvent &event)
{
    return toCbor(QCborMap{{kChat, event.chatName},
                           {kKind, int(event.kind)},
                           {kSequence, event.sequence},
                           {kMembers, memberMap(event.subject, true)},
                           {kOrigin, event.originId},
                           {kJson, event.json}});
}

std::optional<ChatEvent> decodeEvent(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    ChatEvent event;
    event.chatName = reader.text(kChat, kMaxNameChars);
    event.kind = ChatEvent::Kind(
        reader.integer(kKind, int(ChatEvent::Kind::Joined), int(ChatEvent::Kind::Message)));
    event.sequence = reader.integer(kSequence, 1, std::numeric_limits<qint64>::max());
    const auto subject = readMember(reader.any(kMembers), true);
    event.originId = reader.text(kOrigin, kMaxNameChars, true);
    event.json = reader.bytes(kJson, kMaxMessageChars);
    if (!reader.done() || !subject)
        return std::nullopt;
    event.subject = *subject;
    return event;
}

QByteArray encodeRefuse(const RefuseMessage &refuse)
{
    return toCbor(QCborMap{{kChat, refuse.chatName},
                           {kConnection, refuse.connectionId},
                           {kCode, int(refuse.code)},
                           {kReason, refuse.reason}});
}

std::optional<RefuseMessage> decodeRefuse(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    RefuseMessage refuse;
    refuse.chatName = reader.text(kChat, kMaxNameChars);
    refuse.connectionId = reader.text(kConnection, kMaxNameChars);
    refuse.code = protocol::ErrorCode(reader.integer(kCode, int(protocol::ErrorCode::InvalidHello),
                                                     int(protocol::ErrorCode::TooManyRooms)));
    refuse.reason = reader.text(kReason, 1024, true);
    if (!reader.done())
        return std::nullopt;
    return refuse;
}

QByteArray encodeAttach(const AttachRequest &attach)
{
    return toCbor(QCborMap{{kChat, attach.chatName},
                           {kSequence, attach.lastSequence},
                           {kMembers, memberArray(attach.members, false)},
                           {kRoster, memberArray(attach.roster, true)}});
}

std::optional<AttachRequest> decodeAttach(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    AttachRequest attach;
    attach.chatName = reader.text(kChat, kMaxNameChars);
    attach.lastSequence = reader.integer(kSequence, 0, std::numeric_limits<qint64>::max());
    const QCborArray members = reader.array(kMembers, kMaxRosterMembers);
    const QCborArray roster = reader.array(kRoster, kMaxRosterMembers);
    if (!reader.done() || !readMembers(members, false, &attach.members) ||
        !readMembers(roster, true, &attach.roster))
        return std::nullopt;
    return attach;
}

QByteArray encodeMoved(const QString &chatName)
{
    return toCbor(QCborMap{{kChat, chatName}});
}

std::optional<QString> decodeMoved(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    QString chat = reader.text(kChat, kMaxNameChars);
    if (!reader.done())
        return std::nullopt;
    return chat;
}

namespace {
const QString kId = QStringLiteral("id");
const QString kOk = QStringLiteral("ok");
constexpr qint64 kMaxId = std::numeric_limits<qint64>::max();
} // namespace

QByteArray encodeStatsRequest(quint64 id)
{
    return toCbor(QCborMap{{kId, qint64(id)}});
}

std::optional<quint64> decodeStatsRequest(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    const qint64 id = reader.integer(kId, 0, kMaxId);
    if (!reader.done())
        return std::nullopt;
    return quint64(id);
}

QByteArray encodeStatsReply(quint64 id, const QByteArray &json)
{
    return toCbor(QCborMap{{kId, qint64(id)}, {kJson, json}});
}

std::optional<std::pair<quint64, QByteArray>> decodeStatsReply(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    const qint64 id = reader.integer(kId, 0, kMaxId);
    QByteArray json = reader.bytes(kJson, kMaxMessageChars);
    if (!reader.done())
        return std::nullopt;
    return std::make_pair(quint64(id), json);
}

QByteArray encodeKickRequest(const KickRequestMessage &request)
{
    return toCbor(QCborMap{
        {kId, qint64(request.id)}, {kConnection, request.connectionId}, {kReason, request.reason}});
}

std::optional<KickRequestMessage> decodeKickRequest(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    KickRequestMessage request;
    request.id = quint64(reader.integer(kId, 0, kMaxId));
    request.connectionId = reader.text(kConnection, kMaxNameChars);
    request.reason = reader.text(kReason, 4096, true);
    if (!reader.done())
        return std::nullopt;
    return request;
}

QByteArray encodeKickReply(const KickReplyMessage &reply)
{
    return toCbor(QCborMap{{kId, qint64(reply.id)},
                           {kOk, reply.ok},
                           {kReason, reply.reason},
                           {kUserName, reply.userName}});
}

std::optional<KickReplyMessage> decodeKickReply(const QByteArray &payload)
{
    const auto value = parse(payload);
    if (!value)
        return std::nullopt;
    MapReader reader(*value);
    KickReplyMessage reply;
    reply.id = quint64(reader.integer(kId, 0, kMaxId));
    const QCborValue ok = reader.any(kOk);
    reply.reason = reader.text(kReason, 4096, true);
    reply.userName = reader.text(kUserName, kMaxNameChars, true);
    if (!reader.done() || !ok.isBool())
        return std::nullopt;
    reply.ok = ok.toBool();
    return reply;
}

} // namespace flack::server::cluster
