#pragma once
// Who a chat member is, as the chat's owner keeps it in its roster: the connection (unique in
// the cluster), the user as the client named itself (not unique), and the node holding the
// connection. Plain data, copied between owner and replicas and across peer links.

#include <QString>

namespace flack::server::rooms {

struct MemberInfo
{
    QString connectionId;
    QString userId;
    QString userName;
    QString node;
};

} // namespace flack::server::rooms
