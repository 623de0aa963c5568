// The one port's route table: websocket endpoints and GET handlers registered by path, exact
// lookup of decoded paths, duplicates and bad registrations refused (the first route stays),
// handlers invoked on every call, and the connection count every endpoint adds to the budget.

#include "server/net/httproutes.h"
#include "server/net/websocketendpoint.h"

#include <QTcpSocket>
#include <QTest>

using namespace flack::server::net;

namespace {

// Holds as many connections as a test says; accept() only remembers what it was given.
class FakeEndpoint final : public WebSocketEndpoint
{
public:
    void accept(QTcpSocket *socket) override { accepted.append(socket); }
    qsizetype connectionCount() const override { return connections; }

    qsizetype connections = 0;
    QList<QTcpSocket *> accepted;
};

HttpRoutes::GetHandler textHandler(const QByteArray &body)
{
    return [body] { return HttpResponse{200, "text/plain", body, {}}; };
}

enum class Kind { WebSocket, Get };

} // namespace

Q_DECLARE_METATYPE(Kind)

class TestHttpRoutes : public QObject
{
    Q_OBJECT

private slots:
    void emptyTableFindsNothing()
    {
        const HttpRoutes routes;
        QCOMPARE(routes.find("/"), nullptr);
        QCOMPARE(routes.find("/healthz"), nullptr);
        QCOMPARE(routes.find(QByteArray()), nullptr);
        QCOMPARE(routes.endpointConnectionCount(), 0);
    }

    void lookupIsExact_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("chat");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<bool>("health");
        QTest::newRow("chat") << QByteArray("/chat-server") << true << false << false;
        QTest::newRow("admin") << QByteArray("/admin") << false << true << false;
        QTest::newRow("healthz") << QByteArray("/healthz") << false << false << true;
        QTest::newRow("trailing slash") << QByteArray("/chat-server/") << false << false << false;
        QTest::newRow("below") << QByteArray("/chat-server/x") << false << false << false;
        QTest::newRow("prefix") << QByteArray("/chat") << false << false << false;
        QTest::newRow("case differs") << QByteArray("/Chat-Server") << false << false << false;
        QTest::newRow("query is no part of a path")
            << QByteArray("/healthz?x=1") << false << false << false;
        QTest::newRow("root") << QByteArray("/") << false << false << false;
        QTest::newRow("empty") << QByteArray() << false << false << false;
        QTest::newRow("no slash") << QByteArray("healthz") << false << false << false;
    }

    void lookupIsExact()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, chat);
        QFETCH(bool, admin);
        QFETCH(bool, health);
        FakeEndpoint chatEndpoint;
        FakeEndpoint adminEndpoint;
        HttpRoutes routes;
        QVERIFY(routes.addWebSocketEndpoint("/chat-server", &chatEndpoint));
        QVERIFY(routes.addWebSocketEndpoint("/admin", &adminEndpoint));
        QVERIFY(routes.addGetHandler("/healthz", textHandler("ok\n")));

        const HttpRoutes::Route *route = routes.find(path);
        QCOMPARE(route != nullptr, chat || admin || health);
        if (!route)
            return;
        // Exactly one of the two is set.
        QCOMPARE(bool(route->getHandler), health);
        QCOMPARE(route->webSocketEndpoint, chat ? &chatEndpoint : admin ? &adminEndpoint : nullptr);
    }

    void getHandlerIsInvokedOnEveryCall()
    {
        int calls = 0;
        HttpRoutes routes;
        QVERIFY(routes.addGetHandler("/metrics", [&calls] {
            ++calls;
            return HttpResponse{503,
                                "text/plain; charset=utf-8",
                                QByteArray::number(calls),
                                {{"Retry-After", "5"}}};
        }));
        QCOMPARE(calls, 0); // registering does not call it
        const HttpRoutes::Route *route = routes.find("/metrics");
        QVERIFY(route && route->getHandler);
        QCOMPARE(route->webSocketEndpoint, nullptr);
        const HttpResponse first = route->getHandler();
        QCOMPARE(first.status, 503);
        QCOMPARE(first.contentType, QByteArray("text/plain; charset=utf-8"));
        QCOMPARE(first.body, QByteArray("1"));
        QCOMPARE(first.extraHeaders.size(), 1);
        QCOMPARE(first.extraHeaders.first().first, QByteArray("Retry-After"));
        // Not cached: each request sees the state of its moment.
        QCOMPARE(route->getHandler().body, QByteArray("2"));
        QCOMPARE(calls, 2);
    }

    void duplicatesAreRefused_data()
    {
        QTest::addColumn<Kind>("first");
        QTest::addColumn<Kind>("second");
        QTest::newRow("endpoint, endpoint") << Kind::WebSocket << Kind::WebSocket;
        QTest::newRow("endpoint, handler") << Kind::WebSocket << Kind::Get;
        QTest::newRow("handler, endpoint") << Kind::Get << Kind::WebSocket;
        QTest::newRow("handler, handler") << Kind::Get << Kind::Get;
    }

    void duplicatesAreRefused()
    {
        QFETCH(Kind, first);
        QFETCH(Kind, second);
        FakeEndpoint firstEndpoint;
        FakeEndpoint secondEndpoint;
        firstEndpoint.connections = 1;
        secondEndpoint.connections = 10;
        HttpRoutes routes;
        const auto add = [&routes](Kind kind, FakeEndpoint *endpoint, const QByteArray &body) {
            return kind == Kind::WebSocket ? routes.addWebSocketEndpoint("/x", endpoint)
                                           : routes.addGetHandler("/x", textHandler(body));
        };
        QVERIFY(add(first, &firstEndpoint, "first"));
        QVERIFY(!add(second, &secondEndpoint, "second"));

        // The first route is untouched, and the refused endpoint is not part of the budget.
        const HttpRoutes::Route *route = routes.find("/x");
        QVERIFY(route);
        if (first == Kind::WebSocket) {
            QCOMPARE(route->webSocketEndpoint, &firstEndpoint);
            QVERIFY(!route->getHandler);
        } else {
            QCOMPARE(route->webSocketEndpoint, nullptr);
            QCOMPARE(route->getHandler().body, QByteArray("first"));
        }
        QCOMPARE(routes.endpointConnectionCount(), first == Kind::WebSocket ? 1 : 0);
    }

    void badRegistrationsAreRefused()
    {
        FakeEndpoint endpoint;
        HttpRoutes routes;
        QVERIFY(!routes.addWebSocketEndpoint("/ws", nullptr));
        QVERIFY(!routes.addGetHandler("/get", HttpRoutes::GetHandler()));
        QVERIFY(!routes.addWebSocketEndpoint(QByteArray(), &endpoint));
        QVERIFY(!routes.addWebSocketEndpoint("chat-server", &endpoint));
        QVERIFY(!routes.addGetHandler(QByteArray(), textHandler("x")));
        QVERIFY(!routes.addGetHandler("healthz", textHandler("x")));
        QCOMPARE(routes.find("/ws"), nullptr);
        QCOMPARE(routes.find("/get"), nullptr);
        QCOMPARE(routes.find("chat-server"), nullptr);
        endpoint.connections = 3;
        QCOMPARE(routes.endpointConnectionCount(), 0);
        // A refused path is still free for a valid registration.
        QVERIFY(routes.addWebSocketEndpoint("/ws", &endpoint));
        QCOMPARE(routes.endpointConnectionCount(), 3);
    }

    void connectionCountSumsEveryEndpoint()
    {
        FakeEndpoint chat;
        FakeEndpoint admin;
        HttpRoutes routes;
        QVERIFY(routes.addWebSocketEndpoint("/chat-server", &chat));
        QVERIFY(routes.addGetHandler("/healthz", textHandler("ok\n")));
        QVERIFY(routes.addWebSocketEndpoint("/admin", &admin));
        QCOMPARE(routes.endpointConnectionCount(), 0);
        chat.connections = 2;
        admin.connections = 3;
        // Read live, not at registration.
        QCOMPARE(routes.endpointConnectionCount(), 5);
        chat.connections = 0;
        QCOMPARE(routes.endpointConnectionCount(), 3);
    }

    void endpointOnTwoPathsIsCountedOnce()
    {
        FakeEndpoint chat;
        chat.connections = 4;
        HttpRoutes routes;
        QVERIFY(routes.addWebSocketEndpoint("/chat-server", &chat));
        QVERIFY(routes.addWebSocketEndpoint("/chat", &chat));
        QCOMPARE(routes.find("/chat")->webSocketEndpoint, &chat);
        QCOMPARE(routes.find("/chat-server")->webSocketEndpoint, &chat);
        QCOMPARE(routes.endpointConnectionCount(), 4);
    }

    void movedTableKeepsItsRoutes()
    {
        // The listener takes its routes by value.
        FakeEndpoint chat;
        chat.connections = 1;
        HttpRoutes built;
        QVERIFY(built.addWebSocketEndpoint("/chat-server", &chat));
        QVERIFY(built.addGetHandler("/healthz", textHandler("ok\n")));
        const HttpRoutes routes = std::move(built);
        QCOMPARE(routes.find("/chat-server")->webSocketEndpoint, &chat);
        QCOMPARE(routes.find("/healthz")->getHandler().body, QByteArray("ok\n"));
        QCOMPARE(routes.endpointConnectionCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHttpRoutes)
#include "tst_httproutes.moc"
