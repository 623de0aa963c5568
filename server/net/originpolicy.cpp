#include "server/net/originpolicy.h"

#include <QUrl>

namespace flack::server::net {

OriginPolicy::OriginPolicy(const QStringList &allowedOrigins)
{
    for (const QString &origin : allowedOrigins) {
        const QByteArray normal = normalize(origin.toUtf8());
        if (!normal.isEmpty())
            m_allowed.append(normal);
    }
}

QByteArray OriginPolicy::normalize(QByteArrayView origin, QString *problem)
{
    const auto fail = [problem](const char *reason) {
        if (problem)
            *problem = QString::fromLatin1(reason);
        return QByteArray();
    };
    const QUrl url(QString::fromLatin1(origin), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https"))
        return fail("expected http://HOST[:PORT] or https://HOST[:PORT]");
    if (url.host().isEmpty() || !url.userInfo().isEmpty())
        return fail("expected a host and no user name");
    // An origin is scheme, host and port only (RFC 6454): no path, query or fragment.
    if ((!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() || url.hasFragment())
        return fail("an origin has no path, query or fragment");
    const int defaultPort = scheme == u"https" ? 443 : 80;
    const int port = url.port(defaultPort);
    QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    QString normal = scheme + QStringLiteral("://") + host;
    if (port != defaultPort)
        normal += u':' + QString::number(port);
    return normal.toLatin1();
}

bool OriginPolicy::allows(QByteArrayView origin, bool hasOrigin, QByteArrayView host) const
{
    if (!hasOrigin)
        return true; // not a browser: nothing to hijack
    const QByteArray normal = normalize(origin);
    if (normal.isEmpty())
        return false; // "null" (sandboxed pages, file://) and garbage
    // Our own page, reached under whatever name the browser used for it.
    if (!host.isEmpty()) {
        for (const char *scheme : {"http://", "https://"}) {
            if (normalize(QByteArray(scheme) + host.toByteArray()) == normal)
                return true;
        }
    }
    return m_allowed.contains(normal);
}

} // namespace flack::server::net
