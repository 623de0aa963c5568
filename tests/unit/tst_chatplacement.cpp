// ChatPlacement: every node computes the same owner (whatever the order of the member list,
// in every process: pinned values), chats spread evenly, and a member joining or leaving
// moves only the chats it gains or loses.

#include "server/cluster/chatplacement.h"

#include <QHash>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using flack::server::cluster::ChatPlacement;

namespace {

constexpr int kChats = 30000;

QString chatName(int i)
{
    return u"chat-%1"_s.arg(i);
}

QStringList owners(const QStringList &nodes)
{
    QStringList result;
    result.reserve(kChats);
    for (int i = 0; i < kChats; ++i)
        result.append(ChatPlacement::ownerOf(chatName(i), nodes));
    return result;
}

} // namespace

class TestChatPlacement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyListHasNoOwner() { QVERIFY(ChatPlacement::ownerOf(u"lobby", {}).isEmpty()); }

    void singleNodeOwnsEverything()
    {
        QCOMPARE(ChatPlacement::ownerOf(u"lobby", {u"solo"_s}), u"solo"_s);
        QCOMPARE(ChatPlacement::ownerOf(u"", {u"solo"_s}), u"solo"_s);
    }

    void duplicateNamesCountOnce()
    {
        const QStringList nodes{u"a"_s, u"b"_s, u"c"_s};
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(ChatPlacement::ownerOf(chatName(i), nodes + nodes),
                     ChatPlacement::ownerOf(chatName(i), nodes));
        }
    }

    void orderOfNodesDoesNotMatter()
    {
        QStringList nodes{u"node1"_s, u"node2"_s, u"node3"_s, u"node4"_s, u"10.0.0.5:8080"_s};
        std::sort(nodes.begin(), nodes.end());
        const QStringList reference = owners(nodes);
        int permutations = 0;
        while (std::next_permutation(nodes.begin(), nodes.end()) && permutations < 20) {
            ++permutations;
            for (int i = 0; i < kChats; i += 97)
                QCOMPARE(ChatPlacement::ownerOf(chatName(i), nodes), reference.at(i));
        }
        QCOMPARE(permutations, 20);
    }

    void stableAcrossCalls()
    {
        const QStringList nodes{u"node1"_s, u"node2"_s, u"node3"_s};
        for (int i = 0; i < 1000; ++i) {
            const QString first = ChatPlacement::ownerOf(chatName(i), nodes);
            QCOMPARE(ChatPlacement::ownerOf(chatName(i), nodes), first);
            QCOMPARE(ChatPlacement::score(u"node2", chatName(i)),
                     ChatPlacement::score(u"node2", chatName(i)));
        }
    }

    void pinnedScores_data()
    {
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("chat");
        QTest::addColumn<quint64>("expected");
        // Computed from the hash as documented in chatplacement.h by a separate implementation
        // (a few lines of Python), not by this code. Every node of a cluster must agree on these:
        // if one changes, nodes of the old and the new version would disagree on owners.
        QTest::newRow("node1 lobby")
            << u"node1"_s << u"lobby"_s << Q_UINT64_C(14803041311936076724);
        QTest::newRow("node2 lobby")
            << u"node2"_s << u"lobby"_s << Q_UINT64_C(13304507347262508843);
        QTest::newRow("empty chat") << u"node1"_s << u""_s << Q_UINT64_C(9153362817786124449);
        QTest::newRow("empty node") << u""_s << u"lobby"_s << Q_UINT64_C(11797053473064526077);
        QTest::newRow("address node")
            << u"127.0.0.1:8081"_s << u"general"_s << Q_UINT64_C(628009826906311490);
        QTest::newRow("non-ASCII")
            << u"n\u0153ud"_s << u"caf\u00e9 \U0001F600"_s << Q_UINT64_C(12175410047760410066);
    }

    void pinnedScores()
    {
        QFETCH(QString, node);
        QFETCH(QString, chat);
        QFETCH(quint64, expected);
        QCOMPARE(ChatPlacement::score(node, chat), expected);
    }

    void pinnedOwners_data()
    {
        QTest::addColumn<QString>("chat");
        QTest::addColumn<QString>("owner");
        QTest::newRow("lobby") << u"lobby"_s << u"node1"_s;
        QTest::newRow("general") << u"general"_s << u"node2"_s;
        QTest::newRow("random") << u"random"_s << u"node2"_s;
        QTest::newRow("chat-0") << u"chat-0"_s << u"node1"_s;
        QTest::newRow("chat-1") << u"chat-1"_s << u"node1"_s;
    }

    void pinnedOwners()
    {
        QFETCH(QString, chat);
        QFETCH(QString, owner);
        QCOMPARE(ChatPlacement::ownerOf(chat, {u"node1"_s, u"node2"_s, u"node3"_s}), owner);
    }

    void nodeAndChatBoundaryIsUnambiguous()
    {
        // Same concatenated bytes, different split: must not score alike.
        QVERIFY(ChatPlacement::score(u"ab", u"c") != ChatPlacement::score(u"a", u"bc"));
        QVERIFY(ChatPlacement::score(u"", u"abc") != ChatPlacement::score(u"abc", u""));
    }

    void balanced()
    {
        const QStringList nodes{u"node1"_s, u"node2"_s, u"node3"_s};
        QHash<QString, int> counts;
        for (const QString &owner : owners(nodes))
            ++counts[owner];
        QCOMPARE(counts.size(), 3);
        for (const QString &node : nodes) {
            const int count = counts.value(node);
            QVERIFY2(count >= kChats / 3 * 95 / 100 && count <= kChats / 3 * 105 / 100,
                     qPrintable(u"%1 owns %2 of %3"_s.arg(node).arg(count).arg(kChats)));
        }
    }

    void addingANodeMovesOnlyChatsToIt()
    {
        const QStringList three{u"node1"_s, u"node2"_s, u"node3"_s};
        const QStringList before = owners(three);
        const QStringList after = owners(three + QStringList{u"node4"_s});
        int moved = 0;
        for (int i = 0; i < kChats; ++i) {
            if (before.at(i) == after.at(i))
                continue;
            QCOMPARE(after.at(i), u"node4"_s);
            ++moved;
        }
        // About a quarter of the chats move to the new node.
        QVERIFY2(moved >= kChats / 4 * 95 / 100 && moved <= kChats / 4 * 105 / 100,
                 qPrintable(u"%1 of %2 moved"_s.arg(moved).arg(kChats)));
    }

    void removingANodeMovesOnlyItsChats()
    {
        const QStringList three{u"node1"_s, u"node2"_s, u"node3"_s};
        const QStringList before = owners(three);
        const QStringList after = owners({u"node1"_s, u"node3"_s});
        int moved = 0;
        for (int i = 0; i < kChats; ++i) {
            if (before.at(i) == u"node2")
                ++moved;
            else
                QCOMPARE(after.at(i), before.at(i));
            QVERIFY(after.at(i) != u"node2");
        }
        QVERIFY(moved > 0);
    }
};

QTEST_GUILESS_MAIN(TestChatPlacement)
#include "tst_chatplacement.moc"
