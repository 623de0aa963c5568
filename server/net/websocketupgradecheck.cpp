#include "server/net/websocketupgradecheck.h"

#include "server/net/httprequestparser.h"

#include <QUrl>

namespace flack::server::net {

namespace {

UpgradeCheck refused(int status, const char *reason, HttpHeaderList extraHeaders = {})
{
    return {status, QByteArray(reason), std::move(extraHeaders)};
}

bool isDecimal(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 9)
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

// The value of the first header of that name, as Qt reads it (it ignores repeats).
QByteArrayView firstHeader(const HttpRequest &request, QByteArrayView lowercaseName)
{
    for (const auto &[name, value] : request.headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

bool firstConnectionHeaderHasUpgrade(const HttpRequest &request)
{
    const QByteArrayView connection = firstHeader(request, "connection");
    for (const QByteArray &token : connection.toByteArray().split(',')) {
        if (trimmed(token).compare(QByteArrayView("upgrade"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray UpgradeCheck::response() const
{
    return buildHttpResponse(status, "text/plain; charset=utf-8", reason + '\n', false,
                             extraHeaders);
}

UpgradeCheck checkWebSocketUpgrade(const HttpRequest &request)
{
    if (request.method != "GET")
        return refused(400, "a websocket upgrade must be a GET");
    if (request.version != "HTTP/1.1")
        return refused(400, "a websocket upgrade needs HTTP/1.1");
    // Qt compares the first Upgrade header as a whole, not as a token list.
    if (request.header("upgrade").compare(QByteArrayView("websocket"), Qt::CaseInsensitive) != 0)
        return refused(400, "Upgrade must be exactly \"websocket\"");
    if (!firstConnectionHeaderHasUpgrade(request))
        return refused(400, "the first Connection header must name \"upgrade\"");

    const QByteArray host = request.header("host");
    if (host.isEmpty())
        return refused(400, "missing Host header");
    // Qt takes the URL's authority from Host and refuses an upgrade whose host is empty or
    // carries user info.
    QUrl url;
    url.setAuthority(QString::fromLatin1(host), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userName().isNull())
        return refused(400, "invalid Host header");

    // RFC 6455 section 4.1: a random 16-byte value, base64-encoded (Qt only checks that there
    // is one, but a key of any other shape is a broken client).
    const QByteArray key = request.header("sec-websocket-key");
    if (key.isEmpty())
        return refused(400, "missing Sec-WebSocket-Key header");
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16 || key.contains(','))
        return refused(400, "Sec-WebSocket-Key must be 16 bytes in base64");

    if (!request.hasHeader("sec-websocket-version"))
        return refused(400, "missing Sec-WebSocket-Version header");
    const QByteArray versions = request.header("sec-websocket-version");
    bool has13 = false;
    bool any = false;
    for (const QByteArray &part : versions.split(',')) {
        const QByteArrayView version = trimmed(part);
        if (version.isEmpty())
            continue; // Qt skips empty list elements
        if (!isDecimal(version))
            return refused(400, "Sec-WebSocket-Version must be a number");
        any = true;
        has13 = has13 || version.toInt() == 13;
    }
    if (!any)
        return refused(400, "missing Sec-WebSocket-Version header");
    if (!has13)
        return refused(426, "this server speaks websocket version 13",
                       {{"Sec-WebSocket-Version", "13"}});
    return {};
}

} // namespace flack::server::net
