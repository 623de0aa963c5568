// The Prometheus text rendering of /metrics: the exact page for a known scrape, label escaping,
// a HELP and a TYPE line for every family (also those without samples), and counters named
// *_total.

#include "server/admin/metricstext.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::admin::escapeLabelValue;
using flack::server::admin::MetricsScrape;
using flack::server::admin::renderMetricsText;

namespace {

MetricsScrape knownScrape()
{
    MetricsScrape scrape;
    scrape.version = u"0.1.0"_s;
    scrape.node = u"n1"_s;
    auto &c = scrape.counters;
    c.connectionsOpen = 2;
    c.connectionsAccepted = 5;
    c.messagesIn = 7;
    c.messagesOut = 14;
    c.deliveries = 30;
    c.bytesIn = 1234;
    c.bytesOut = 56789;
    c.kicks = 1;
    c.chatReplicas = 3;
    c.chatsOwned = 2;
    c.protocolErrors = {{u"CHAT_PROTOCOL-001"_s, 3}, {u"CHAT-003"_s, 1}};
    scrape.peers = {{u"n2"_s, true, 1}, {u"n3"_s, false, -1}, {u"n4"_s, true, -1}};
    return scrape;
}

// Family names declared by TYPE lines, and those with a HELP line.
QStringList declared(const QByteArray &page, const char *keyword)
{
    QStringList names;
    const QRegularExpression pattern(u"^# %1 (\\S+) "_s.arg(QLatin1StringView(keyword)),
                                     QRegularExpression::MultilineOption);
    auto matches = pattern.globalMatch(QString::fromUtf8(page));
    while (matches.hasNext())
        names.append(matches.next().captured(1));
    return names;
}

} // namespace

class TestMetricsText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactPage()
    {
        const QByteArray expected =
            R"(# HELP flack_build_info Always 1; the labels name this build's version and this node.
# TYPE flack_build_info gauge
flack_build_info{version="0.1.0",node="n1"} 1
# HELP flack_connections_open Chat websocket connections open now.
# TYPE flack_connections_open gauge
flack_connections_open 2
# HELP flack_connections_accepted_total Chat websocket connections accepted since the server started.
# TYPE flack_connections_accepted_total counter
flack_connections_accepted_total 5
# HELP flack_messages_in_total chat_message records accepted from this node's clients.
# TYPE flack_messages_in_total counter
flack_messages_in_total 7
# HELP flack_messages_out_total chat_message frames delivered to this node's members (one per recipient).
# TYPE flack_messages_out_total counter
flack_messages_out_total 14
# HELP flack_deliveries_total Chat frames (joined, chat_message, left, chat_state) delivered to this node's members, one per recipient.
# TYPE flack_deliveries_total counter
flack_deliveries_total 30
# HELP flack_chat_received_bytes_total UTF-8 payload bytes of text frames received on chat websockets (framing excluded).
# TYPE flack_chat_received_bytes_total counter
flack_chat_received_bytes_total 1234
# HELP flack_chat_sent_bytes_total UTF-8 payload bytes of frames handed to chat websockets (framing excluded).
# TYPE flack_chat_sent_bytes_total counter
flack_chat_sent_bytes_total 56789
# HELP flack_protocol_errors_total protocol_error records sent to clients, by error code.
# TYPE flack_protocol_errors_total counter
flack_protocol_errors_total{code="CHAT-003"} 1
flack_protocol_errors_total{code="CHAT_PROTOCOL-001"} 3
# HELP flack_kicks_total Connections kicked by an administrator.
# TYPE flack_kicks_total counter
flack_kicks_total 1
# HELP flack_chat_replicas Chats with members on this node.
# TYPE flack_chat_replicas gauge
flack_chat_replicas 3
# HELP flack_chats_owned Chats this node owns (roster, sequence and stamping; members on any node).
# TYPE flack_chats_owned gauge
flack_chats_owned 2
# HELP flack_peer_link_up 1 while the cluster link to the peer is up, 0 once it is down.
# TYPE flack_peer_link_up gauge
flack_peer_link_up{peer="n2"} 1
flack_peer_link_up{peer="n3"} 0
flack_peer_link_up{peer="n4"} 1
# HELP flack_peer_link_rtt_seconds Last heartbeat round trip on the cluster link to the peer (up links only).
# TYPE flack_peer_link_rtt_seconds gauge
flack_peer_link_rtt_seconds{peer="n2"} 0.001
)";
        const QByteArray page = renderMetricsText(knownScrape());
        if (page != expected) {
            // Line by line, so a failure names the first line that differs.
            const QList<QByteArray> got = page.split('\n');
            const QList<QByteArray> want = expected.split('\n');
            for (qsizetype i = 0; i < std::min(got.size(), want.size()); ++i)
                QCOMPARE(got[i], want[i]);
            QCOMPARE(got.size(), want.size());
        }
    }

    void roundTripsInSeconds_data()
    {
        QTest::addColumn<int>("milliseconds");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("zero") << 0 << QByteArray("0");
        QTest::newRow("one ms") << 1 << QByteArray("0.001");
        QTest::newRow("250 ms") << 250 << QByteArray("0.25");
        QTest::newRow("1.5 s") << 1500 << QByteArray("1.5");
        QTest::newRow("12.345 s") << 12345 << QByteArray("12.345");
    }

    void roundTripsInSeconds()
    {
        QFETCH(int, milliseconds);
        QFETCH(QByteArray, value);
        MetricsScrape scrape;
        scrape.peers = {{u"n2"_s, true, milliseconds}};
        QVERIFY2(renderMetricsText(scrape).contains("\nflack_peer_link_rtt_seconds{peer=\"n2\"} " +
                                                    value + '\n'),
                 renderMetricsText(scrape).constData());
    }

    void labelValuesAreEscaped_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("escaped");
        QTest::newRow("plain") << u"n1"_s << QByteArray("n1");
        QTest::newRow("quote") << u"a\"b"_s << QByteArray(R"(a\"b)");
        QTest::newRow("backslash") << u"a\\b"_s << QByteArray(R"(a\\b)");
        QTest::newRow("newline") << u"a\nb"_s << QByteArray(R"(a\nb)");
        QTest::newRow("all, in a row") << u"\\\"\n"_s << QByteArray(R"(\\\"\n)");
        // Only those three are escaped; the rest is UTF-8 as is (a tab, braces, non-ASCII).
        QTest::newRow("others kept") << u"{x}\t=é,"_s << QByteArray("{x}\t=\xC3\xA9,");
    }

    void labelValuesAreEscaped()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, escaped);
        QCOMPARE(escapeLabelValue(value), escaped);
        // And so they appear in the page: node and version of build_info, each peer, each code.
        MetricsScrape scrape;
        scrape.node = value;
        scrape.version = value;
        scrape.peers = {{value, true, 3}};
        scrape.counters.protocolErrors = {{value, 1}};
        const QByteArray page = renderMetricsText(scrape);
        QVERIFY(page.contains("flack_build_info{version=\"" + escaped + "\",node=\"" + escaped +
                              "\"} 1\n"));
        QVERIFY(page.contains("flack_peer_link_up{peer=\"" + escaped + "\"} 1\n"));
        QVERIFY(page.contains("flack_peer_link_rtt_seconds{peer=\"" + escaped + "\"} 0.003\n"));
        QVERIFY(page.contains("flack_protocol_errors_total{code=\"" + escaped + "\"} 1\n"));
    }

    void everyFamilyHasHelpAndType()
    {
        // An empty scrape too: families without samples are still declared.
        for (const MetricsScrape &scrape : {MetricsScrape{}, knownScrape()}) {
            const QByteArray page = renderMetricsText(scrape);
            QVERIFY(page.endsWith('\n'));
            const QStringList types = declared(page, "TYPE");
            QCOMPARE(declared(page, "HELP"), types);
            QCOMPARE(types.size(), 14);
            QCOMPARE(QSet<QString>(types.begin(), types.end()).size(), types.size());
            for (const QByteArray &line : page.split('\n')) {
                if (line.isEmpty() || line.startsWith('#'))
                    continue;
                // Every sample belongs to the family declared last before it.
                const QString name =
                    QString::fromUtf8(line.left(line.indexOf(' '))).section(u'{', 0, 0);
                QVERIFY2(types.contains(name), line.constData());
                QVERIFY2(name.startsWith(u"flack_"), line.constData());
            }
            const QRegularExpression typeLine(u"^# TYPE (\\S+) (counter|gauge)$"_s,
                                              QRegularExpression::MultilineOption);
            auto matches = typeLine.globalMatch(QString::fromUtf8(page));
            int checked = 0;
            while (matches.hasNext()) {
                const auto match = matches.next();
                // Counters, and only counters, end in _total.
                QCOMPARE(match.captured(1).endsWith(u"_total"), match.captured(2) == u"counter");
                ++checked;
            }
            QCOMPARE(checked, 14);
        }
    }

    void emptyScrapeHasNoLabelledSamples()
    {
        const QByteArray page = renderMetricsText(MetricsScrape{});
        QVERIFY(!page.contains("flack_peer_link_up{"));
        QVERIFY(!page.contains("flack_peer_link_rtt_seconds{"));
        QVERIFY(!page.contains("flack_protocol_errors_total{"));
        QVERIFY(page.contains("\nflack_connections_open 0\n"));
        QVERIFY(page.contains("\nflack_build_info{version=\"\",node=\"\"} 1\n"));
    }
};

QTEST_APPLESS_MAIN(TestMetricsText)
#include "tst_metricstext.moc"
