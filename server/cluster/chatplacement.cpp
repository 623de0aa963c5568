#include "server/cluster/chatplacement.h"

namespace flack::server::cluster {

namespace {

constexpr quint64 kFnvOffsetBasis = 0xcbf29ce484222325ULL;
constexpr quint64 kFnvPrime = 0x100000001b3ULL;

quint64 fnv1a(quint64 hash, const QByteArray &bytes)
{
    for (const char byte : bytes) {
        hash ^= quint8(byte);
        hash *= kFnvPrime;
    }
    return hash;
}

// In FNV-1a the last bytes reach the high bits, which decide a comparison, only through carries,
// so names differing at the end ("chat-1", "chat-2") would score alike; the finalizer makes
// every input bit affect every output bit.
quint64 fmix64(quint64 k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

} // namespace

quint64 ChatPlacement::score(QStringView nodeName, QStringView chatName)
{
    const QByteArray node = nodeName.toUtf8();
    // The length prefix keeps ("ab", "c") and ("a", "bc") apart without reserving a separator
    // byte that names could contain.
    const quint32 length = quint32(node.size());
    QByteArray prefix(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        prefix[i] = char((length >> (8 * i)) & 0xff);
    quint64 hash = fnv1a(kFnvOffsetBasis, prefix);
    hash = fnv1a(hash, node);
    hash = fnv1a(hash, chatName.toUtf8());
    return fmix64(hash);
}

QString ChatPlacement::ownerOf(QStringView chatName, const QStringList &nodeNames)
{
    QString owner;
    quint64 best = 0;
    bool any = false;
    for (const QString &node : nodeNames) {
        const quint64 weight = score(node, chatName);
        if (!any || weight > best || (weight == best && node < owner)) {
            owner = node;
            best = weight;
            any = true;
        }
    }
    return owner;
}

} // namespace flack::server::cluster
