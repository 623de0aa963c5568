#include "server/net/httpresponse.h"

namespace flack::server::net {

namespace {

bool isSafeHeaderValue(QByteArrayView value)
{
    return !value.contains('\r') && !value.contains('\n') && !value.contains('\0');
}

bool isSafeHeaderName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == ':')
            return false;
    }
    return true;
}

void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
}

} // namespace

QByteArrayView httpReasonPhrase(int status)
{
    switch (status) {
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return {};
    }
}

HttpHeaderList allowHeaderForMethodNotAllowed()
{
    return {{QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, HEAD")}};
}

QByteArray buildHttpResponse(int status, QByteArrayView contentType, QByteArrayView body,
                             bool headRequest, const HttpHeaderList &extraHeaders)
{
    QByteArray out;
    out.reserve(160 + (headRequest ? 0 : body.size()));
    out.append("HTTP/1.1 ");
    out.append(QByteArray::number(status));
    out.append(' ');
    out.append(httpReasonPhrase(status));
    out.append("\r\n");
    if (!contentType.isEmpty() && isSafeHeaderValue(contentType))
        appendHeader(out, "Content-Type", contentType);
    // For HEAD the length is that of the body a GET would get (RFC 9110 section 9.3.2).
    appendHeader(out, "Content-Length", QByteArray::number(body.size()));
    appendHeader(out, "Connection", "close");
    appendHeader(out, "X-Content-Type-Options", "nosniff");
    for (const auto &[name, value] : extraHeaders) {
        if (isSafeHeaderName(name) && isSafeHeaderValue(value))
            appendHeader(out, name, value);
    }
    out.append("\r\n");
    if (!headRequest)
        out.append(body);
    return out;
}

QByteArray buildHttpResponse(const HttpResponse &response, bool headRequest)
{
    return buildHttpResponse(response.status, response.contentType, response.body, headRequest,
                             response.extraHeaders);
}

QByteArray buildHttpError(int status, bool headRequest)
{
    QByteArray body = QByteArray::number(status);
    const QByteArrayView reason = httpReasonPhrase(status);
    if (!reason.isEmpty()) {
        body.append(' ');
        body.append(reason);
    }
    body.append('\n');
    return buildHttpResponse(status, "text/plain; charset=utf-8", body, headRequest,
                             status == 405 ? allowHeaderForMethodNotAllowed() : HttpHeaderList{});
}

} // namespace flack::server::net
