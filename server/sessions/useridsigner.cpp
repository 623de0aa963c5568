#include "server/sessions/useridsigner.h"

#include "server/cluster/constanttime.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace flack::server::sessions {

namespace {
constexpr qsizetype kRandomHexDigits = 16;
constexpr qsizetype kTagHexDigits = 16;

bool isLowerHex(QStringView text)
{
    for (QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}
} // namespace

UserIdSigner::UserIdSigner(const QByteArray &secret)
{
    QByteArray base = secret;
    if (base.isEmpty()) {
        base.resize(32);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(base.data()), 8);
    }
    // A key of its own, derived from the secret: the cluster secret also authenticates peer
    // links, and a MAC made for one purpose must never be valid for another.
    m_key = QMessageAuthenticationCode::hash("flack user ids v1", base,
                                             QCryptographicHash::Sha256);
}

QByteArray UserIdSigner::tag(QByteArrayView randomHex) const
{
    const QByteArray mac = QMessageAuthenticationCode::hash(randomHex.toByteArray(), m_key,
                                                            QCryptographicHash::Sha256);
    return mac.left(kTagHexDigits / 2).toHex();
}

QString UserIdSigner::issue() const
{
    quint32 words[2];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray random =
        QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
    return QString::fromLatin1(random + tag(random));
}

bool UserIdSigner::verify(QStringView id) const
{
    if (id.size() != kRandomHexDigits + kTagHexDigits || !isLowerHex(id))
        return false;
    const QByteArray ascii = id.toLatin1();
    return cluster::constantTimeEquals(tag(QByteArrayView(ascii).first(kRandomHexDigits)),
                                       QByteArrayView(ascii).sliced(kRandomHexDigits));
}

} // namespace flack::server::sessions
