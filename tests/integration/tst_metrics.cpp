// GET /metrics on the real flack-server: chat traffic and protocol errors move the counters a
// scrape shows, HEAD has the headers only, promtool accepts the page, and in a two-node cluster
// each node reports its peer link (up with a round trip, then 0 once the peer is killed) and its
// share of the chats.

#include "shared/clientrecordencoder.h"
#include "tests/support/localcluster.h"
#include "tests/support/protocolchecks.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace flack::test;
using namespace Qt::StringLiterals;
namespace protocol = flack::protocol;

namespace {

QByteArray request(const char *method)
{
    return QByteArray(method) + " /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

// Samples by their full name with labels, as printed: "flack_peer_link_up{peer=\"n2\"}".
QHash<QByteArray, QByteArray> samples(const QByteArray &page)
{
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &line : page.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        values.insert(line.left(space), line.mid(space + 1));
    }
    return values;
}

struct Scrape
{
    RawHttpResponse response;
    QHash<QByteArray, QByteArray> values;
    double value(const QByteArray &name) const
    {
        return values.contains(name) ? values.value(name).toDouble() : -1;
    }
};

Scrape scrape(quint16 port)
{
    Scrape s;
    s.response = rawHttp(port, request("GET"));
    s.values = samples(s.response.body);
    return s;
}

// Scrapes until the check holds (the server updates some figures a moment after the client
// sees the effect, e.g. a connection's gauge when its session is deleted), bounded.
bool scrapeUntil(quint16 port, const std::function<bool(const Scrape &)> &check, Scrape *last,
                 int timeoutMs = 10000)
{
    return QTest::qWaitFor(
        [&] {
            *last = scrape(port);
            return check(*last);
        },
        timeoutMs);
}

// Empty when promtool accepts the page; otherwise why not.
QString promtoolProblem(const QByteArray &page)
{
    const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
    if (promtool.isEmpty())
        return u"promtool not found in PATH: install Debian's 'prometheus' package "
               "(tools/dev/install-deps.sh does) to check the /metrics format"_s;
    QProcess process;
    process.start(promtool, {u"check"_s, u"metrics"_s});
    if (!process.waitForStarted(10000))
        return u"cannot start %1"_s.arg(promtool);
    process.write(page);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000))
        return u"promtool did not finish"_s;
    const QString output =
        QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 ||
        !output.trimmed().isEmpty())
        return u"promtool check metrics (exit %1): %2\n--- page:\n%3"_s.arg(process.exitCode())
            .arg(output, QString::fromUtf8(page));
    return {};
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countersMoveWithTraffic()
    {
        ServerProcess server;
        QVERIFY2(server.start(), server.output().constData());

        const Scrape fresh = scrape(server.port());
        QCOMPARE(fresh.response.status, 200);
        QCOMPARE(fresh.response.header("content-type"),
                 QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QCOMPARE(fresh.value("flack_connections_accepted_total"), 0.0);
        QCOMPARE(fresh.value("flack_messages_in_total"), 0.0);
        // Alone, a node is named after its HTTP address unless --node-name says otherwise.
        const QByteArray buildInfo = "flack_build_info{version=\"" FLACK_VERSION
                                     "\",node=\"127.0.0.1:" +
                                     QByteArray::number(server.port()) + "\"}";
        QCOMPARE(fresh.value(buildInfo), 1.0);
        QVERIFY(fresh.response.body.contains("# TYPE flack_protocol_errors_total counter\n"));
        QCOMPARE(promtoolProblem(fresh.response.body), QString());

        WsTestClient ann, bo;
        QVERIFY(ann.open(server.chatUrl()));
        QVERIFY(bo.open(server.chatUrl()));
        QVERIFY(!ann.login(u"Ann"_s).isEmpty());
        QVERIFY(!bo.login(u"Bo"_s).isEmpty());
        ann.join(u"lobby"_s);
        bo.join(u"lobby"_s);
        QCOMPARE(ann.nextOf(u"joined").value(u"user_name").toString(), u"Bo"_s);
        for (int i = 0; i < 3; ++i)
            ann.sendText(protocol::encodeClientChatMessage(u"lobby", u"hello %1"_s.arg(i)));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(bo.nextOf(u"chat_message").value(u"message").toString(), u"hello %1"_s.arg(i));
            QCOMPARE(ann.nextOf(u"chat_message").value(u"message").toString(),
                     u"hello %1"_s.arg(i));
        }

        // Two protocol errors: a binary frame, and garbage after the hello.
        WsTestClient binary, garbage;
        QVERIFY(binary.open(server.chatUrl()));
        binary.sendBinary("\x01\x02");
        QCOMPARE(binary.nextOf(u"protocol_error").value(u"code").toString(), u"CHAT-003"_s);
        QVERIFY(binary.waitForDisconnected());
        QVERIFY(garbage.open(server.chatUrl()));
        garbage.sendText(protocol::encodeClientHello(u"1.0"));
        QCOMPARE(garbage.next().value(u"record").toString(), u"server_hello"_s);
        garbage.sendText("{\"record\":\"dance\"}");
        QCOMPARE(garbage.nextOf(u"protocol_error").value(u"code").toString(),
                 u"CHAT_PROTOCOL-001"_s);
        QVERIFY(garbage.waitForDisconnected());

        Scrape s;
        const bool settled = scrapeUntil(
            server.port(), [](const Scrape &s) { return s.value("flack_connections_open") == 2; },
            &s);
        QVERIFY2(settled, s.response.body.constData());
        QCOMPARE(s.value("flack_connections_accepted_total"), 4.0);
        QCOMPARE(s.value("flack_messages_in_total"), 3.0);
        QCOMPARE(s.value("flack_messages_out_total"), 6.0); // three messages, two members
        // Ann: chat_state, both joined; Bo: chat_state, his joined; six chat_messages.
        QCOMPARE(s.value("flack_deliveries_total"), 11.0);
        QCOMPARE(s.value("flack_protocol_errors_total{code=\"CHAT-003\"}"), 1.0);
        QCOMPARE(s.value("flack_protocol_errors_total{code=\"CHAT_PROTOCOL-001\"}"), 1.0);
        QCOMPARE(s.value("flack_kicks_total"), 0.0);
        QCOMPARE(s.value("flack_chat_replicas"), 1.0);
        QCOMPARE(s.value("flack_chats_owned"), 1.0);
        QVERIFY(s.value("flack_chat_received_bytes_total") > 0);
        // At least the six chat_message frames went out.
        QVERIFY(s.value("flack_chat_sent_bytes_total") >
                6 * double(protocol::encodeClientChatMessage(u"lobby", u"hello 0").size()));
        // Not clustered: no peer samples, the families still declared.
        QVERIFY(!s.response.body.contains("flack_peer_link_up{"));
        QVERIFY(s.response.body.contains("# TYPE flack_peer_link_up gauge\n"));
        QCOMPARE(promtoolProblem(s.response.body), QString());

        // HEAD: the same headers, no body.
        const RawHttpResponse head = rawHttp(server.port(), request("HEAD"));
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("content-type"),
                 QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(head.header("content-length").toLongLong() > 0);
        QVERIFY(head.body.isEmpty());

        // Leaving empties the chat: the gauges follow.
        ann.sendText(protocol::encodeClientGoodbye());
        bo.sendText(protocol::encodeClientGoodbye());
        QVERIFY(ann.waitForDisconnected());
        QVERIFY(bo.waitForDisconnected());
        const bool emptied = scrapeUntil(
            server.port(),
            [](const Scrape &s) {
                return s.value("flack_connections_open") == 0 &&
                       s.value("flack_chat_replicas") == 0 && s.value("flack_chats_owned") == 0;
            },
            &s);
        QVERIFY2(emptied, s.response.body.constData());
        QCOMPARE(server.terminate(), 0);
    }

    void clusterReportsPeerLinks()
    {
        LocalCluster cluster(1500);
        QVERIFY2(cluster.startNode(1), cluster.node(1).output().constData());
        QVERIFY2(cluster.startNode(2), cluster.node(2).output().constData());
        QVERIFY2(cluster.waitForMesh({1, 2}), cluster.node(2).output().constData());

        // A chat with a member on each node; a message from n1 reaches n2's member.
        WsTestClient ann, bo;
        QVERIFY(ann.open(cluster.node(1).chatUrl()));
        QVERIFY(bo.open(cluster.node(2).chatUrl()));
        QVERIFY(!ann.login(u"Ann"_s).isEmpty());
        QVERIFY(!bo.login(u"Bo"_s).isEmpty());
        ann.join(u"lobby"_s);
        bo.join(u"lobby"_s);
        QCOMPARE(ann.nextOf(u"joined").value(u"user_name").toString(), u"Bo"_s);
        ann.sendText(protocol::encodeClientChatMessage(u"lobby", u"across"));
        QCOMPARE(bo.nextOf(u"chat_message").value(u"message").toString(), u"across"_s);
        // Ann's echo too, before the scrape counts it: when n2 owns the chat, it comes back over
        // the link, and may come after Bo's copy.
        QCOMPARE(ann.nextOf(u"chat_message").value(u"message").toString(), u"across"_s);

        // Heartbeats bring the round trip within a few intervals.
        Scrape one, two;
        const auto linkUpWithRtt = [](const char *peer) {
            return [peer](const Scrape &s) {
                const QByteArray label = QByteArray("{peer=\"") + peer + "\"}";
                return s.value("flack_peer_link_up" + label) == 1 &&
                       s.value("flack_peer_link_rtt_seconds" + label) >= 0;
            };
        };
        QVERIFY2(scrapeUntil(cluster.node(1).port(), linkUpWithRtt("n2"), &one),
                 one.response.body.constData());
        QVERIFY2(scrapeUntil(cluster.node(2).port(), linkUpWithRtt("n1"), &two),
                 two.response.body.constData());
        QCOMPARE(one.value("flack_build_info{version=\"" FLACK_VERSION "\",node=\"n1\"}"), 1.0);
        QCOMPARE(two.value("flack_build_info{version=\"" FLACK_VERSION "\",node=\"n2\"}"), 1.0);
        QVERIFY(!one.response.body.contains("flack_peer_link_up{peer=\"n1\"}")); // not itself
        // Each node counts its own side: a replica on each, one owner between them.
        QCOMPARE(one.value("flack_chat_replicas"), 1.0);
        QCOMPARE(two.value("flack_chat_replicas"), 1.0);
        QCOMPARE(one.value("flack_chats_owned") + two.value("flack_chats_owned"), 1.0);
        QCOMPARE(one.value("flack_messages_in_total"), 1.0);
        QCOMPARE(two.value("flack_messages_in_total"), 0.0);
        QCOMPARE(one.value("flack_messages_out_total"), 1.0); // Ann's echo
        QCOMPARE(two.value("flack_messages_out_total"), 1.0); // Bo's copy
        QCOMPARE(promtoolProblem(one.response.body), QString());
        QCOMPARE(promtoolProblem(two.response.body), QString());

        // A peer that is gone stays listed, down.
        cluster.kill(2);
        const bool down = scrapeUntil(
            cluster.node(1).port(),
            [](const Scrape &s) {
                return s.value("flack_peer_link_up{peer=\"n2\"}") == 0 &&
                       s.value("flack_peer_link_rtt_seconds{peer=\"n2\"}") == -1;
            },
            &one, 20000);
        QVERIFY2(down, one.response.body.constData());
        QCOMPARE(promtoolProblem(one.response.body), QString());
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
