#include "server/admin/metricstext.h"

#include <QLocale>

namespace flack::server::admin {

namespace {

// Appends one family's HELP and TYPE lines. Every family gets both, even with no sample yet
// (no protocol error so far, no peer): scrapers then know it exists and what it means.
void family(QByteArray &out, const char *name, const char *type, const char *help)
{
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
}

void sample(QByteArray &out, const char *name, const QByteArray &labels, const QByteArray &value)
{
    out.append(name);
    if (!labels.isEmpty())
        out.append('{').append(labels).append('}');
    out.append(' ').append(value).append('\n');
}

QByteArray label(const char *name, QStringView value)
{
    return QByteArray(name).append("=\"").append(escapeLabelValue(value)).append('"');
}

QByteArray seconds(int milliseconds)
{
    // The shortest form that reads back exactly: 1 ms is "0.001", not "0.00100000000000000002".
    return QByteArray::number(milliseconds / 1000.0, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QByteArray escapeLabelValue(QStringView value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray escaped;
    escaped.reserve(utf8.size());
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            escaped.append("\\\\");
            break;
        case '"':
            escaped.append("\\\"");
            break;
        case '\n':
            escaped.append("\\n");
            break;
        default:
            escaped.append(c);
        }
    }
    return escaped;
}

QByteArray renderMetricsText(const MetricsScrape &scrape)
{
    const MetricsSnapshot &c = scrape.counters;
    QByteArray out;
    out.reserve(4096);

    family(out, "flack_build_info", "gauge",
           "Always 1; the labels name this build's version and this node.");
    sample(out, "flack_build_info",
           label("version", scrape.version) + ',' + label("node", scrape.node), "1");

    family(out, "flack_connections_open", "gauge", "Chat websocket connections open now.");
    sample(out, "flack_connections_open", {}, QByteArray::number(c.connectionsOpen));
    family(out, "flack_connections_accepted_total", "counter",
           "Chat websocket connections accepted since the server started.");
    sample(out, "flack_connections_accepted_total", {}, QByteArray::number(c.connectionsAccepted));

    family(out, "flack_messages_in_total", "counter",
           "chat_message records accepted from this node's clients.");
    sample(out, "flack_messages_in_total", {}, QByteArray::number(c.messagesIn));
    family(out, "flack_messages_out_total", "counter",
           "chat_message frames delivered to this node's members (one per recipient).");
    sample(out, "flack_messages_out_total", {}, QByteArray::number(c.messagesOut));
    family(out, "flack_deliveries_total", "counter",
           "Chat frames (joined, chat_message, left, chat_state) delivered to this node's "
           "members, one per recipient.");
    sample(out, "flack_deliveries_total", {}, QByteArray::number(c.deliveries));

    family(out, "flack_chat_received_bytes_total", "counter",
           "UTF-8 payload bytes of text frames received on chat websockets (framing excluded).");
    sample(out, "flack_chat_received_bytes_total", {}, QByteArray::number(c.bytesIn));
    family(out, "flack_chat_sent_bytes_total", "counter",
           "UTF-8 payload bytes of frames handed to chat websockets (framing excluded).");
    sample(out, "flack_chat_sent_bytes_total", {}, QByteArray::number(c.bytesOut));

    family(out, "flack_protocol_errors_total", "counter",
           "protocol_error records sent to clients, by error code.");
    for (const auto &[code, count] : c.protocolErrors)
        sample(out, "flack_protocol_errors_total", label("code", code), QByteArray::number(count));
    family(out, "flack_kicks_total", "counter", "Connections kicked by an administrator.");
    sample(out, "flack_kicks_total", {}, QByteArray::number(c.kicks));

    family(out, "flack_chat_replicas", "gauge", "Chats with members on this node.");
    sample(out, "flack_chat_replicas", {}, QByteArray::number(c.chatReplicas));
    family(out, "flack_chats_owned", "gauge",
           "Chats this node owns (roster, sequence and stamping; members on any node).");
    sample(out, "flack_chats_owned", {}, QByteArray::number(c.chatsOwned));

    family(out, "flack_peer_link_up", "gauge",
           "1 while the cluster link to the peer is up, 0 once it is down.");
    for (const PeerLinkSample &peer : scrape.peers)
        sample(out, "flack_peer_link_up", label("peer", peer.peer), peer.up ? "1" : "0");
    family(out, "flack_peer_link_rtt_seconds", "gauge",
           "Last heartbeat round trip on the cluster link to the peer (up links only).");
    for (const PeerLinkSample &peer : scrape.peers) {
        if (peer.up && peer.roundTripMs >= 0)
            sample(out, "flack_peer_link_rtt_seconds", label("peer", peer.peer),
                   seconds(peer.roundTripMs));
    }
    return out;
}

} // namespace flack::server::admin
