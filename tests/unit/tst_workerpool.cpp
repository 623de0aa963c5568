// WorkerPool with two worker threads behind a plain TCP listener standing in for the HTTP
// listener: upgraded sockets are spread over the workers, each client's session speaks the
// protocol from its worker, clients on different workers share a chat through the node's
// rooms, the node's registry shows them (stand-ins), and shutdown drains both workers.

#include "server/admin/servermetrics.h"
#include "server/net/earlybytes.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/roomdirectory.h"
#include "server/workers/workerpool.h"
#include "shared/clientrecordencoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace Qt::StringLiterals;
using flack::server::admin::ServerMetrics;
using flack::server::net::EarlyBytes;
using flack::server::rooms::RoomDirectory;
using flack::server::workers::WorkerPool;
namespace protocol = flack::protocol;

namespace {

constexpr int kDeadlineMs = 10000;

// A websocket client and the records it received, by record name.
struct Client
{
    QWebSocket socket;
    QList<QJsonObject> records;
    Client()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &text) {
                             records.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
    }
    bool got(const QString &record) const
    {
        return std::any_of(records.begin(), records.end(), [&](const QJsonObject &r) {
            return r.value(u"record"_s).toString() == record;
        });
    }
    void send(const QByteArray &json) { socket.sendTextMessage(QString::fromUtf8(json)); }
};

// Hands each connection to the pool once its upgrade request is complete, as the HTTP
// listener does.
class Listener : public QObject
{
public:
    explicit Listener(WorkerPool *pool) : m_pool(pool)
    {
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
                socket->setParent(nullptr);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { check(socket); });
            }
        });
        m_tcp.listen(QHostAddress::LocalHost);
    }
    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1/chat-server"_s.arg(m_tcp.serverPort())); }

private:
    void check(QTcpSocket *socket)
    {
        const qsizetype end = socket->peek(socket->bytesAvailable()).indexOf("\r\n\r\n");
        if (end < 0)
            return;
        disconnect(socket, nullptr, this, nullptr);
        EarlyBytes::hold(socket, end + 4);
        m_pool->accept(socket);
    }

    WorkerPool *m_pool;
    QTcpServer m_tcp;
};

} // namespace

class TestWorkerPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientsOnTwoWorkersShareAChat()
    {
        RoomDirectory node;
        node.connections().setNode(u"n1"_s, 5);
        node.connections().setIdSeries(0, 3);
        ServerMetrics metrics;
        node.setMetrics(&metrics);
        flack::server::net::ChatEndpointSettings settings;
        auto pool =
            std::make_unique<WorkerPool>(2, settings, &node, &metrics, [] { return nullptr; });
        pool->start(u"n1"_s, 5);
        Listener listener(pool.get());

        Client ann;
        Client bo;
        for (Client *client : {&ann, &bo}) {
            QSignalSpy connected(&client->socket, &QWebSocket::connected);
            client->socket.open(listener.url());
            QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), kDeadlineMs);
        }
        // One each: the pool gives a newcomer the worker with fewer connections.
        QCOMPARE(pool->connectionCount(), 2);
        ann.send(protocol::encodeClientHello(u"1.0"));
        ann.send(protocol::encodeAuthenticate(u"Ann"));
        bo.send(protocol::encodeClientHello(u"1.0"));
        bo.send(protocol::encodeAuthenticate(u"Bo"));
        QTRY_VERIFY_WITH_TIMEOUT(ann.got(u"authenticated"_s) && bo.got(u"authenticated"_s),
                                 kDeadlineMs);
        QTRY_COMPARE_WITH_TIMEOUT(node.connections().count(), 2, kDeadlineMs);
        ann.send(protocol::encodeJoinChat(u"lobby"));
        QTRY_VERIFY_WITH_TIMEOUT(ann.got(u"chat_state"_s), kDeadlineMs);
        bo.send(protocol::encodeJoinChat(u"lobby"));
        QTRY_VERIFY_WITH_TIMEOUT(bo.got(u"chat_state"_s), kDeadlineMs);
        bo.send(protocol::encodeClientChatMessage(u"lobby", u"hello from the other thread"));
        QTRY_VERIFY_WITH_TIMEOUT(ann.got(u"chat_message"_s), kDeadlineMs);
        QCOMPARE(ann.records.last().value(u"message"_s).toString(),
                 u"hello from the other thread"_s);
        QCOMPARE(node.findReplica(u"lobby"_s)->memberCount(), 2);
        // The workers' counters are the node's.
        QTRY_VERIFY_WITH_TIMEOUT(metrics.snapshot().messagesIn == 1, kDeadlineMs);
        QCOMPARE(metrics.snapshot().connectionsOpen, 2);

        QSignalSpy drained(pool.get(), &WorkerPool::drained);
        QSignalSpy annClosed(&ann.socket, &QWebSocket::disconnected);
        pool->shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(!drained.isEmpty(), kDeadlineMs);
        QTRY_VERIFY_WITH_TIMEOUT(!annClosed.isEmpty(), kDeadlineMs);
        QCOMPARE(int(ann.socket.closeCode()), 1001);
        pool.reset();
        QCOMPARE(node.connections().count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkerPool)
#include "tst_workerpool.moc"
