#pragma once
// What the multi-process cluster tests share: a chat client that keeps every record it
// receives for checks after the fact, the timeline of a chat as a client saw it, and the
// name of a chat placed on a given node.

#include "server/cluster/chatplacement.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <functional>
#include <memory>

namespace flack::test {

using namespace Qt::StringLiterals;

inline constexpr int kCollectorWaitMs = 20000;

inline QString str(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1StringView(key)).toString();
}

// A chat whose owner, with exactly these nodes live, is the given node.
inline QString chatOwnedBy(const QString &node, const QStringList &nodes, const QString &prefix)
{
    for (int i = 0;; ++i) {
        const QString name = prefix + QString::number(i);
        if (server::cluster::ChatPlacement::ownerOf(name, nodes) == node)
            return name;
    }
}

// Everything one client receives, kept for checks after the fact.
struct Collector
{
    std::unique_ptr<WsTestClient> client = std::make_unique<WsTestClient>();
    QList<QJsonObject> records;
    QString name;
    QString userId;

    bool connect(ServerProcess &node, const QString &userName)
    {
        name = userName;
        if (!client->open(node.chatUrl()))
            return false;
        userId = client->login(userName);
        return !userId.isEmpty();
    }
    // Reads until the predicate holds over what has arrived, within the deadline.
    bool readUntil(const std::function<bool()> &done, int timeoutMs = kCollectorWaitMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (!done()) {
            const qint64 left = timeoutMs - timer.elapsed();
            if (left <= 0)
                return false;
            const QJsonObject record = client->next(int(left));
            if (!record.isEmpty())
                records.append(record);
        }
        return true;
    }
    // Records of this kind (in this chat, from this user when given) from index `from` on.
    QList<QJsonObject> of(QStringView record, const QString &chat = {}, const QString &user = {},
                          qsizetype from = 0) const
    {
        QList<QJsonObject> list;
        for (qsizetype i = from; i < records.size(); ++i) {
            const QJsonObject &r = records[i];
            if (str(r, "record") == record && (chat.isEmpty() || str(r, "chat_name") == chat) &&
                (user.isEmpty() || str(r, "user_id") == user))
                list.append(r);
        }
        return list;
    }
    qsizetype count(QStringView record, const QString &chat = {}, const QString &user = {},
                    qsizetype from = 0) const
    {
        return of(record, chat, user, from).size();
    }
    bool hasMessage(const QString &chat, const QString &text) const
    {
        for (const QJsonObject &r : of(u"chat_message", chat)) {
            if (str(r, "message") == text)
                return true;
        }
        return false;
    }
    // Takes what arrived while the test waited on another client.
    void drain()
    {
        while (client->pending() > 0)
            records.append(client->next(0));
    }
    void post(const QString &chat, const QString &text)
    {
        client->sendText(flack::protocol::encodeClientChatMessage(chat, text));
    }
};

// The chat's events a client saw: (sequence, record, user, message), in arrival order; those
// among its records [from, to) when given.
inline QStringList timeline(const Collector &c, const QString &chat, qsizetype from = 0,
                            qsizetype to = -1)
{
    QStringList lines;
    const qsizetype end = to < 0 ? c.records.size() : qMin(to, c.records.size());
    for (qsizetype i = from; i < end; ++i) {
        const QJsonObject &r = c.records[i];
        if (str(r, "chat_name") != chat || !r.contains(u"sequence"_s))
            continue;
        lines.append(u"%1 %2 %3 %4"_s.arg(r.value(u"sequence"_s).toInteger())
                         .arg(str(r, "record"), str(r, "user_id"), str(r, "message")));
    }
    return lines;
}

} // namespace flack::test
