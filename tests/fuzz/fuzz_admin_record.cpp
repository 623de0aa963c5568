// The admin codec, both directions: the server's /admin endpoint decodes what an admin client
// sends (before the token is checked, so anyone reaching the port can feed it), and flack-admin
// decodes what a server sends. Each input goes to both decoders. Beyond "no crash, no leak, no
// UB": a rejection says why, and an accepted record round-trips through the encoder
// (decode(encode(r)) == r, with rates as doubles compared exactly) with a stable encoding.

#include "fuzzcommon.h"
#include "shared/adminrecord.h"

using namespace flack::protocol;

namespace {

QByteArray encodeClient(const AdminClientRecord &record)
{
    if (const auto *hello = std::get_if<AdminHello>(&record))
        return encodeAdminHello(*hello);
    return encodeKickUser(std::get<KickUser>(record));
}

QByteArray encodeServer(const AdminServerRecord &record)
{
    return std::visit(
        [](const auto &r) -> QByteArray {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, AdminError>)
                return encodeAdminError(r);
            else if constexpr (std::is_same_v<T, ClusterSnapshot>)
                return encodeClusterSnapshot(r);
            else if constexpr (std::is_same_v<T, ClusterUpdate>)
                return encodeClusterUpdate(r);
            else
                return encodeKickResult(r);
        },
        record);
}

ClusterSnapshot sampleSnapshot()
{
    NodeInfo a;
    a.name = QStringLiteral("node-a");
    a.incarnation = 1764633600123;
    a.address = QStringLiteral("127.0.0.1:8080");
    a.version = QStringLiteral("0.1.0");
    a.uptimeS = 3600;
    a.connections = 12;
    a.chatsOwned = 3;
    a.messagesInPerS = 52.0;
    a.messagesOutPerS = 1840.5;
    a.deliveriesPerS = 0.1;
    a.links = {{QStringLiteral("node-b"), LinkState::Up, 3}};
    NodeInfo b = a;
    b.name = QStringLiteral("node-b");
    b.status = NodeStatus::Unreachable;
    b.links = {{QStringLiteral("node-a"), LinkState::Down, -1}};
    ClusterSnapshot s;
    s.node = QStringLiteral("node-a");
    s.time = QStringLiteral("2026-01-02T03:04:05Z");
    s.nodes = {a, b};
    s.chats = {{QStringLiteral("general"), QStringLiteral("node-a"), 2, 4.25, 99}};
    UserInfo u;
    u.connectionId = QStringLiteral("node-a/1764633600123/7");
    u.userId = QStringLiteral("u-1");
    u.userName = QStringLiteral("al\u00efce");
    u.node = QStringLiteral("node-a");
    u.remoteAddress = QStringLiteral("[::1]:50000");
    u.connectedSince = QStringLiteral("2026-01-02T03:00:00Z");
    u.chats = {QStringLiteral("general")};
    u.messagesSent = 5;
    s.users = {u};
    s.unreachable = {QStringLiteral("node-b")};
    return s;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const ClusterSnapshot snapshot = sampleSnapshot();
    ClusterUpdate update;
    update.node = snapshot.node;
    update.time = snapshot.time;
    update.nodes = snapshot.nodes;
    update.chatsChanged = snapshot.chats;
    update.chatsRemoved = {QStringLiteral("old")};
    update.usersRemoved = {QStringLiteral("node-b/1/2")};
    update.unreachable = snapshot.unreachable;
    flack::fuzz::writeSeedsIfAsked({
        {"admin_hello.json", encodeAdminHello({QStringLiteral("1.0"), QStringLiteral("s3cret")})},
        {"admin_hello_empty_token.json", encodeAdminHello({QStringLiteral("1.0"), QString()})},
        {"admin_hello_v2.json", encodeAdminHello({QStringLiteral("2.0"), QStringLiteral("t")})},
        {"kick_user.json", encodeKickUser({QStringLiteral("node-a/1/7"), QStringLiteral("spam")})},
        {"kick_user_no_reason.json", encodeKickUser({QStringLiteral("node-a/1/7"), QString()})},
        {"admin_error.json", encodeAdminError({AdminErrorCode::WrongToken, QString()})},
        {"cluster_snapshot.json", encodeClusterSnapshot(snapshot)},
        {"cluster_update.json", encodeClusterUpdate(update)},
        {"kick_result_ok.json", encodeKickResult({QStringLiteral("node-a/1/7"), true, QString()})},
        {"kick_result_refused.json",
         encodeKickResult({QStringLiteral("node-a/1/7"), false, QStringLiteral("no such user")})},
        {"edge_rate_forms.json",
         QByteArray(
             "{\"record\":\"cluster_snapshot\",\"node\":\"a\",\"time\":\"2026-01-02T03:04:05Z\","
             "\"nodes\":[{\"name\":\"a\",\"messages_in_per_s\":1e308,\"rtt_ms\":-2}],"
             "\"chats\":[],\"users\":[],\"unreachable\":[\"a\",\"a\"]}")},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input = flack::fuzz::bytesOf(data, size);

    const AdminClientDecodeResult client = decodeAdminClientRecord(input);
    if (client.ok) {
        const QByteArray encoded = encodeClient(client.record);
        const AdminClientDecodeResult again = decodeAdminClientRecord(encoded);
        FUZZ_CHECK(again.ok);
        FUZZ_CHECK(again.record == client.record);
        FUZZ_CHECK(encodeClient(again.record) == encoded);
    } else {
        FUZZ_CHECK(!client.reason.isEmpty());
    }

    const AdminServerDecodeResult server = decodeAdminServerRecord(input);
    if (server.ok) {
        const QByteArray encoded = encodeServer(server.record);
        const AdminServerDecodeResult again = decodeAdminServerRecord(encoded);
        FUZZ_CHECK(again.ok);
        FUZZ_CHECK(again.record == server.record);
        FUZZ_CHECK(encodeServer(again.record) == encoded);
    } else {
        FUZZ_CHECK(!server.violation.isEmpty());
    }
    return 0;
}
