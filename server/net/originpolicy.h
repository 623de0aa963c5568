#pragma once
// Which browser origins may open a websocket (cross-site websocket hijacking: a page on any
// site can open ws://our-host/ in its visitor's browser, with the visitor's network position
// and cookies). A request without Origin is not from a browser and is allowed; the page's own
// origin (Origin equal to the request's Host, http or https) always is; anything else only
// when listed in --allowed-origins. Immutable once built; any thread may ask.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace flack::server::net {

class OriginPolicy
{
public:
    // Origins as "scheme://host[:port]"; compared case-insensitively, default ports ignored.
    explicit OriginPolicy(const QStringList &allowedOrigins = {});

    // origin: the Origin header's value, empty when absent; host: the Host header's value.
    bool allows(QByteArrayView origin, bool hasOrigin, QByteArrayView host) const;

    // Normal form of an origin ("https://chat.example.com", port only when not the scheme's
    // default), or an empty string with *problem set when it isn't an http(s) origin.
    static QByteArray normalize(QByteArrayView origin, QString *problem = nullptr);

private:
    QList<QByteArray> m_allowed; // normalized
};

} // namespace flack::server::net
