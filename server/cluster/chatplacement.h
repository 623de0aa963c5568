#pragma once
// Which node of the cluster owns a chat: rendezvous (highest random weight) hashing. Every node
// computes the same answer from the same member list without asking anyone, and a member
// joining or leaving moves only the chats it gains or loses. Pure functions of their
// arguments, so any thread may call them; the hash is fixed (no per-process seed), because all
// nodes, whatever their build or machine, must agree on it.

#include <QString>
#include <QStringList>
#include <QStringView>

namespace flack::server::cluster {

class ChatPlacement
{
public:
    // The name in nodeNames with the highest score for this chat; between equal scores the
    // smallest name (by UTF-16 code units) wins. Empty when nodeNames is empty. The order of
    // nodeNames does not matter.
    static QString ownerOf(QStringView chatName, const QStringList &nodeNames);

    // The weight of a node for a chat: 64-bit FNV-1a over the node name's UTF-8 byte count
    // (4 bytes, little-endian), the node name's and the chat name's UTF-8 bytes, then the
    // MurmurHash3 fmix64 finalizer. Part of the cluster's wire contract: changing it makes
    // nodes of different versions disagree on owners.
    static quint64 score(QStringView nodeName, QStringView chatName);
};

} // namespace flack::server::cluster
