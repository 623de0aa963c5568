// The request-head parser decides what the one-port listener serves and what it refuses with
// 400/431, so every rule of its header comment has rows here: valid heads, heads still in
// flight, malformed heads (reported early where a complete line shows them), the size cap,
// percent-decoding of the path and websocket upgrade detection.

#include "server/net/httprequestparser.h"

#include <QTest>

using namespace flack::server::net;
using Status = HttpParseResult::Status;

Q_DECLARE_METATYPE(flack::server::net::HttpParseResult::Status)

namespace {

// Keeps embedded NULs: QByteArray(const char *) would stop at the first one.
template <qsizetype N> QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n";
}

constexpr qsizetype kMax = 8192;

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void complete_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<qsizetype>("headerLength");

        const QByteArray simple = get("/");
        QTest::newRow("GET /") << simple << QByteArray("GET") << QByteArray("/") << QByteArray("/")
                               << QByteArray("HTTP/1.1") << simple.size();
        const QByteArray head = "HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
        QTest::newRow("HEAD") << head << QByteArray("HEAD") << QByteArray("/index.html")
                              << QByteArray("/index.html") << QByteArray("HTTP/1.1") << head.size();
        const QByteArray http10 = "GET /a.js HTTP/1.0\r\n\r\n";
        QTest::newRow("HTTP/1.0 without headers")
            << http10 << QByteArray("GET") << QByteArray("/a.js") << QByteArray("/a.js")
            << QByteArray("HTTP/1.0") << http10.size();
        const QByteArray noHost = "GET / HTTP/1.1\r\n\r\n";
        QTest::newRow("missing Host tolerated")
            << noHost << QByteArray("GET") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << noHost.size();
        const QByteArray query = get("/chat-server?x=%zz&y=1");
        QTest::newRow("query is not decoded or validated")
            << query << QByteArray("GET") << QByteArray("/chat-server?x=%zz&y=1")
            << QByteArray("/chat-server") << QByteArray("HTTP/1.1") << query.size();
        const QByteArray space = get("/a%20b.html");
        QTest::newRow("percent-decoded space")
            << space << QByteArray("GET") << QByteArray("/a%20b.html") << QByteArray("/a b.html")
            << QByteArray("HTTP/1.1") << space.size();
        const QByteArray hexCase = get("/%41%6a%6A");
        QTest::newRow("hex digits of either case")
            << hexCase << QByteArray("GET") << QByteArray("/%41%6a%6A") << QByteArray("/Ajj")
            << QByteArray("HTTP/1.1") << hexCase.size();
        const QByteArray utf8 = get("/%C3%A9.html");
        QTest::newRow("percent-encoded UTF-8")
            << utf8 << QByteArray("GET") << QByteArray("/%C3%A9.html")
            << QByteArray("/\xc3\xa9.html") << QByteArray("HTTP/1.1") << utf8.size();
        // Traversal is the static file store's to refuse; the parser decodes exactly once.
        const QByteArray dots = get("/%2e%2e/");
        QTest::newRow("encoded dots decoded once")
            << dots << QByteArray("GET") << QByteArray("/%2e%2e/") << QByteArray("/../")
            << QByteArray("HTTP/1.1") << dots.size();
        const QByteArray slashes = get("/..%2f..%2f");
        QTest::newRow("encoded slashes decoded")
            << slashes << QByteArray("GET") << QByteArray("/..%2f..%2f") << QByteArray("/../../")
            << QByteArray("HTTP/1.1") << slashes.size();
        const QByteArray doubleEncoded = get("/%252e%252e/");
        QTest::newRow("double encoding decoded only once")
            << doubleEncoded << QByteArray("GET") << QByteArray("/%252e%252e/")
            << QByteArray("/%2e%2e/") << QByteArray("HTTP/1.1") << doubleEncoded.size();
        const QByteArray pipelined = get("/");
        QTest::newRow("bytes after the head are not consumed")
            << pipelined + "GET /next HTTP/1.1\r\n"
            << QByteArray("GET") << QByteArray("/") << QByteArray("/") << QByteArray("HTTP/1.1")
            << pipelined.size();
        const QByteArray wsFrame = get("/chat-server", "Upgrade: websocket\r\n");
        QTest::newRow("websocket frame bytes after the head")
            << wsFrame + raw("\x81\x85\x00\x01") << QByteArray("GET") << QByteArray("/chat-server")
            << QByteArray("/chat-server") << QByteArray("HTTP/1.1") << wsFrame.size();
        const QByteArray post = "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        QTest::newRow("POST with body is complete (caller answers 405)")
            << post << QByteArray("POST") << QByteArray("/x") << QByteArray("/x")
            << QByteArray("HTTP/1.1") << post.size() - 5;
        const QByteArray lower = "get / HTTP/1.1\r\n\r\n";
        QTest::newRow("methods are case-sensitive tokens (caller answers 405)")
            << lower << QByteArray("get") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << lower.size();
        const QByteArray zeroLength = get("/", "Content-Length: 0\r\n");
        QTest::newRow("GET with Content-Length 0")
            << zeroLength << QByteArray("GET") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << zeroLength.size();
        const QByteArray sameLength = get("/", "Content-Length: 0\r\nContent-Length: 00\r\n");
        QTest::newRow("repeated equal Content-Length")
            << sameLength << QByteArray("GET") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << sameLength.size();
        const QByteArray backslash = get("/\\..\\");
        QTest::newRow("backslash is the store's to refuse")
            << backslash << QByteArray("GET") << QByteArray("/\\..\\") << QByteArray("/\\..\\")
            << QByteArray("HTTP/1.1") << backslash.size();
        const QByteArray tabValue = get("/", "X-Tab: a\tb\r\n");
        QTest::newRow("HTAB inside a header value")
            << tabValue << QByteArray("GET") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << tabValue.size();
        const QByteArray obsText = get("/", "X-Latin: caf\xe9\r\n");
        QTest::newRow("obs-text in a header value")
            << obsText << QByteArray("GET") << QByteArray("/") << QByteArray("/")
            << QByteArray("HTTP/1.1") << obsText.size();
    }

    void complete()
    {
        QFETCH(QByteArray, input);
        const HttpParseResult result = parseHttpRequest(input, kMax);
        QCOMPARE(result.status, Status::Complete);
        QVERIFY(result.error.isEmpty());
        QTEST(result.request.method, "method");
        QTEST(result.request.target, "target");
        QTEST(result.request.path, "path");
        QTEST(result.request.version, "version");
        QTEST(result.headerLength, "headerLength");
    }

    void headers()
    {
        const QByteArray input = "GET / HTTP/1.1\r\n"
                                 "Host: example.org\r\n"
                                 "X-Spaces:   padded value \t \r\n"
                                 "ACCEPT: a\r\n"
                                 "Accept: b\r\n"
                                 "X-Empty:\r\n"
                                 "x-odd!#$%&'*+-.^_`|~: token chars\r\n"
                                 "\r\n";
        const HttpParseResult result = parseHttpRequest(input, kMax);
        QCOMPARE(result.status, Status::Complete);
        const HttpRequest &request = result.request;
        QCOMPARE(request.headers.size(), 6);
        QCOMPARE(request.headers.at(0).first, QByteArray("host"));
        QCOMPARE(request.headers.at(2).first, QByteArray("accept"));
        QCOMPARE(request.header("host"), QByteArray("example.org"));
        QCOMPARE(request.header("x-spaces"), QByteArray("padded value"));
        QCOMPARE(request.header("accept"), QByteArray("a, b"));
        QCOMPARE(request.header("x-empty"), QByteArray());
        QVERIFY(request.hasHeader("x-empty"));
        QCOMPARE(request.header("x-odd!#$%&'*+-.^_`|~"), QByteArray("token chars"));
        QCOMPARE(request.header("missing"), QByteArray());
        QVERIFY(!request.hasHeader("missing"));
        // Lookups take the lowercase name, as stored.
        QCOMPARE(request.header("Host"), QByteArray());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");

        // Request line.
        QTest::newRow("absolute URL") << get("http://example.org/");
        QTest::newRow("asterisk form") << QByteArray("OPTIONS * HTTP/1.1\r\n\r\n");
        QTest::newRow("authority form") << QByteArray("CONNECT example.org:443 HTTP/1.1\r\n\r\n");
        QTest::newRow("relative target") << get("index.html");
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n");
        QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n");
        QTest::newRow("HTTP/0.9 style") << QByteArray("GET /\r\n\r\n");
        QTest::newRow("lowercase version") << QByteArray("GET / http/1.1\r\n\r\n");
        QTest::newRow("version with trailing space") << QByteArray("GET / HTTP/1.1 \r\n\r\n");
        QTest::newRow("four parts") << QByteArray("GET / HTTP/1.1 extra\r\n\r\n");
        QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n");
        QTest::newRow("leading space") << QByteArray(" GET / HTTP/1.1\r\n\r\n");
        QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\n\r\n");
        QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n");
        QTest::newRow("method with non-ASCII") << QByteArray("G\xc3\x89T / HTTP/1.1\r\n\r\n");
        QTest::newRow("NUL in method") << raw("GE\0T / HTTP/1.1\r\n\r\n");
        QTest::newRow("NUL in target") << raw("GET /a\0b HTTP/1.1\r\n\r\n");
        QTest::newRow("NUL in version") << raw("GET / HTTP/1.1\0\r\n\r\n");
        QTest::newRow("control char in target") << raw("GET /a\x01 HTTP/1.1\r\n\r\n");
        QTest::newRow("DEL in target") << raw("GET /a\x7f HTTP/1.1\r\n\r\n");
        QTest::newRow("non-ASCII in target") << get("/caf\xc3\xa9");
        QTest::newRow("fragment in target") << get("/index.html#top");
        QTest::newRow("empty request line") << QByteArray("\r\n\r\n");
        QTest::newRow("empty line before request line") << QByteArray("\r\nGET / HTTP/1.1\r\n\r\n");

        // Line endings.
        QTest::newRow("bare LF everywhere") << QByteArray("GET / HTTP/1.1\nHost: x\n\n");
        QTest::newRow("bare LF after request line")
            << QByteArray("GET / HTTP/1.1\nHost: x\r\n\r\n");
        QTest::newRow("bare LF ending a header") << QByteArray("GET / HTTP/1.1\r\nHost: x\n\r\n");
        QTest::newRow("bare CR in request line") << QByteArray("GET /\r HTTP/1.1\r\n\r\n");
        QTest::newRow("bare CR in header value") << get("/", "X: a\rb\r\n");

        // Header lines.
        QTest::newRow("obsolete line folding") << get("/", "X: a\r\n b\r\n");
        QTest::newRow("folding with tab") << get("/", "X: a\r\n\tb\r\n");
        QTest::newRow("header without colon") << get("/", "NoColon\r\n");
        QTest::newRow("space before colon") << get("/", "Host : x\r\n");
        QTest::newRow("empty header name") << get("/", ": x\r\n");
        QTest::newRow("header name not a token") << get("/", "X(y): z\r\n");
        QTest::newRow("header name with space") << get("/", "X Y: z\r\n");
        QTest::newRow("NUL in header value") << get("/", raw("X: a\0b\r\n"));
        QTest::newRow("control char in header value") << get("/", "X: a\x01\r\n");
        QTest::newRow("vertical tab around header value") << get("/", "X: \x0b"
                                                                      "a\r\n");
        QTest::newRow("DEL in header value") << get("/", "X: a\x7f\r\n");

        // Percent-decoding of the path.
        QTest::newRow("lone percent") << get("/%");
        QTest::newRow("percent with one digit") << get("/%4");
        QTest::newRow("percent with one digit then more") << get("/%4/x");
        QTest::newRow("percent with non-hex") << get("/%zz");
        QTest::newRow("percent with half hex") << get("/%g0");
        QTest::newRow("encoded NUL") << get("/%00");
        QTest::newRow("encoded NUL mid-path") << get("/index.html%00.png");
        QTest::newRow("encoded LF") << get("/a%0Ab");
        QTest::newRow("encoded CR") << get("/a%0db");
        QTest::newRow("encoded DEL") << get("/%7F");

        // Framing: we only serve GET/HEAD and never read a body.
        QTest::newRow("GET with Content-Length") << get("/", "Content-Length: 5\r\n") + "hello";
        QTest::newRow("HEAD with Content-Length")
            << QByteArray("HEAD / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
        QTest::newRow("GET with Transfer-Encoding") << get("/", "Transfer-Encoding: chunked\r\n");
        QTest::newRow("HEAD with Transfer-Encoding")
            << QByteArray("HEAD / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n");
        QTest::newRow("Content-Length not a number") << get("/", "Content-Length: abc\r\n");
        QTest::newRow("Content-Length negative") << get("/", "Content-Length: -1\r\n");
        QTest::newRow("Content-Length with plus") << get("/", "Content-Length: +0\r\n");
        QTest::newRow("Content-Length list") << get("/", "Content-Length: 0, 0\r\n");
        QTest::newRow("Content-Length empty") << get("/", "Content-Length:\r\n");
        QTest::newRow("Content-Length huge")
            << get("/", "Content-Length: 99999999999999999999\r\n");
        QTest::newRow("conflicting Content-Length on POST")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        QTest::newRow("Content-Length and Transfer-Encoding on POST")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n");
        QTest::newRow("two Host headers") << get("/", "Host: evil\r\n");
    }

    void malformed()
    {
        QFETCH(QByteArray, input);
        const HttpParseResult result = parseHttpRequest(input, kMax);
        QCOMPARE(result.status, Status::Malformed);
        QVERIFY(!result.error.isEmpty());
        QCOMPARE(result.headerLength, 0);
    }

    // A peer sending garbage is refused as soon as a line (or a byte) shows it, without waiting
    // for a blank line that may never come.
    void malformedEarly_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("bad request line, no blank line yet")
            << QByteArray("GET http://x/ HTTP/1.1\r\n");
        QTest::newRow("bad header, no blank line yet")
            << QByteArray("GET / HTTP/1.1\r\nBad Header\r\n");
        QTest::newRow("bare LF after request line") << QByteArray("GET / HTTP/1.1\n");
        QTest::newRow("NUL in partial request line") << raw("GET /\0");
        QTest::newRow("control char in partial line") << raw("GET / HTTP/1.1\r\nX: \x02");
        QTest::newRow("bare CR in partial line") << QByteArray("GET / HTTP/1.1\rX");
        QTest::newRow("binary garbage") << raw("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");
        QTest::newRow("TLS ClientHello prefix") << raw("\x16\x03\x01");
    }

    void malformedEarly()
    {
        QFETCH(QByteArray, input);
        QCOMPARE(parseHttpRequest(input, kMax).status, Status::Malformed);
    }

    // The short reason says which rule fired (other rules must not mask it).
    void errorReason_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n")
                                 << QByteArray("bare LF");
        QTest::newRow("bare LF at line start")
            << QByteArray("\nGET / HTTP/1.1\r\n\r\n") << QByteArray("bare LF");
        QTest::newRow("bare CR") << get("/", "X: a\rb\r\n") << QByteArray("bare CR");
        QTest::newRow("folding") << get("/", "X: a\r\n b\r\n")
                                 << QByteArray("obsolete line folding");
        QTest::newRow("absolute URL")
            << get("http://x/") << QByteArray("request target must be an absolute path");
        QTest::newRow("version") << QByteArray("GET / HTTP/1.2\r\n\r\n")
                                 << QByteArray("unsupported HTTP version");
        QTest::newRow("escape") << get("/%zz") << QByteArray("invalid percent-encoding in path");
        QTest::newRow("encoded NUL")
            << get("/%00") << QByteArray("invalid percent-encoding in path");
        QTest::newRow("body on GET")
            << get("/", "Content-Length: 1\r\n") << QByteArray("request body not allowed");
        QTest::newRow("smuggling") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                                                 "Transfer-Encoding: chunked\r\n\r\n")
                                   << QByteArray("both Content-Length and Transfer-Encoding");
        QTest::newRow("two Host") << get("/", "Host: y\r\n")
                                  << QByteArray("more than one Host header");
        QTest::newRow("too large")
            << QByteArray(9000, 'a') << QByteArray("request header too large");
    }

    void errorReason()
    {
        QFETCH(QByteArray, input);
        QTEST(parseHttpRequest(input, kMax).error, "error");
    }

    void incomplete_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("one byte") << QByteArray("G");
        QTest::newRow("partial request line") << QByteArray("GET /ind");
        QTest::newRow("request line without CRLF") << QByteArray("GET / HTTP/1.1");
        QTest::newRow("request line with CR") << QByteArray("GET / HTTP/1.1\r");
        QTest::newRow("request line with CRLF") << QByteArray("GET / HTTP/1.1\r\n");
        QTest::newRow("partial header") << QByteArray("GET / HTTP/1.1\r\nHo");
        QTest::newRow("header with tab so far") << QByteArray("GET / HTTP/1.1\r\nX:\t");
        QTest::newRow("header with CRLF") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n");
        QTest::newRow("blank line half there") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r");
    }

    void incomplete()
    {
        QFETCH(QByteArray, input);
        const HttpParseResult result = parseHttpRequest(input, kMax);
        QCOMPARE(result.status, Status::Incomplete);
        QCOMPARE(result.headerLength, 0);
    }

    // The listener re-parses its buffer as bytes arrive: every strict prefix of a valid head is
    // Incomplete, the whole is Complete.
    void byteByByte()
    {
        const QByteArray input = get("/chat-server", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                                     "Sec-WebSocket-Version: 13\r\n");
        for (qsizetype i = 0; i < input.size(); ++i)
            QCOMPARE(parseHttpRequest(QByteArrayView(input).first(i), kMax).status,
                     Status::Incomplete);
        const HttpParseResult result = parseHttpRequest(input, kMax);
        QCOMPARE(result.status, Status::Complete);
        QCOMPARE(result.headerLength, input.size());
        QVERIFY(result.request.isWebSocketUpgrade());
    }

    void size_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<qsizetype>("maxHeaderBytes");
        QTest::addColumn<Status>("status");

        const QByteArray head = get("/", "X-Pad: " + QByteArray(100, 'a') + "\r\n");
        QTest::newRow("head exactly at the cap") << head << head.size() << Status::Complete;
        QTest::newRow("head one byte over the cap") << head << head.size() - 1 << Status::TooLarge;
        QTest::newRow("head far over the cap") << head << qsizetype(16) << Status::TooLarge;
        QTest::newRow("head within the cap, more bytes after it")
            << head + QByteArray(500, 'x') << head.size() << Status::Complete;
        QTest::newRow("incomplete at exactly the cap")
            << head.first(head.size() - 1) << head.size() - 1 << Status::Incomplete;
        QTest::newRow("incomplete over the cap")
            << head.first(head.size() - 1) << head.size() - 2 << Status::TooLarge;
        QTest::newRow("endless header line")
            << "GET / HTTP/1.1\r\nX: " + QByteArray(10000, 'a') << kMax << Status::TooLarge;
        QTest::newRow("endless request line")
            << "GET /" + QByteArray(10000, 'a') << kMax << Status::TooLarge;
        QTest::newRow("endless stream of headers")
            << "GET / HTTP/1.1\r\n" + QByteArray("X: y\r\n").repeated(2000) << kMax
            << Status::TooLarge;
        // QWebSocketServer's own limits, for every request (see kMaxHeaderLineBytes), under a
        // head cap that is not what refuses them. get() adds a Host line.
        constexpr qsizetype kBig = 1024 * 1024;
        const QByteArray longest = "X: " + QByteArray(kMaxHeaderLineBytes - 3, 'a') + "\r\n";
        QTest::newRow("header line at the line limit")
            << get("/", longest) << kBig << Status::Complete;
        QTest::newRow("header line one byte over the line limit")
            << get("/", "X: a" + longest.sliced(3)) << kBig << Status::TooLarge;
        QTest::newRow("unfinished header line over the line limit")
            << "GET / HTTP/1.1\r\nX: " + QByteArray(kMaxHeaderLineBytes, 'a') << kBig
            << Status::TooLarge;
        QTest::newRow("request line over the line limit")
            << get("/" + QByteArray(kMaxHeaderLineBytes, 'a'), "") << kBig << Status::TooLarge;
        QTest::newRow("100 header lines")
            << get("/", QByteArray("X: y\r\n").repeated(kMaxHeaderLines - 1)) << kBig
            << Status::Complete;
        QTest::newRow("101 header lines")
            << get("/", QByteArray("X: y\r\n").repeated(kMaxHeaderLines)) << kBig
            << Status::TooLarge;
        QTest::newRow("terminator straddles the cap")
            << head << head.size() - 2 << Status::TooLarge;
        QTest::newRow("zero cap, no bytes") << QByteArray() << qsizetype(0) << Status::Incomplete;
        QTest::newRow("zero cap, one byte") << QByteArray("G") << qsizetype(0) << Status::TooLarge;
    }

    void size()
    {
        QFETCH(QByteArray, input);
        QFETCH(qsizetype, maxHeaderBytes);
        QFETCH(Status, status);
        const HttpParseResult result = parseHttpRequest(input, maxHeaderBytes);
        QCOMPARE(result.status, status);
        if (status == Status::TooLarge)
            QVERIFY(!result.error.isEmpty());
        if (status == Status::Complete)
            QVERIFY(result.headerLength <= maxHeaderBytes);
    }

    void webSocketUpgrade_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<bool>("upgrade");
        QTest::newRow("browser handshake")
            << QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n")
            << true;
        QTest::newRow("case-insensitive values")
            << QByteArray("Upgrade: WebSocket\r\nConnection: UPGRADE\r\n") << true;
        QTest::newRow("Connection list (Firefox)")
            << QByteArray("Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n") << true;
        QTest::newRow("Connection list without spaces")
            << QByteArray("Upgrade: websocket\r\nConnection: keep-alive,upgrade\r\n") << true;
        QTest::newRow("Connection in two headers")
            << QByteArray("Upgrade: websocket\r\nConnection: keep-alive\r\nConnection: upgrade\r\n")
            << true;
        QTest::newRow("Upgrade list")
            << QByteArray("Upgrade: foo, websocket\r\nConnection: upgrade\r\n") << true;
        QTest::newRow("plain GET") << QByteArray() << false;
        QTest::newRow("no Connection") << QByteArray("Upgrade: websocket\r\n") << false;
        QTest::newRow("no Upgrade") << QByteArray("Connection: Upgrade\r\n") << false;
        QTest::newRow("Connection keep-alive only")
            << QByteArray("Upgrade: websocket\r\nConnection: keep-alive\r\n") << false;
        QTest::newRow("other protocol")
            << QByteArray("Upgrade: h2c\r\nConnection: Upgrade\r\n") << false;
        QTest::newRow("token prefix is not the token")
            << QByteArray("Upgrade: websockets\r\nConnection: upgraded\r\n") << false;
    }

    void webSocketUpgrade()
    {
        QFETCH(QByteArray, headers);
        const HttpParseResult result = parseHttpRequest(get("/chat-server", headers), kMax);
        QCOMPARE(result.status, Status::Complete);
        QTEST(result.request.isWebSocketUpgrade(), "upgrade");
    }

    void percentDecode_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("decoded");
        QTest::newRow("plain") << QByteArray("/a/b.js") << true << QByteArray("/a/b.js");
        QTest::newRow("empty") << QByteArray() << true << QByteArray();
        QTest::newRow("escapes") << QByteArray("/%2F%2e%7e%25") << true << QByteArray("//.~%");
        QTest::newRow("high byte") << QByteArray("/%ff") << true << QByteArray("/\xff");
        QTest::newRow("plus is literal") << QByteArray("/a+b") << true << QByteArray("/a+b");
        QTest::newRow("trailing percent") << QByteArray("/a%") << false << QByteArray();
        QTest::newRow("short escape at end") << QByteArray("/a%2") << false << QByteArray();
        QTest::newRow("NUL") << QByteArray("/%00") << false << QByteArray();
        QTest::newRow("unit separator") << QByteArray("/%1f") << false << QByteArray();
    }

    void percentDecode()
    {
        QFETCH(QByteArray, encoded);
        QByteArray decoded("untouched");
        const bool ok = percentDecodePath(encoded, &decoded);
        QTEST(ok, "ok");
        if (ok)
            QTEST(decoded, "decoded");
        else
            QCOMPARE(decoded, QByteArray("untouched"));
    }
};

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
