#pragma once
// Many websocket clients at once, for the load-shaped integration tests. Unlike WsTestClient
// (one client, blocking waits for one record), a Crowd drives all its members from one event
// loop: every member pipelines hello + authenticate + join_chat, and incoming records are
// tallied as they arrive so the test waits on counts with QTRY_* / QTest::qWaitFor.

#include "shared/clientrecordencoder.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <memory>
#include <vector>

namespace flack::test {

class Crowd
{
public:
    struct Member
    {
        std::unique_ptr<QWebSocket> socket;
        QString chatName;
        QString userId;
        bool connected = false;
        bool disconnected = false;
        bool authenticated = false;
        bool gotChatState = false;
        int joinedSeen = 0;             // joined records of this member's chat, own included
        QStringList messages;           // chat_message texts, in arrival order
        QList<qint64> messageSequences; // their sequences
        QStringList problems;           // anything unexpected (protocol_error, bad JSON, ...)
    };

    explicit Crowd(QUrl url) : m_url(std::move(url)) {}

    std::vector<Member> &members() { return m_members; }
    Member &operator[](size_t index) { return m_members[index]; }
    size_t size() const { return m_members.size(); }

    // Opens `count` more connections, at most `batch` handshakes in flight at once, so a
    // burst never depends on the listen backlog. False when a batch did not connect in time.
    bool open(size_t count, size_t batch, int batchTimeoutMs)
    {
        const size_t first = m_members.size();
        m_members.resize(first + count);
        for (size_t begin = first; begin < m_members.size(); begin += batch) {
            const size_t end = std::min(m_members.size(), begin + batch);
            for (size_t i = begin; i < end; ++i)
                start(i);
            if (!waitFor([&] { return countConnected(begin, end) == end - begin; }, batchTimeoutMs))
                return false;
        }
        return true;
    }

    // Runs the event loop until predicate() holds or timeoutMs pass; true when it holds.
    // Unlike QTest::qWaitFor, which sleeps 10 ms between rounds, this blocks only until the
    // next event, so thousands of handshakes are not paced by sleeps.
    template <typename Predicate> static bool waitFor(Predicate predicate, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        QTimer wake; // guarantees a last event, so the blocking wait below ends by the deadline
        wake.setSingleShot(true);
        wake.start(timeoutMs);
        while (!predicate()) {
            if (deadline.hasExpired())
                return false;
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        return true;
    }

    // Pipelines hello, authenticate and join_chat on member `index`.
    void loginAndJoin(size_t index, const QString &userName, const QString &chatName)
    {
        Member &member = m_members[index];
        member.chatName = chatName;
        member.socket->sendTextMessage(QString::fromUtf8(protocol::encodeClientHello(u"1.0")));
        member.socket->sendTextMessage(QString::fromUtf8(protocol::encodeAuthenticate(userName)));
        member.socket->sendTextMessage(QString::fromUtf8(protocol::encodeJoinChat(chatName)));
    }

    size_t countConnected(size_t begin, size_t end) const
    {
        size_t n = 0;
        for (size_t i = begin; i < end; ++i)
            n += m_members[i].connected ? 1 : 0;
        return n;
    }

    template <typename Predicate> size_t countWhere(Predicate predicate) const
    {
        size_t n = 0;
        for (const Member &member : m_members)
            n += predicate(member) ? 1 : 0;
        return n;
    }

    QStringList allProblems() const
    {
        QStringList problems;
        for (const Member &member : m_members)
            problems += member.problems;
        return problems;
    }

private:
    void start(size_t index)
    {
        Member &member = m_members[index];
        member.socket = std::make_unique<QWebSocket>();
        QWebSocket *socket = member.socket.get();
        // Handlers address members by index, not by pointer: open() grows the vector later.
        QObject::connect(socket, &QWebSocket::connected, socket,
                         [this, index] { m_members[index].connected = true; });
        QObject::connect(socket, &QWebSocket::disconnected, socket,
                         [this, index] { m_members[index].disconnected = true; });
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [this, index](const QString &text) { receive(m_members[index], text); });
        socket->open(m_url);
    }

    static void receive(Member &member, const QString &text)
    {
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString record = object.value(u"record").toString();
        if (record == u"server_hello") {
            return;
        } else if (record == u"authenticated") {
            member.authenticated = true;
            member.userId = object.value(u"user_id").toString();
        } else if (record == u"chat_state") {
            member.gotChatState = true;
        } else if (record == u"joined") {
            if (object.value(u"chat_name").toString() != member.chatName)
                member.problems.append(QStringLiteral("joined for a foreign chat: ") + text);
            ++member.joinedSeen;
        } else if (record == u"chat_message") {
            if (object.value(u"chat_name").toString() != member.chatName)
                member.problems.append(QStringLiteral("message of a foreign chat: ") + text);
            member.messages.append(object.value(u"message").toString());
            member.messageSequences.append(object.value(u"sequence").toInteger());
        } else if (record == u"left") {
            return;
        } else {
            member.problems.append(QStringLiteral("unexpected record: ") + text);
        }
    }

    QUrl m_url;
    std::vector<Member> m_members;
};

} // namespace flack::test
