#pragma once
// A RoomMember for unit tests: records every frame delivered to it, decoded.

#include "server/rooms/roommember.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace flack::test {

class FakeMember : public server::rooms::RoomMember
{
public:
    FakeMember(QString name, QString id) : m_name(std::move(name)), m_id(std::move(id)) {}
    QString userId() const override { return m_id; }
    QString userName() const override { return m_name; }
    void deliver(const QString &frame) override
    {
        frames.append(frame);
        records.append(QJsonDocument::fromJson(frame.toUtf8()).object());
    }
    QStringList recordNames() const
    {
        QStringList names;
        for (const QJsonObject &record : records)
            names.append(record.value(QLatin1StringView("record")).toString());
        return names;
    }

    QList<QString> frames;
    QList<QJsonObject> records;

private:
    QString m_name;
    QString m_id;
};

} // namespace flack::test
