#include "tools/core/eventformatter.h"

#include "shared/timestamp.h"

namespace flack::tools {

using protocol::ServerRecordType;

QString EventFormatter::nameOf(const QString &userId) const
{
    const auto it = m_names.constFind(userId);
    if (it != m_names.constEnd())
        return *it;
    return QStringLiteral("user ") + userId.left(8);
}

QString EventFormatter::format(const protocol::ServerRecord &record)
{
    switch (record.type) {
    case ServerRecordType::ChatState: {
        QStringList names;
        for (const protocol::ChatUser &user : record.users) {
            m_names.insert(user.userId, user.userName);
            names.append(user.userName);
        }
        if (names.isEmpty())
            return record.chatName + QStringLiteral(": nobody else is here");
        return record.chatName + QStringLiteral(": already here: ") + names.join(u", ");
    }
    case ServerRecordType::Joined:
        m_names.insert(record.userId, record.userName);
        return record.userName + QStringLiteral(" joined ") + record.chatName;
    case ServerRecordType::Left:
        return nameOf(record.userId) + QStringLiteral(" left ") + record.chatName;
    case ServerRecordType::ChatMessage: {
        const QDateTime local = protocol::parseTimestamp(record.timestamp).toLocalTime();
        return nameOf(record.userId) + QStringLiteral(": (") +
               local.toString(QStringLiteral("HH:mm")) + QStringLiteral(") ") + record.message;
    }
    case ServerRecordType::ProtocolError:
        return QStringLiteral("protocol_error ") + record.code + QStringLiteral(": ") +
               record.reason;
    case ServerRecordType::ServerHello:
    case ServerRecordType::Authenticated:
    case ServerRecordType::PingReply:
    case ServerRecordType::ServerGoodbye:
        break;
    }
    return {};
}

} // namespace flack::tools
