#pragma once
// The cluster's messages over peer links (frame types 16 and up; the link owns 1..15), each a
// CBOR map, with encoders and strict decoders: every field checked for type and size, so a
// peer's bytes can't make us hold more than a frame's bound or act on half a message. Pure
// functions over bytes; docs/cluster.md lists the messages and when each is sent.

#include "server/rooms/chatevent.h"
#include "shared/errorcode.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace flack::server::cluster {

enum class ClusterMessageType : quint8 {
    Gossip = 16, // the members a node knows to be live: name, incarnation, address
    Join = 17,   // replica -> owner: a member joins
    Leave = 18,  // replica -> owner: leave_chat
    Drop = 19,   // replica -> owner: the connection went away
    Post = 20,   // replica -> owner: a chat_message, with the replica's id for it
    State = 21,  // owner -> replica: chat_state for one joiner, and the roster
    Event = 22,  // owner -> replica: one stamped event
    Refuse = 23, // owner -> replica: a join refused, with the error code
    Attach = 24, // replica -> new owner: re-home a chat (members, last sequence, roster)
    Moved = 25,  // owner -> replica: this node doesn't own that chat (any more)
    // The admin view (server/admin), not the chats:
    StatsRequest = 26, // admin's node -> every node: your report, please
    StatsReply = 27,   // its report: a one-node cluster_snapshot (docs/admin-protocol.md)
    KickRequest = 28,  // admin's node -> the connection's node
    KickReply = 29,    // whether it was done
};

// The first type that belongs to the admin layer rather than the chats.
constexpr quint8 kFirstAdminMessageType = quint8(ClusterMessageType::StatsRequest);

struct KickRequestMessage
{
    quint64 id = 0;
    QString connectionId;
    QString reason;
};

struct KickReplyMessage
{
    quint64 id = 0;
    bool ok = false;
    QString reason;   // why not, when !ok
    QString userName; // for the audit line, when ok
};

struct GossipMember
{
    QString name;
    quint64 incarnation = 0;
    QString address;
};

struct PostRequest
{
    QString chatName;
    QString connectionId;
    QString mimeType;
    QString message;
    QString originId;
};

struct AttachRequest
{
    QString chatName;
    qint64 lastSequence = 0;
    std::vector<rooms::MemberInfo> members; // the sender's own members of the chat
    std::vector<rooms::MemberInfo> roster;  // every member the sender knew of, any node
};

struct StateMessage
{
    QString chatName;
    QString connectionId;
    QByteArray json;
    std::vector<rooms::MemberInfo> roster; // members before the joiner
};

struct RefuseMessage
{
    QString chatName;
    QString connectionId;
    protocol::ErrorCode code = protocol::ErrorCode::TooManyRooms;
    QString reason;
};

// Bounds on what one message may carry, checked while decoding.
constexpr qsizetype kMaxNameChars = 64 * 1024;
constexpr qsizetype kMaxMessageChars = 64 * 1024 * 1024;
constexpr qsizetype kMaxGossipMembers = 1024;
constexpr qsizetype kMaxRosterMembers = 1000000;

QByteArray encodeGossip(const QList<GossipMember> &members);
QByteArray encodeJoin(const QString &chatName, const rooms::MemberInfo &member);
QByteArray encodeMemberRequest(const QString &chatName, const QString &connectionId);
QByteArray encodePost(const PostRequest &post);
QByteArray encodeState(const StateMessage &state);
QByteArray encodeEvent(const rooms::ChatEvent &event);
QByteArray encodeRefuse(const RefuseMessage &refuse);
QByteArray encodeAttach(const AttachRequest &attach);
QByteArray encodeMoved(const QString &chatName);
QByteArray encodeStatsRequest(quint64 id);
QByteArray encodeStatsReply(quint64 id, const QByteArray &json);
QByteArray encodeKickRequest(const KickRequestMessage &request);
QByteArray encodeKickReply(const KickReplyMessage &reply);

// Each returns nothing when the payload is not exactly such a message.
std::optional<QList<GossipMember>> decodeGossip(const QByteArray &payload);
std::optional<std::pair<QString, rooms::MemberInfo>> decodeJoin(const QByteArray &payload);
// Leave and Drop: chat name and connection id.
std::optional<std::pair<QString, QString>> decodeMemberRequest(const QByteArray &payload);
std::optional<PostRequest> decodePost(const QByteArray &payload);
std::optional<StateMessage> decodeState(const QByteArray &payload);
std::optional<rooms::ChatEvent> decodeEvent(const QByteArray &payload);
std::optional<RefuseMessage> decodeRefuse(const QByteArray &payload);
std::optional<AttachRequest> decodeAttach(const QByteArray &payload);
std::optional<QString> decodeMoved(const QByteArray &payload);
std::optional<quint64> decodeStatsRequest(const QByteArray &payload);
std::optional<std::pair<quint64, QByteArray>> decodeStatsReply(const QByteArray &payload);
std::optional<KickRequestMessage> decodeKickRequest(const QByteArray &payload);
std::optional<KickReplyMessage> decodeKickReply(const QByteArray &payload);

} // namespace flack::server::cluster
