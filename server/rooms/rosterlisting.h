#pragma once
// A chat's roster as chat_state lists it: the members' chat_user entries, in join order,
// encoded once and kept as one JSON array. Every joiner gets a chat_state listing everyone
// before it; encoding the whole roster for each join was 46 % of the server's instructions
// while a storm of connections filled rooms of 150 (callgrind, docs/benchmarks.md). Now a join
// encodes one entry and a leave cuts one out; a chat_state copies the array.
// Costs its owner ~100 bytes per member and the spare room of a buffer that grows by doubling
// (with ChatOwner's index, +0.4 KB per idle connection in scenario (b), docs/benchmarks.md).

#include <QByteArray>
#include <QStringView>

#include <vector>

namespace flack::server::rooms {

class RosterListing
{
public:
    // A new last entry.
    void append(QStringView userName, QStringView userId);
    // Removes entry index (0 <= index < size()).
    void removeAt(qsizetype index);
    qsizetype size() const { return qsizetype(m_ends.size()); }
    // "[{...},{...}]", ready for encodeChatStateWithEncodedUsers.
    const QByteArray &usersArray() const { return m_array; }

private:
    QByteArray m_array = QByteArrayLiteral("[]");
    // Where each entry ends in m_array (one past its closing brace).
    std::vector<qsizetype> m_ends;
};

} // namespace flack::server::rooms
