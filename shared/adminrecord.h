#pragma once
// The admin protocol 1.0 as data (docs/admin-protocol.md): one struct per record, encoders that
// write exactly the documented JSON (compact UTF-8, the documented key order, exact key sets),
// and strict decoders for both directions. Pure functions over bytes, Qt Core only: the
// server's /admin endpoint decodes client records and encodes server records, flack-admin does
// the reverse, and tests use both. Whether a record may come *now* (hello first, one snapshot
// before updates) is the caller's state machine.
//
// Value rules the decoders enforce beyond the document's shapes (the encoders never break them):
// - every string is non-empty except admin_hello's token (a wrong token is ADMIN-001, not
//   malformed) and kick_user's reason; time and connected_since are YYYY-MM-DDTHH:MM:SSZ;
// - counts, sequences, uptime and incarnation are integers >= 0, rtt_ms is >= -1, rates are
//   numbers >= 0 (written in the shortest exact form, with ".0" when whole: 52.0, 1840.5);
// - names are unique within a list (nodes, chats, users, links, removals); a chat or user is not
//   both changed and removed; the answering node is among the nodes; "unreachable" names
//   exactly the nodes whose status is "unreachable";
// - kick_result has "reason" (non-empty) exactly when ok is false.

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

namespace flack::protocol {

inline constexpr QLatin1StringView kAdminProtocolVersion("1.0");
// Limits from the document, in UTF-8 bytes.
inline constexpr qsizetype kAdminMaxClientRecordBytes = 64 * 1024;
inline constexpr qsizetype kAdminMaxConnectionIdBytes = 512;
inline constexpr qsizetype kAdminMaxKickReasonBytes = 1024;
// What the server tells a kicked client when the admin gave no reason.
inline constexpr QLatin1StringView kAdminDefaultKickReason("kicked by an administrator");

enum class AdminErrorCode {
    WrongToken,         // ADMIN-001
    Malformed,          // ADMIN-002
    UnsupportedVersion, // ADMIN-003
};

// The wire form, e.g. "ADMIN-002".
QLatin1StringView adminErrorCodeString(AdminErrorCode code);
// A default English reason for the code ("wrong admin token", ...).
QLatin1StringView adminDefaultReason(AdminErrorCode code);

// ---- records from the client ----

struct AdminHello
{
    QString protocolVersion = QString(kAdminProtocolVersion);
    QString token;
    friend bool operator==(const AdminHello &, const AdminHello &) = default;
};

struct KickUser
{
    QString connectionId;
    QString reason; // may be empty: the server then uses kAdminDefaultKickReason
    friend bool operator==(const KickUser &, const KickUser &) = default;
};

// ---- records from the server ----

struct AdminError
{
    AdminErrorCode code = AdminErrorCode::Malformed;
    QString reason; // the encoder writes adminDefaultReason(code) when empty
    friend bool operator==(const AdminError &, const AdminError &) = default;
};

enum class LinkState { Up, Down };
enum class NodeStatus { Up, Unreachable };

struct LinkInfo
{
    QString node;
    LinkState state = LinkState::Down;
    qint64 rttMs = -1; // -1: unknown
    friend bool operator==(const LinkInfo &, const LinkInfo &) = default;
};

struct NodeInfo
{
    QString name;
    qint64 incarnation = 0;
    QString address; // host:port of its main port
    QString version;
    NodeStatus status = NodeStatus::Up;
    qint64 uptimeS = 0;
    qint64 connections = 0;
    qint64 chatsOwned = 0;
    double messagesInPerS = 0;
    double messagesOutPerS = 0;
    double deliveriesPerS = 0;
    QList<LinkInfo> links;
    friend bool operator==(const NodeInfo &, const NodeInfo &) = default;
};

struct ChatInfo
{
    QString name;
    QString owner; // node name
    qint64 members = 0;
    double messagesPerS = 0;
    qint64 lastSequence = 0;
    friend bool operator==(const ChatInfo &, const ChatInfo &) = default;
};

struct UserInfo
{
    QString connectionId; // "<node>/<incarnation>/<counter>"
    QString userId;
    QString userName;
    QString node;
    QString remoteAddress;
    QString connectedSince; // YYYY-MM-DDTHH:MM:SSZ
    QStringList chats;
    qint64 messagesSent = 0;
    friend bool operator==(const UserInfo &, const UserInfo &) = default;
};

struct ClusterSnapshot
{
    QString node; // the node answering
    QString time; // YYYY-MM-DDTHH:MM:SSZ
    QList<NodeInfo> nodes;
    QList<ChatInfo> chats;
    QList<UserInfo> users;
    QStringList unreachable;
    friend bool operator==(const ClusterSnapshot &, const ClusterSnapshot &) = default;
};

struct ClusterUpdate
{
    QString node;
    QString time;
    QList<NodeInfo> nodes; // always every node, in full
    QList<ChatInfo> chatsChanged;
    QStringList chatsRemoved; // chat names
    QList<UserInfo> usersChanged;
    QStringList usersRemoved; // connection ids
    QStringList unreachable;
    friend bool operator==(const ClusterUpdate &, const ClusterUpdate &) = default;
};

struct KickResult
{
    QString connectionId;
    bool ok = false;
    QString reason; // only when !ok, then non-empty
    friend bool operator==(const KickResult &, const KickResult &) = default;
};

// ---- encoders: one text frame each ----

QByteArray encodeAdminHello(const AdminHello &hello);
QByteArray encodeKickUser(const KickUser &kick);
QByteArray encodeAdminError(const AdminError &error);
QByteArray encodeClusterSnapshot(const ClusterSnapshot &snapshot);
QByteArray encodeClusterUpdate(const ClusterUpdate &update);
QByteArray encodeKickResult(const KickResult &result);

// ---- decoders ----

using AdminClientRecord = std::variant<AdminHello, KickUser>;

struct AdminClientDecodeResult
{
    bool ok = false;
    AdminClientRecord record;                         // valid when ok
    AdminErrorCode error = AdminErrorCode::Malformed; // when !ok: the admin_error to send
    QString reason;                                   // when !ok: the first rule broken, in words
};

// Decodes one text frame from an admin client (at most kAdminMaxClientRecordBytes). Unknown
// records, missing or extra keys, wrong types and broken bounds are ADMIN-002; an admin_hello
// that is well-formed but not version "1.0" is ADMIN-003. The token is not checked here.
AdminClientDecodeResult decodeAdminClientRecord(QByteArrayView utf8Json);

using AdminServerRecord = std::variant<AdminError, ClusterSnapshot, ClusterUpdate, KickResult>;

struct AdminServerDecodeResult
{
    bool ok = false;
    AdminServerRecord record; // valid when ok
    QString violation;        // when !ok: the first rule broken, in words
};

// Decodes one text frame from the server strictly (exact key sets, types, bounds, the rules
// listed at the top of this file).
AdminServerDecodeResult decodeAdminServerRecord(QByteArrayView utf8Json);

} // namespace flack::protocol
