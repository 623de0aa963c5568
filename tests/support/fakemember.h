#pragma once
// A RoomMember for unit tests: records every frame delivered to it, decoded, and any refusal.
// Given a registry it registers itself, as sessions do, so a replica can find it by id.
// Given a relay it stands for a member on another thread.

#include "server/rooms/connectionregistry.h"
#include "server/rooms/roommember.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace flack::test {

class FakeMember : public server::rooms::RoomMember
{
public:
    FakeMember(QString name, QString id, server::rooms::ConnectionRegistry *registry = nullptr)
        : m_name(std::move(name)), m_id(std::move(id)), m_registry(registry),
          m_connectionId(registry ? registry->allocateId() : QStringLiteral("conn-") + m_id)
    {
        if (m_registry)
            m_registry->add(this);
    }
    ~FakeMember() override
    {
        if (m_registry)
            m_registry->remove(this);
    }
    QString connectionId() const override { return m_connectionId; }
    QString userId() const override { return m_id; }
    QString userName() const override { return m_name; }
    void deliver(const QString &frame) override
    {
        frames.append(frame);
        records.append(QJsonDocument::fromJson(frame.toUtf8()).object());
    }
    // Room events: recorded as delivered, with the pace they came with.
    void deliverEncoded(const QString &frame, const QByteArray &utf8,
                        server::rooms::DeliveryPace pace) override
    {
        Q_UNUSED(utf8);
        paces.append(pace);
        deliver(frame);
    }
    // A room's held joined/left: how many came in one piece noted, then recorded one by one.
    void deliverBatch(const server::rooms::PresenceBatch &batch, qsizetype from) override
    {
        batches.append(batch.size() - from);
        RoomMember::deliverBatch(batch, from);
    }
    void joinRefused(const QString &chatName, protocol::ErrorCode code,
                     const QString &reason) override
    {
        refusals.append({chatName, code, reason});
    }
    server::rooms::ConnectionDetails details() const override
    {
        server::rooms::ConnectionDetails d;
        d.authenticated = true;
        d.remoteAddress = QStringLiteral("127.0.0.1:1");
        return d;
    }
    void kick(const QString &reason) override { kicks.append(reason); }
    // A member of another thread: its events go to this sink (see RoomMember::relay()).
    void setRelay(server::rooms::ReplicaSink *relay) { m_relay = relay; }
    server::rooms::ReplicaSink *relay() const override { return m_relay; }
    QStringList recordNames() const
    {
        QStringList names;
        for (const QJsonObject &record : records)
            names.append(record.value(QLatin1StringView("record")).toString());
        return names;
    }

    struct Refusal
    {
        QString chatName;
        protocol::ErrorCode code;
        QString reason;
    };
    QList<QString> frames;
    QList<QJsonObject> records;
    QList<server::rooms::DeliveryPace> paces; // of the room events among them, in order
    QList<qsizetype> batches; // the size of each batch of held joined/left, in order
    QList<Refusal> refusals;
    QStringList kicks;

private:
    QString m_name;
    QString m_id;
    server::rooms::ConnectionRegistry *m_registry;
    QString m_connectionId;
    server::rooms::ReplicaSink *m_relay = nullptr;
};

} // namespace flack::test
