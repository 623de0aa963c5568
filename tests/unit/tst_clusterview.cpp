// ClusterView: composing the admin view from the nodes' reports (unreachable nodes keep their
// last figures, a chat claimed twice appears once, missing links are drawn as down) and the
// update between two views (changed, added and removed chats and users, nothing else).

#include "server/admin/clusterview.h"
#include "shared/adminrecord.h"

#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::admin::ClusterView;
using flack::server::admin::NodeReport;
using namespace flack::protocol;

namespace {

NodeReport report(const QString &node, const QStringList &chats, const QStringList &users,
                  const QStringList &links = {})
{
    NodeReport r;
    r.node = node;
    r.time = u"2026-12-01T21:00:00Z"_s;
    NodeInfo info;
    info.name = node;
    info.incarnation = 1;
    info.address = node + u":80"_s;
    info.version = u"0.1.0"_s;
    for (const QString &link : links)
        info.links.append({link, LinkState::Up, 1});
    r.nodes.append(info);
    for (const QString &chat : chats)
        r.chats.append({chat, node, 1, 0, 1});
    for (const QString &user : users)
        r.users.append({node + u"/1/"_s + user,
                        user + u"-id"_s,
                        user,
                        node,
                        u"127.0.0.1:1"_s,
                        u"2026-12-01T20:00:00Z"_s,
                        {},
                        0});
    return r;
}

} // namespace

class TestClusterView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void composeMergesReportsAndMarksTheUnreachable()
    {
        const ClusterView view =
            ClusterView::compose(u"a"_s, u"2026-12-01T21:00:01Z"_s,
                                 {report(u"a"_s, {u"x"_s, u"both"_s}, {u"ann"_s}, {u"b"_s}),
                                  report(u"b"_s, {u"both"_s, u"y"_s}, {u"bo"_s}, {u"a"_s}),
                                  report(u"c"_s, {u"z"_s}, {u"cy"_s})},
                                 {u"c"_s});
        QCOMPARE(view.nodes.keys(), QStringList({u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(view.nodes[u"c"_s].status, NodeStatus::Unreachable);
        QCOMPARE(view.nodes[u"a"_s].status, NodeStatus::Up);
        QCOMPARE(view.unreachable, QStringList({u"c"_s}));
        // The unreachable node's last chats and users stay.
        QVERIFY(view.chats.contains(u"z"_s));
        QVERIFY(view.users.contains(u"c/1/cy"_s));
        // Claimed by two nodes during a re-homing: listed once, the first report's.
        QCOMPARE(view.chats.size(), 4);
        QCOMPARE(view.chats[u"both"_s].owner, u"a"_s);
        // Every pair is drawn: links nobody reported are down.
        const QList<LinkInfo> &aLinks = view.nodes[u"a"_s].links;
        QCOMPARE(aLinks.size(), 2);
        QCOMPARE(aLinks[0].node, u"b"_s);
        QCOMPARE(aLinks[0].state, LinkState::Up);
        QCOMPARE(aLinks[1].node, u"c"_s);
        QCOMPARE(aLinks[1].state, LinkState::Down);
        // What it encodes is a valid snapshot by the strict decoder.
        const auto decoded = decodeAdminServerRecord(encodeClusterSnapshot(view.snapshot()));
        QVERIFY2(decoded.ok, qPrintable(decoded.violation));
    }

    void updateListsOnlyWhatChanged()
    {
        const ClusterView before =
            ClusterView::compose(u"a"_s, u"2026-12-01T21:00:01Z"_s,
                                 {report(u"a"_s, {u"x"_s, u"gone"_s}, {u"ann"_s, u"old"_s})}, {});
        NodeReport next = report(u"a"_s, {u"x"_s, u"new"_s}, {u"ann"_s, u"fresh"_s});
        next.chats[0].members = 5; // x changed
        const ClusterView after =
            ClusterView::compose(u"a"_s, u"2026-12-01T21:00:02Z"_s, {next}, {});
        const ClusterUpdate update = after.updateSince(before);
        QStringList changedChats;
        for (const ChatInfo &chat : update.chatsChanged)
            changedChats.append(chat.name);
        QCOMPARE(changedChats, QStringList({u"new"_s, u"x"_s}));
        QCOMPARE(update.chatsRemoved, QStringList({u"gone"_s}));
        QCOMPARE(update.usersChanged.size(), 1);
        QCOMPARE(update.usersChanged[0].userName, u"fresh"_s);
        QCOMPARE(update.usersRemoved, QStringList({u"a/1/old"_s}));
        QCOMPARE(update.nodes.size(), 1); // nodes always in full
        QVERIFY(after.updateSince(after).chatsChanged.isEmpty());
        QVERIFY(after.updateSince(after).usersRemoved.isEmpty());
        const auto decoded = decodeAdminServerRecord(encodeClusterUpdate(update));
        QVERIFY2(decoded.ok, qPrintable(decoded.violation));
    }
};

QTEST_GUILESS_MAIN(TestClusterView)
#include "tst_clusterview.moc"
