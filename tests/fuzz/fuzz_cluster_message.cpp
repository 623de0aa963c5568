// The cluster messages' CBOR decoders: every frame of type 16 and up that an authenticated peer
// sends goes through one of them (a peer is trusted with the secret, not with well-formed
// bytes: a bug or a version mismatch must not take a node down). The first input byte picks
// the message type as the frame's type byte does; the rest is the payload. Beyond "no crash,
// no leak, no UB": whatever a decoder accepts survives its encoder's round trip
// (decode(encode(m)) == m) and the encoding is stable.

#include "fuzzcommon.h"
#include "server/cluster/clustermessage.h"

using namespace flack::server::cluster;
using flack::server::rooms::ChatEvent;
using flack::server::rooms::MemberInfo;

namespace {

bool same(const MemberInfo &a, const MemberInfo &b)
{
    return a.connectionId == b.connectionId && a.userId == b.userId && a.userName == b.userName &&
           a.node == b.node;
}
bool same(const std::vector<MemberInfo> &a, const std::vector<MemberInfo> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const MemberInfo &x, const MemberInfo &y) { return same(x, y); });
}
bool same(const QList<GossipMember> &a, const QList<GossipMember> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto &x, const auto &y) {
        return x.name == y.name && x.incarnation == y.incarnation && x.address == y.address;
    });
}
bool same(const std::pair<QString, MemberInfo> &a, const std::pair<QString, MemberInfo> &b)
{
    return a.first == b.first && same(a.second, b.second);
}
bool same(const std::pair<QString, QString> &a, const std::pair<QString, QString> &b)
{
    return a == b;
}
bool same(const PostRequest &a, const PostRequest &b)
{
    return a.chatName == b.chatName && a.connectionId == b.connectionId &&
           a.mimeType == b.mimeType && a.message == b.message && a.originId == b.originId;
}
bool same(const StateMessage &a, const StateMessage &b)
{
    return a.chatName == b.chatName && a.connectionId == b.connectionId && a.json == b.json &&
           same(a.roster, b.roster);
}
bool same(const ChatEvent &a, const ChatEvent &b)
{
    return a.chatName == b.chatName && a.kind == b.kind && a.sequence == b.sequence &&
           same(a.subject, b.subject) && a.originId == b.originId && a.json == b.json;
}
bool same(const RefuseMessage &a, const RefuseMessage &b)
{
    return a.chatName == b.chatName && a.connectionId == b.connectionId && a.code == b.code &&
           a.reason == b.reason;
}
bool same(const AttachRequest &a, const AttachRequest &b)
{
    return a.chatName == b.chatName && a.lastSequence == b.lastSequence &&
           same(a.members, b.members) && same(a.roster, b.roster);
}
bool same(const QString &a, const QString &b)
{
    return a == b;
}
bool same(quint64 a, quint64 b)
{
    return a == b;
}
bool same(const std::pair<quint64, QByteArray> &a, const std::pair<quint64, QByteArray> &b)
{
    return a == b;
}
bool same(const KickRequestMessage &a, const KickRequestMessage &b)
{
    return a.id == b.id && a.connectionId == b.connectionId && a.reason == b.reason;
}
bool same(const KickReplyMessage &a, const KickReplyMessage &b)
{
    return a.id == b.id && a.ok == b.ok && a.reason == b.reason && a.userName == b.userName;
}

// Decodes payload; when accepted, encodes it again and checks the round trip.
template <typename Decode, typename Encode>
void roundTrip(const QByteArray &payload, Decode decode, Encode encode)
{
    const auto decoded = decode(payload);
    if (!decoded)
        return;
    const QByteArray encoded = encode(*decoded);
    const auto again = decode(encoded);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(same(*again, *decoded));
    FUZZ_CHECK(encode(*again) == encoded);
}

QByteArray typed(ClusterMessageType type, const QByteArray &payload)
{
    return char(type) + payload;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    using T = ClusterMessageType;
    const MemberInfo alice{QStringLiteral("node-a/1/7"), QStringLiteral("u-1"),
                           QStringLiteral("al\u00efce"), QStringLiteral("node-a")};
    const MemberInfo bob{QStringLiteral("node-b/2/1"), QStringLiteral("u-2"), QStringLiteral("bob"),
                         QStringLiteral("node-b")};
    ChatEvent event;
    event.chatName = QStringLiteral("general");
    event.kind = ChatEvent::Kind::Message;
    event.sequence = 42;
    event.subject = alice;
    event.originId = QStringLiteral("node-a:9");
    event.json = R"({"record":"chat_message"})";
    flack::fuzz::writeSeedsIfAsked({
        {"gossip", typed(T::Gossip, encodeGossip({{QStringLiteral("node-a"), 1764633600123,
                                                   QStringLiteral("127.0.0.1:9001")},
                                                  {QStringLiteral("node-b"), 1, QString()}}))},
        {"join", typed(T::Join, encodeJoin(QStringLiteral("general"), alice))},
        {"leave",
         typed(T::Leave, encodeMemberRequest(QStringLiteral("general"), alice.connectionId))},
        {"post", typed(T::Post, encodePost({QStringLiteral("general"), alice.connectionId,
                                            QStringLiteral("text/plain"), QStringLiteral("hi"),
                                            QStringLiteral("node-a:9")}))},
        {"state", typed(T::State, encodeState({QStringLiteral("general"),
                                               alice.connectionId,
                                               R"({"record":"chat_state"})",
                                               {alice, bob}}))},
        {"event", typed(T::Event, encodeEvent(event))},
        {"refuse", typed(T::Refuse, encodeRefuse({QStringLiteral("general"), alice.connectionId,
                                                  flack::protocol::ErrorCode::TooManyRooms,
                                                  QStringLiteral("full")}))},
        {"attach",
         typed(T::Attach, encodeAttach({QStringLiteral("general"), 41, {alice}, {alice, bob}}))},
        {"moved", typed(T::Moved, encodeMoved(QStringLiteral("general")))},
        {"stats_request", typed(T::StatsRequest, encodeStatsRequest(7))},
        {"stats_reply",
         typed(T::StatsReply, encodeStatsReply(7, R"({"record":"cluster_snapshot"})"))},
        {"kick_request",
         typed(T::KickRequest, encodeKickRequest({8, alice.connectionId, QString()}))},
        {"kick_reply",
         typed(T::KickReply, encodeKickReply({8, true, QString(), QStringLiteral("alice")}))},
        // A map with a duplicate key, an indefinite-length string and a tag around the value.
        {"edge_cbor_forms", typed(T::Moved, QByteArray("\xa2\x61"
                                                       "c\x7f\x61g\x61h\xff\x61"
                                                       "c\xc0\x61x",
                                                       15))},
        {"edge_negative_sequence",
         typed(T::Attach, QByteArray("\xa4\x61"
                                     "c\x61x\x61s\x3b\x7f\xff\xff\xff\xff\xff\xff\xff"
                                     "\x61m\x80\x61r\x80",
                                     22))},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray payload(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    using T = ClusterMessageType;
    // A real type byte passes as it is; any other byte still picks one, so no input is wasted.
    quint8 type = data[0];
    if (type < quint8(T::Gossip) || type > quint8(T::KickReply))
        type = quint8(T::Gossip) + type % 14;
    switch (T(type)) {
    case T::Gossip:
        roundTrip(payload, decodeGossip, encodeGossip);
        break;
    case T::Join:
        roundTrip(payload, decodeJoin, [](const auto &m) { return encodeJoin(m.first, m.second); });
        break;
    case T::Leave:
    case T::Drop:
        roundTrip(payload, decodeMemberRequest,
                  [](const auto &m) { return encodeMemberRequest(m.first, m.second); });
        break;
    case T::Post:
        roundTrip(payload, decodePost, encodePost);
        break;
    case T::State:
        roundTrip(payload, decodeState, encodeState);
        break;
    case T::Event:
        roundTrip(payload, decodeEvent, encodeEvent);
        break;
    case T::Refuse:
        roundTrip(payload, decodeRefuse, encodeRefuse);
        break;
    case T::Attach:
        roundTrip(payload, decodeAttach, encodeAttach);
        break;
    case T::Moved:
        roundTrip(payload, decodeMoved, encodeMoved);
        break;
    case T::StatsRequest:
        roundTrip(payload, decodeStatsRequest, encodeStatsRequest);
        break;
    case T::StatsReply:
        roundTrip(payload, decodeStatsReply,
                  [](const auto &m) { return encodeStatsReply(m.first, m.second); });
        break;
    case T::KickRequest:
        roundTrip(payload, decodeKickRequest, encodeKickRequest);
        break;
    case T::KickReply:
        roundTrip(payload, decodeKickReply, encodeKickReply);
        break;
    }
    return 0;
}
