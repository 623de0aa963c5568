#pragma once
// Builds the complete bytes of the HTTP responses the one-port listener writes before closing
// the connection (static files, errors, the GET handlers of HttpRoutes such as /healthz). Pure
// functions, callable from any thread.
// Every response carries Connection: close: we serve one request per connection, which keeps
// the listener free of keep-alive state and bounds what an idle HTTP client can hold.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace flack::server::net {

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>;

// What a GET handler of HttpRoutes answers; the listener adds the fixed headers and drops the
// body for HEAD (see buildHttpResponse()).
struct HttpResponse
{
    int status = 200;
    QByteArray contentType; // e.g. "text/plain; charset=utf-8"; no Content-Type when empty
    QByteArray body;
    HttpHeaderList extraHeaders;
};

// "OK", "Not Found", ...; empty for codes we never send (the reason phrase is optional).
QByteArrayView httpReasonPhrase(int status);

// The extra header a 405 response must carry (RFC 9110 section 15.5.6): {"Allow", "GET, HEAD"}.
// buildHttpError(405, ...) adds it itself.
HttpHeaderList allowHeaderForMethodNotAllowed();

// "HTTP/1.1 <status> <reason>\r\n", Content-Type (when non-empty), Content-Length (of body, also
// for HEAD), Connection: close, X-Content-Type-Options: nosniff, the extras in order, an empty
// line and the body unless headRequest. A content type or extra header containing CR, LF or
// NUL (or an extra with an empty or non-token name) is left out rather than allowed to split
// the response.
QByteArray buildHttpResponse(int status, QByteArrayView contentType, QByteArrayView body,
                             bool headRequest, const HttpHeaderList &extraHeaders = {});
// The same for a handler's response.
QByteArray buildHttpResponse(const HttpResponse &response, bool headRequest);

// A complete error response with a short text/plain body such as "404 Not Found\n".
// 405 carries "Allow: GET, HEAD".
QByteArray buildHttpError(int status, bool headRequest);

} // namespace flack::server::net
