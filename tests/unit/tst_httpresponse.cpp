// Every HTTP answer of the one-port listener is built here, so the exact bytes are pinned:
// status line and reason, the fixed headers (Content-Length also for HEAD, Connection: close,
// nosniff), extras in order, no body for HEAD, and no response splitting through a header.

#include "server/net/httpresponse.h"

#include <QTest>

using namespace flack::server::net;

Q_DECLARE_METATYPE(flack::server::net::HttpHeaderList)

namespace {

// Splits a response into its header lines (without CRLF) and its body.
void splitResponse(const QByteArray &response, QList<QByteArray> *lines, QByteArray *body)
{
    const qsizetype end = response.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    *lines = response.first(end).split('\n');
    for (QByteArray &line : *lines) {
        QVERIFY(line.endsWith('\r') || &line == &lines->last());
        if (line.endsWith('\r'))
            line.chop(1);
    }
    *body = response.sliced(end + 4);
}

} // namespace

class TestHttpResponse : public QObject
{
    Q_OBJECT

private slots:
    void response_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("head");
        QTest::addColumn<HttpHeaderList>("extras");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("200 GET") << 200 << QByteArray("text/html; charset=utf-8")
                                 << QByteArray("<h1>hi</h1>") << false << HttpHeaderList{}
                                 << QByteArray("HTTP/1.1 200 OK\r\n"
                                               "Content-Type: text/html; charset=utf-8\r\n"
                                               "Content-Length: 11\r\n"
                                               "Connection: close\r\n"
                                               "X-Content-Type-Options: nosniff\r\n"
                                               "\r\n"
                                               "<h1>hi</h1>");
        QTest::newRow("200 HEAD keeps the length, drops the body")
            << 200 << QByteArray("text/css; charset=utf-8") << QByteArray("body{}") << true
            << HttpHeaderList{}
            << QByteArray("HTTP/1.1 200 OK\r\n"
                          "Content-Type: text/css; charset=utf-8\r\n"
                          "Content-Length: 6\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "\r\n");
        QTest::newRow("no content type, empty body")
            << 404 << QByteArray() << QByteArray() << false << HttpHeaderList{}
            << QByteArray("HTTP/1.1 404 Not Found\r\n"
                          "Content-Length: 0\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "\r\n");
        QTest::newRow("extras in order after the fixed headers")
            << 405 << QByteArray("text/plain") << QByteArray("no") << false
            << HttpHeaderList{{"Allow", "GET, HEAD"}, {"Cache-Control", "no-cache"}}
            << QByteArray("HTTP/1.1 405 Method Not Allowed\r\n"
                          "Content-Type: text/plain\r\n"
                          "Content-Length: 2\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Allow: GET, HEAD\r\n"
                          "Cache-Control: no-cache\r\n"
                          "\r\n"
                          "no");
        QTest::newRow("unsafe extras are left out")
            << 200 << QByteArray() << QByteArray("x") << false
            << HttpHeaderList{{"X-Split", "a\r\nSet-Cookie: evil"},
                              {"X-Lf", "a\nb"},
                              {QByteArray("X-Nul"), QByteArray("a\0b", 3)},
                              {"Bad Name", "v"},
                              {"Bad:Name", "v"},
                              {"", "v"},
                              {"X-Ok", "fine"}}
            << QByteArray("HTTP/1.1 200 OK\r\n"
                          "Content-Length: 1\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "X-Ok: fine\r\n"
                          "\r\n"
                          "x");
        QTest::newRow("unsafe content type is left out")
            << 200 << QByteArray("text/html\r\nSet-Cookie: evil") << QByteArray() << false
            << HttpHeaderList{}
            << QByteArray("HTTP/1.1 200 OK\r\n"
                          "Content-Length: 0\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "\r\n");
        QTest::newRow("status without a known reason")
            << 299 << QByteArray() << QByteArray() << true << HttpHeaderList{}
            << QByteArray("HTTP/1.1 299 \r\n"
                          "Content-Length: 0\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "\r\n");
        QTest::newRow("binary body with NUL and CRLF")
            << 200 << QByteArray("application/octet-stream") << QByteArray("\0\r\n\r\n\xff", 6)
            << false << HttpHeaderList{}
            << QByteArray("HTTP/1.1 200 OK\r\n"
                          "Content-Type: application/octet-stream\r\n"
                          "Content-Length: 6\r\n"
                          "Connection: close\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "\r\n") +
                   QByteArray("\0\r\n\r\n\xff", 6);
    }

    void response()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(bool, head);
        QFETCH(HttpHeaderList, extras);
        QTEST(buildHttpResponse(status, contentType, body, head, extras), "expected");
    }

    // A GET handler's HttpResponse gives the very same bytes, for every row above.
    void responseFromStruct_data() { response_data(); }
    void responseFromStruct()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(bool, head);
        QFETCH(HttpHeaderList, extras);
        QTEST(buildHttpResponse(HttpResponse{status, contentType, body, extras}, head), "expected");
    }

    void largeBodyLength()
    {
        const QByteArray body(1 << 20, 'z');
        const QByteArray get = buildHttpResponse(200, "text/plain", body, false);
        QVERIFY(get.contains("\r\nContent-Length: 1048576\r\n"));
        QVERIFY(get.endsWith(body));
        const QByteArray head = buildHttpResponse(200, "text/plain", body, true);
        QVERIFY(head.contains("\r\nContent-Length: 1048576\r\n"));
        QVERIFY(head.endsWith("\r\n\r\n"));
        QCOMPARE(head.size(), get.size() - body.size());
    }

    void reasonPhrase_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("101") << 101 << QByteArray("Switching Protocols");
        QTest::newRow("200") << 200 << QByteArray("OK");
        QTest::newRow("400") << 400 << QByteArray("Bad Request");
        QTest::newRow("403") << 403 << QByteArray("Forbidden");
        QTest::newRow("404") << 404 << QByteArray("Not Found");
        QTest::newRow("405") << 405 << QByteArray("Method Not Allowed");
        QTest::newRow("408") << 408 << QByteArray("Request Timeout");
        QTest::newRow("413") << 413 << QByteArray("Content Too Large");
        QTest::newRow("431") << 431 << QByteArray("Request Header Fields Too Large");
        QTest::newRow("500") << 500 << QByteArray("Internal Server Error");
        QTest::newRow("503") << 503 << QByteArray("Service Unavailable");
        QTest::newRow("505") << 505 << QByteArray("HTTP Version Not Supported");
        QTest::newRow("unknown") << 299 << QByteArray();
        QTest::newRow("nonsense") << -1 << QByteArray();
    }

    void reasonPhrase()
    {
        QFETCH(int, status);
        QTEST(httpReasonPhrase(status).toByteArray(), "reason");
    }

    void error_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("head");
        QTest::addColumn<QByteArray>("body");
        for (const int status : {400, 403, 404, 405, 408, 413, 431, 500, 503}) {
            const QByteArray text =
                QByteArray::number(status) + ' ' + httpReasonPhrase(status).toByteArray() + '\n';
            for (const bool head : {false, true}) {
                QTest::addRow("%d %s", status, head ? "HEAD" : "GET") << status << head << text;
            }
        }
    }

    void error()
    {
        QFETCH(int, status);
        QFETCH(bool, head);
        QFETCH(QByteArray, body);
        const QByteArray response = buildHttpError(status, head);
        QList<QByteArray> lines;
        QByteArray actualBody;
        splitResponse(response, &lines, &actualBody);
        QCOMPARE(lines.value(0), "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                                     httpReasonPhrase(status).toByteArray());
        QVERIFY(lines.contains("Content-Type: text/plain; charset=utf-8"));
        QVERIFY(lines.contains("Content-Length: " + QByteArray::number(body.size())));
        QVERIFY(lines.contains("Connection: close"));
        QVERIFY(lines.contains("X-Content-Type-Options: nosniff"));
        QCOMPARE(lines.contains("Allow: GET, HEAD"), status == 405);
        QCOMPARE(actualBody, head ? QByteArray() : body);
    }

    void allowHeader()
    {
        const HttpHeaderList allow = allowHeaderForMethodNotAllowed();
        QCOMPARE(allow.size(), 1);
        QCOMPARE(allow.first().first, QByteArray("Allow"));
        QCOMPARE(allow.first().second, QByteArray("GET, HEAD"));
    }
};

QTEST_APPLESS_MAIN(TestHttpResponse)
#include "tst_httpresponse.moc"
