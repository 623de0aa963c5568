#pragma once
// Turns server records into the one readable line per event that flack-client prints
// ("alice joined foobar", "alice: (14:03) I like cats" in local time). Remembers user names by
// id from chat_state and joined, since later records carry only the id.

#include "shared/serverrecord.h"

#include <QHash>
#include <QString>

namespace flack::tools {

class EventFormatter
{
public:
    // The line for this record, or an empty string when it is not an event worth a line.
    QString format(const protocol::ServerRecord &record);

    // A user's name, or a short form of the id when the name was never announced.
    QString nameOf(const QString &userId) const;

private:
    QHash<QString, QString> m_names;
};

} // namespace flack::tools
