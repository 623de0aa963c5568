#pragma once
// One stamped event of a chat, as its owner hands it to each replica: the JSON record encoded
// once (the bytes every member receives, unchanged), plus what a replica needs to keep its own
// view right without parsing JSON (who joined or left, which forwarded message it answers).

#include "server/rooms/memberinfo.h"

#include <QByteArray>

namespace flack::server::rooms {

struct ChatEvent
{
    enum class Kind : quint8 { Joined = 1, Left = 2, Message = 3 };

    QString chatName;
    Kind kind = Kind::Message;
    qint64 sequence = 0;
    MemberInfo subject; // the member who joined, left or posted
    QString originId;   // for a message forwarded by a replica: its id, so it can be acknowledged
    QByteArray json;    // the record, encoded once by the owner
};

} // namespace flack::server::rooms
