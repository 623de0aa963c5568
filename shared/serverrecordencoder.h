#pragma once
// Encodes every record the server sends (docs/protocol.md, "Exact records sent by the server"),
// each with exactly its key set. Output is compact UTF-8 JSON, ready to be one text frame.

#include "shared/errorcode.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace flack::protocol {

struct ChatUser
{
    QString userName;
    QString userId;
    friend bool operator==(const ChatUser &, const ChatUser &) = default;
};

inline constexpr QLatin1StringView kProtocolVersion("1.0");
inline constexpr QLatin1StringView kTextPlain("text/plain");

QByteArray encodeServerHello();
QByteArray encodeProtocolError(ErrorCode code, QStringView reason);
QByteArray encodeAuthenticated(QStringView userId);
QByteArray encodeChatState(QStringView chatName, const QList<ChatUser> &users);
// One entry of a chat_state's users, and a chat_state around entries already joined into a JSON
// array ("[{...},{...}]"): a chat's owner keeps its roster encoded that way, so a joiner's
// chat_state is a copy instead of every member encoded again (server/rooms/rosterlisting.h).
QByteArray encodeChatUser(QStringView userName, QStringView userId);
QByteArray encodeChatStateWithEncodedUsers(QStringView chatName, QByteArrayView usersArray);
QByteArray encodeJoined(QStringView chatName, QStringView userName, QStringView userId,
                        QByteArrayView timestamp, qint64 sequence);
QByteArray encodeChatMessage(QStringView chatName, QStringView userId, QStringView mimeType,
                             QStringView message, QByteArrayView timestamp, qint64 sequence);
QByteArray encodeLeft(QStringView chatName, QStringView userId, QByteArrayView timestamp,
                      qint64 sequence);
QByteArray encodePingReply();
QByteArray encodeServerGoodbye();

} // namespace flack::protocol
