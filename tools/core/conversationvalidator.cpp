#include "tools/core/conversationvalidator.h"

namespace flack::tools {

using protocol::ServerRecord;
using protocol::ServerRecordType;

namespace {

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

} // namespace

void ConversationValidator::sentHello()
{
    if (m_state == State::Connected)
        m_state = State::AwaitServerHello;
}

void ConversationValidator::sentAuthenticate(const QString &userName, const QString &userId)
{
    m_authenticateSent = true;
    m_userName = userName;
    m_requestedUserId = userId;
    if (m_state == State::HelloDone)
        m_state = State::AwaitAuthenticated;
}

void ConversationValidator::sentJoin(const QString &chatName)
{
    m_chats.insert(chatName, Chat{});
}

void ConversationValidator::sentLeave(const QString &chatName)
{
    auto it = m_chats.find(chatName);
    if (it != m_chats.end())
        it->phase = ChatPhase::LeaveRequested;
}

void ConversationValidator::sentPing()
{
    ++m_pendingPings;
}

void ConversationValidator::sentGoodbye()
{
    m_goodbyeSent = true;
}

bool ConversationValidator::isJoined(const QString &chatName) const
{
    const auto it = m_chats.constFind(chatName);
    return it != m_chats.constEnd() && it->phase == ChatPhase::Joined;
}

QString ConversationValidator::check(const ServerRecord &record)
{
    const QString name = protocol::serverRecordName(record.type);
    if (m_state == State::Finished)
        return name + QStringLiteral(" after the server ended the conversation");
    if (m_state == State::Connected)
        return name + QStringLiteral(" before the client sent client_hello");

    switch (record.type) {
    case ServerRecordType::ProtocolError:
        // Always allowed; it ends the conversation (the server closes after it).
        m_state = State::Finished;
        return {};
    case ServerRecordType::ServerHello:
        if (m_state != State::AwaitServerHello)
            return QStringLiteral("server_hello when none was due");
        m_state = m_authenticateSent ? State::AwaitAuthenticated : State::HelloDone;
        return {};
    case ServerRecordType::Authenticated:
        if (m_state != State::AwaitAuthenticated)
            return QStringLiteral("authenticated when no authenticate was pending");
        if (!m_requestedUserId.isEmpty() && record.userId != m_requestedUserId)
            return QStringLiteral("authenticated with user_id ") + quoted(record.userId) +
                   QStringLiteral(", not the requested ") + quoted(m_requestedUserId);
        m_ownUserId = record.userId;
        m_state = State::Authenticated;
        return {};
    case ServerRecordType::PingReply:
        if (m_pendingPings <= 0)
            return QStringLiteral("ping_reply without a ping");
        --m_pendingPings;
        return {};
    case ServerRecordType::ServerGoodbye:
        if (!m_goodbyeSent)
            return QStringLiteral("server_goodbye before the client sent client_goodbye");
        m_state = State::Finished;
        return {};
    case ServerRecordType::ChatState:
    case ServerRecordType::Joined:
    case ServerRecordType::ChatMessage:
    case ServerRecordType::Left:
        if (m_state != State::Authenticated)
            return name + QStringLiteral(" before authentication completed");
        return checkChatEvent(record);
    }
    return QStringLiteral("unexpected record");
}

QString ConversationValidator::checkChatEvent(const ServerRecord &record)
{
    const QString name = protocol::serverRecordName(record.type);
    const auto it = m_chats.find(record.chatName);
    if (it == m_chats.end())
        return name + QStringLiteral(" for chat ") + quoted(record.chatName) +
               QStringLiteral(" which this client has not joined");
    Chat &chat = *it;

    if (record.type == ServerRecordType::ChatState) {
        if (chat.phase != ChatPhase::JoinRequested)
            return QStringLiteral("chat_state for chat ") + quoted(record.chatName) +
                   QStringLiteral(" without a pending join_chat");
        for (const protocol::ChatUser &user : record.users) {
            if (user.userId == m_ownUserId)
                return QStringLiteral("chat_state for chat ") + quoted(record.chatName) +
                       QStringLiteral(" lists the joiner itself");
        }
        chat.phase = ChatPhase::StateReceived;
        return {};
    }

    if (chat.phase == ChatPhase::JoinRequested)
        return name + QStringLiteral(" for chat ") + quoted(record.chatName) +
               QStringLiteral(" before its chat_state");
    if (chat.phase == ChatPhase::StateReceived) {
        // The protocol: chat_state, then the joiner's own joined, before any other event.
        if (record.type != ServerRecordType::Joined || record.userId != m_ownUserId)
            return name + QStringLiteral(" for chat ") + quoted(record.chatName) +
                   QStringLiteral(" where the joiner's own joined was due");
        if (record.userName != m_userName)
            return QStringLiteral("joined for this client names user ") + quoted(record.userName) +
                   QStringLiteral(", not ") + quoted(m_userName);
        chat.phase = ChatPhase::Joined;
    }

    if (chat.hasSequence && record.sequence <= chat.lastSequence)
        return name + QStringLiteral(" in chat ") + quoted(record.chatName) +
               QStringLiteral(" has sequence %1, not above the previous %2")
                   .arg(record.sequence)
                   .arg(chat.lastSequence);
    chat.hasSequence = true;
    chat.lastSequence = record.sequence;

    if (record.type == ServerRecordType::Left && record.userId == m_ownUserId) {
        if (chat.phase != ChatPhase::LeaveRequested)
            return QStringLiteral("left for this client in chat ") + quoted(record.chatName) +
                   QStringLiteral(" without a leave_chat");
        // A later join may meet a recreated chat whose sequence starts afresh.
        m_chats.erase(it);
    }
    return {};
}

} // namespace flack::tools
