// The HTTP request-head parser of the one port, which sees every byte an unauthenticated peer
// sends before anything else does. Only the public parseHttpRequest() is driven, so the checks
// being added to the parser are fuzzed as they land. Beyond "no crash, no leak, no UB":
// - a Complete head is well-formed as the header documents (CRLFCRLF-terminated, within the
//   bound, a token method, an origin-form target whose decoded path has no control character,
//   lowercased header names) and parses the same on its own;
// - the answer doesn't depend on how TCP split the bytes: HttpConnection parses again as data
//   arrives, so a prefix may be Incomplete, but may never be Complete or an error unless the
//   whole input agrees.

#include "fuzzcommon.h"
#include "server/net/httprequestparser.h"

using flack::server::net::HttpParseResult;
using flack::server::net::HttpRequest;
using flack::server::net::parseHttpRequest;
using flack::server::net::percentDecodePath;
using Status = HttpParseResult::Status;

namespace {

// The listener's default bound; a second, input-dependent bound exercises TooLarge too.
constexpr qsizetype kMaxHeaderBytes = 8192;

bool isError(Status s)
{
    return s == Status::Malformed || s == Status::TooLarge;
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.path == b.path &&
           a.version == b.version && a.headers == b.headers;
}

void checkComplete(QByteArrayView bytes, qsizetype max, const HttpParseResult &r)
{
    FUZZ_CHECK(r.headerLength >= 4 && r.headerLength <= bytes.size() && r.headerLength <= max);
    const QByteArrayView head = bytes.first(r.headerLength);
    FUZZ_CHECK(head.endsWith("\r\n\r\n"));
    FUZZ_CHECK(head.indexOf("\r\n\r\n") == r.headerLength - 4); // the first empty line ends it
    const HttpRequest &q = r.request;
    FUZZ_CHECK(!q.method.isEmpty() && !q.method.contains(' '));
    FUZZ_CHECK(q.target.startsWith('/') && !q.target.contains('#'));
    FUZZ_CHECK(q.version == "HTTP/1.1" || q.version == "HTTP/1.0");
    for (char c : q.path)
        FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    QByteArray path;
    const qsizetype query = q.target.indexOf('?');
    FUZZ_CHECK(percentDecodePath(query < 0 ? q.target : q.target.first(query), &path));
    FUZZ_CHECK(path == q.path);
    for (const auto &[name, value] : q.headers) {
        FUZZ_CHECK(!name.isEmpty() && name == name.toLower());
        FUZZ_CHECK(!value.startsWith(' ') && !value.endsWith(' ') && !value.contains('\n'));
        FUZZ_CHECK(q.hasHeader(name));
    }
    q.isWebSocketUpgrade(); // its token lists are walked over peer-controlled values
}

// The property TCP segmentation needs: what a prefix says, the whole must not contradict.
void checkPrefix(QByteArrayView bytes, qsizetype max, qsizetype prefixLength,
                 const HttpParseResult &whole)
{
    const HttpParseResult part = parseHttpRequest(bytes.first(prefixLength), max);
    if (part.status == Status::Complete) {
        FUZZ_CHECK(whole.status == Status::Complete);
        FUZZ_CHECK(part.headerLength == whole.headerLength);
        FUZZ_CHECK(sameRequest(part.request, whole.request));
    } else if (isError(part.status)) {
        FUZZ_CHECK(isError(whole.status));
        FUZZ_CHECK(!part.error.isEmpty());
    }
}

void fuzzOnce(QByteArrayView bytes, qsizetype max)
{
    const HttpParseResult whole = parseHttpRequest(bytes, max);
    if (isError(whole.status))
        FUZZ_CHECK(!whole.error.isEmpty());
    if (whole.status == Status::Complete) {
        checkComplete(bytes, max, whole);
        const HttpParseResult alone = parseHttpRequest(bytes.first(whole.headerLength), max);
        FUZZ_CHECK(alone.status == Status::Complete && alone.headerLength == whole.headerLength);
        FUZZ_CHECK(sameRequest(alone.request, whole.request));
        checkPrefix(bytes, max, whole.headerLength - 1, whole);
    }
    if (!bytes.isEmpty()) {
        checkPrefix(bytes, max, bytes.size() / 2, whole);
        checkPrefix(bytes, max, bytes.size() - 1, whole);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const QByteArray upgrade("GET /chat HTTP/1.1\r\nHost: localhost:8080\r\nUpgrade: websocket\r\n"
                             "Connection: keep-alive, Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost:8080\r\n\r\n");
    QByteArray manyHeaders("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 120; ++i)
        manyHeaders += "X-H" + QByteArray::number(i) + ": v\r\n";
    manyHeaders += "\r\n";
    flack::fuzz::writeSeedsIfAsked({
        {"get_index.http", QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n")},
        {"head_http10.http", QByteArray("HEAD /app.js?v=1 HTTP/1.0\r\n\r\n")},
        {"upgrade.http", upgrade},
        {"upgrade_with_frame.http",
         upgrade + QByteArray("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11)},
        {"pipelined.http", QByteArray("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\n\r\n")},
        {"percent_path.http", QByteArray("GET /a%20b/%2e%2E/%c3%a9.html?q=%00 HTTP/1.1\r\n\r\n")},
        {"edge_bad_escape.http", QByteArray("GET /%0a%G1% HTTP/1.1\r\n\r\n")},
        {"edge_smuggling.http",
         QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
                    "Content-Length: 05\r\nHost: a\r\nHost: b\r\n\r\nhello")},
        {"edge_folding_tabs.http",
         QByteArray("GET / HTTP/1.1\r\nX-A:\t v \t\r\n continued\r\nX-B : c\r\n\r\n")},
        {"edge_bare_lf_cr.http", QByteArray("GET / HTTP/1.1\nHost: a\r\rX: \x7f\xff\r\n\r\n")},
        {"edge_partial.http", QByteArray("GET /chat HTTP/1.1\r\nUpgrade: websoc")},
        {"edge_many_headers.http", manyHeaders},
        {"edge_long_line.http",
         QByteArray("GET / HTTP/1.1\r\nX-Long: ") + QByteArray(9000, 'a') + "\r\n\r\n"},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes = flack::fuzz::bytesOf(data, size);
    fuzzOnce(bytes, kMaxHeaderBytes);
    // A bound that falls inside the input: heads that stop just short of it, or just past it.
    if (size > 8)
        fuzzOnce(bytes, qsizetype(data[size - 1]) % qsizetype(size));
    // The path decoder is public too, and fed the raw target by the routes.
    QByteArray decoded;
    if (percentDecodePath(bytes, &decoded)) {
        FUZZ_CHECK(decoded.size() <= bytes.size());
        for (char c : decoded)
            FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    }
    return 0;
}
