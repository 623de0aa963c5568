#pragma once
// Checks that each (already strictly decoded) server record may come at this point of the
// conversation: records only in states where the protocol allows them, chat events only for
// joined chats, the joiner's own joined right after its chat_state, ping_reply only for a ping,
// and a strictly increasing sequence per chat. The client tells it what it sent. Owned by
// flack-client's main thread; pure logic, no I/O.

#include "shared/serverrecord.h"

#include <QHash>
#include <QString>

namespace flack::tools {

class ConversationValidator
{
public:
    // What the client sent, so the validator knows what may come back.
    void sentHello();
    void sentAuthenticate(const QString &userName, const QString &userId = {});
    void sentJoin(const QString &chatName);
    void sentLeave(const QString &chatName);
    void sentPing();
    void sentGoodbye();

    // The first rule this record breaks, or an empty string when it may come now.
    QString check(const protocol::ServerRecord &record);

    QString ownUserId() const { return m_ownUserId; }
    bool isJoined(const QString &chatName) const;

private:
    enum class State {
        Connected,          // nothing sent: the server speaks only when spoken to
        AwaitServerHello,   // client_hello sent
        HelloDone,          // server_hello received, authenticate not yet sent
        AwaitAuthenticated, // authenticate sent (possibly pipelined after client_hello)
        Authenticated,
        Finished, // server_goodbye or protocol_error received: nothing may follow
    };
    enum class ChatPhase {
        JoinRequested, // join_chat sent, chat_state due
        StateReceived, // chat_state received, the joiner's own joined due next
        Joined,
        LeaveRequested, // leave_chat sent, events continue until our own left
    };
    struct Chat
    {
        ChatPhase phase = ChatPhase::JoinRequested;
        bool hasSequence = false;
        qint64 lastSequence = 0;
    };

    QString checkChatEvent(const protocol::ServerRecord &record);

    State m_state = State::Connected;
    bool m_authenticateSent = false;
    bool m_goodbyeSent = false;
    int m_pendingPings = 0;
    QString m_userName;
    QString m_requestedUserId;
    QString m_ownUserId;
    QHash<QString, Chat> m_chats;
};

} // namespace flack::tools
