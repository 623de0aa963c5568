#pragma once
// The pure HTTP/1.x request-head parser of the one-port listener: HttpConnection peeks what
// a socket holds and calls parseHttpRequest() until the head is Complete, then serves a
// static file or hands a websocket upgrade on; Malformed/TooLarge become 400/431. No state,
// no sockets, no allocation beyond the result, so any thread may call it and it is easy to fuzz.
//
// Strictness (we serve GET/HEAD of a bundled web client and websocket upgrades, nothing else):
// - lines end in CRLF; a bare LF or a bare CR anywhere in the head is Malformed, as is a line
//   starting with whitespace (obsolete line folding) and an empty line before the request line;
// - request line: METHOD SP TARGET SP VERSION with single spaces; METHOD a token; TARGET in
//   origin form ("/..."), printable ASCII without '#'; VERSION exactly HTTP/1.0 or HTTP/1.1;
// - header lines: "name: value", name a token with no space before the colon, value of visible
//   ASCII, obs-text, SP and HTAB only; names are lowercased and values trimmed of SP/HTAB;
// - the path (target before '?') is percent-decoded once; a bad escape or a decoded control
//   character (NUL included) is Malformed;
// - message framing: Content-Length must be one decimal number (repeats must agree);
//   Content-Length together with Transfer-Encoding is Malformed; a GET/HEAD with a body
//   (Content-Length > 0 or any Transfer-Encoding) is Malformed; more than one Host is Malformed.
//   A missing Host is tolerated (we serve one site).
// - size: TooLarge when the head exceeds the caller's cap, a line (request line or header,
//   without its CRLF) is longer than kMaxHeaderLineBytes, or there are more than
//   kMaxHeaderLines header lines.
// Errors are reported as soon as a complete line shows them, before the head is complete, so
// a garbage-sending peer is refused early.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace flack::server::net {

// The per-line and line-count limits, no more than QWebSocketServer's own (8 KiB per line
// with its CRLF, 100 header lines in Qt 6.4), which closes an upgrade beyond them unanswered.
inline constexpr qsizetype kMaxHeaderLineBytes = 8 * 1024 - 2;
inline constexpr qsizetype kMaxHeaderLines = 100;

struct HttpRequest
{
    QByteArray method;  // case-sensitive token, e.g. "GET"
    QByteArray target;  // raw request target as sent, e.g. "/a%20b.html?x=1"
    QByteArray path;    // percent-decoded target without the query, e.g. "/a b.html"
    QByteArray version; // "HTTP/1.0" or "HTTP/1.1"
    QList<std::pair<QByteArray, QByteArray>> headers; // in order; names lowercased, values trimmed

    // The value of the header named lowercaseName; repeated headers are joined with ", "
    // (list semantics). Empty when absent.
    QByteArray header(QByteArrayView lowercaseName) const;
    bool hasHeader(QByteArrayView lowercaseName) const;
    // True for Upgrade containing the token "websocket" and Connection containing the token
    // "upgrade" (both case-insensitive, comma-separated lists).
    bool isWebSocketUpgrade() const;
};

struct HttpParseResult
{
    enum class Status { Incomplete, Complete, Malformed, TooLarge };
    Status status = Status::Incomplete;
    HttpRequest request;        // valid when Complete
    qsizetype headerLength = 0; // when Complete: bytes up to and including CRLFCRLF
    QByteArray error;           // short reason when Malformed/TooLarge
};

// Parses the request head at the start of bytes. Anything after the head (a pipelined request,
// websocket frames) is left to the caller, who can find it at bytes.sliced(headerLength).
// TooLarge when the head (complete or not) is longer than maxHeaderBytes.
HttpParseResult parseHttpRequest(QByteArrayView bytes, qsizetype maxHeaderBytes);

// Percent-decodes a path once into *decoded. Returns false on a bad escape ('%' not followed by
// two hex digits) or a decoded control character (NUL included). Used by parseHttpRequest().
bool percentDecodePath(QByteArrayView encoded, QByteArray *decoded);

} // namespace flack::server::net
