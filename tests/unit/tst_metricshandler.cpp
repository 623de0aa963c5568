// MetricsHandler, the GET /metrics handler: status and content type, the snapshot and the
// callbacks read at every scrape, and peers that went down kept at 0 rather than dropped.

#include "server/admin/metricshandler.h"
#include "server/admin/servermetrics.h"

#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::admin::MetricsHandler;
using flack::server::admin::ServerMetrics;

class TestMetricsHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersPrometheusText()
    {
        ServerMetrics metrics;
        MetricsHandler handler(&metrics, u"0.1.0"_s, {}, {});
        const auto response = handler.respond();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(response.body.startsWith("# HELP flack_build_info "));
        QVERIFY(response.body.contains("\nflack_build_info{version=\"0.1.0\",node=\"\"} 1\n"));
        QVERIFY(response.extraHeaders.isEmpty());
    }

    void readsTheCountersAndTheNodeAtEachScrape()
    {
        ServerMetrics metrics;
        QString node = u"local"_s;
        MetricsHandler handler(&metrics, u"0.1.0"_s, [&node] { return node; }, {});
        QVERIFY(handler.respond().body.contains("\nflack_messages_in_total 0\n"));
        metrics.messageReceived();
        metrics.protocolErrorSent(flack::protocol::ErrorCode::UnexpectedFrameType);
        node = u"n1"_s;
        const QByteArray body = handler.respond().body;
        QVERIFY(body.contains("\nflack_messages_in_total 1\n"));
        QVERIFY(body.contains("\nflack_protocol_errors_total{code=\"CHAT-003\"} 1\n"));
        QVERIFY(body.contains("node=\"n1\""));
    }

    void peersThatWentDownReadZero()
    {
        ServerMetrics metrics;
        QList<MetricsHandler::UpLink> up{{u"n3"_s, 2}, {u"n2"_s, -1}};
        MetricsHandler handler(&metrics, u"0.1.0"_s, {}, [&up] { return up; });

        auto scrape = handler.scrape();
        QCOMPARE(scrape.peers.size(), 2);
        QCOMPARE(scrape.peers[0].peer, u"n2"_s); // sorted by name
        QVERIFY(scrape.peers[0].up);
        QCOMPARE(scrape.peers[0].roundTripMs, -1);
        QCOMPARE(scrape.peers[1].peer, u"n3"_s);
        QCOMPARE(scrape.peers[1].roundTripMs, 2);

        up = {{u"n2"_s, 4}};
        scrape = handler.scrape();
        QCOMPARE(scrape.peers.size(), 2);
        QCOMPARE(scrape.peers[1].peer, u"n3"_s);
        QVERIFY(!scrape.peers[1].up);
        const QByteArray body = handler.respond().body;
        QVERIFY(body.contains("\nflack_peer_link_up{peer=\"n2\"} 1\n"));
        QVERIFY(body.contains("\nflack_peer_link_up{peer=\"n3\"} 0\n"));
        QVERIFY(body.contains("\nflack_peer_link_rtt_seconds{peer=\"n2\"} 0.004\n"));
        QVERIFY(!body.contains("flack_peer_link_rtt_seconds{peer=\"n3\"}"));

        // Back up: listed once.
        up = {{u"n3"_s, 1}, {u"n2"_s, 1}};
        scrape = handler.scrape();
        QCOMPARE(scrape.peers.size(), 2);
        QVERIFY(scrape.peers[0].up && scrape.peers[1].up);
    }

    void rememberedPeersAreBounded()
    {
        ServerMetrics metrics;
        int round = 0;
        MetricsHandler handler(&metrics, u"0.1.0"_s, {}, [&round] {
            QList<MetricsHandler::UpLink> up;
            for (int i = 0; i < 100; ++i)
                up.append({u"r%1-%2"_s.arg(round).arg(i), 1});
            return up;
        });
        for (round = 0; round < 10; ++round)
            handler.scrape();
        // The 100 up now, plus what the bound let it remember of the earlier ones.
        QVERIFY(handler.scrape().peers.size() <= 256 + 100);
    }
};

QTEST_APPLESS_MAIN(TestMetricsHandler)
#include "tst_metricshandler.moc"
