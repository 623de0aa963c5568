#pragma once
// Signed user ids (--signed-user-ids): an id the server issues carries a tag, an HMAC of its
// random part under a key only the servers know, so a client can reclaim its own id when it
// reconnects but can't take one it invented (someone else's). Ids keep the protocol's shape,
// 32 lowercase hex digits: 16 random, then 16 of the tag. In a cluster the key comes from the
// cluster secret, so every node honours every node's ids; alone, from a random key made at
// start-up, so ids issued before a restart are not honoured after it.
// Immutable after construction; used from any thread.

#include <QByteArray>
#include <QString>

namespace flack::server::sessions {

class UserIdSigner
{
public:
    // secret: the cluster secret, or empty for a random key of this process's own.
    explicit UserIdSigner(const QByteArray &secret);

    QString issue() const;
    // True for an id this key issued (compared in constant time).
    bool verify(QStringView id) const;

private:
    QByteArray tag(QByteArrayView randomHex) const;

    QByteArray m_key;
};

} // namespace flack::server::sessions
