// ClusterRouter: several nodes in one process, each its own RoomDirectory and router, joined by
// a fake network that delivers messages in order per link (as TCP does) and can kill a node
// (everything in flight to or from it is lost). Cross-node chats, one frame per node, owner
// death with re-homing, lefts and sequences, resent messages delivered exactly once, a node
// joining takes its chats without any event, limits with the single-node error codes.

#include "server/cluster/chatplacement.h"
#include "server/cluster/clusterrouter.h"
#include "server/cluster/peertransport.h"
#include "server/rooms/chatowner.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/roomdirectory.h"
#include "tests/support/fakemember.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTest>

#include <deque>
#include <map>
#include <memory>
#include <set>

using namespace Qt::StringLiterals;
using flack::server::cluster::ChatPlacement;
using flack::server::cluster::ClusterMessageType;
using flack::server::cluster::ClusterRouter;
using flack::server::cluster::PeerTransport;
using flack::server::rooms::ChatReplica;
using flack::server::rooms::RoomDirectory;
using flack::test::FakeMember;

namespace {

struct Message
{
    QString from;
    QString to;
    quint8 type;
    QByteArray payload;
};

class FakeNetwork;

class FakeTransport : public PeerTransport
{
public:
    FakeTransport(FakeNetwork *network, QString node) : m_network(network), m_node(std::move(node))
    {
    }
    bool sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload) override;

private:
    FakeNetwork *m_network;
    QString m_node;
};

struct Node
{
    Node(FakeNetwork *network, const QString &name, qsizetype maxRooms)
        : directory(maxRooms), transport(network, name), router(&directory, &transport, 0)
    {
        directory.connections().setNode(name, 1);
        directory.setRouter(&router);
    }
    ~Node() { directory.setRouter(nullptr); }
    RoomDirectory directory;
    FakeTransport transport;
    ClusterRouter router;
    std::vector<std::unique_ptr<FakeMember>> members;

    FakeMember *member(const QString &name)
    {
        members.push_back(
            std::make_unique<FakeMember>(name, name + u"-id"_s, &directory.connections()));
        return members.back().get();
    }
};

class FakeNetwork
{
public:
    std::map<QString, std::unique_ptr<Node>> nodes;
    std::deque<Message> inFlight;
    std::map<std::pair<QString, QString>, int> sent; // (from, to) -> messages

    FakeNetwork() = default;
    // These nodes, each told that all of them are live.
    explicit FakeNetwork(const QStringList &names)
    {
        for (const QString &name : names)
            add(name);
        announce();
    }
    // A new member on that node, joining the chat (answers come on settle()).
    FakeMember *join(const QString &node, const QString &user, const QString &chat)
    {
        FakeMember *member = nodes[node]->member(user);
        nodes[node]->directory.open(chat)->join(member);
        return member;
    }

    Node &add(const QString &name, qsizetype maxRooms = 100000)
    {
        auto node = std::make_unique<Node>(this, name, maxRooms);
        Node &ref = *node;
        nodes[name] = std::move(node);
        return ref;
    }
    QStringList names() const
    {
        QStringList list;
        for (const auto &[name, node] : nodes)
            list.append(name);
        return list;
    }
    // Every node learns the same membership, as the mesh would tell it.
    void announce()
    {
        const QStringList live = names();
        for (auto &[name, node] : nodes)
            node->router.setLiveNodes(live);
    }
    void kill(const QString &name)
    {
        std::erase_if(inFlight, [&](const Message &m) { return m.from == name || m.to == name; });
        nodes.erase(name);
    }
    // Delivers everything in flight and runs timers, until the cluster is quiet.
    void settle()
    {
        for (int round = 0; round < 1000; ++round) {
            QCoreApplication::processEvents();
            if (inFlight.empty()) {
                QCoreApplication::processEvents();
                if (inFlight.empty())
                    return;
            }
            while (!inFlight.empty())
                deliverFirst();
        }
        QFAIL("the cluster never settled");
    }
    void deliverFirst()
    {
        Message message = std::move(inFlight.front());
        inFlight.pop_front();
        const auto to = nodes.find(message.to);
        if (to != nodes.end())
            to->second->router.handleMessage(message.from, message.type, message.payload);
    }
    // A partition: nothing crosses between the two groups until heal().
    void split(const QStringList &left, const QStringList &right)
    {
        for (const QString &a : left) {
            for (const QString &b : right) {
                cut.insert({a, b});
                cut.insert({b, a});
            }
        }
        std::erase_if(inFlight, [&](const Message &m) { return cut.contains({m.from, m.to}); });
        for (const QString &a : left)
            nodes[a]->router.setLiveNodes(left);
        for (const QString &b : right)
            nodes[b]->router.setLiveNodes(right);
    }
    void heal()
    {
        cut.clear();
        announce();
    }
    std::set<std::pair<QString, QString>> cut;

    void deliver(const QString &from, const QString &to, ClusterMessageType type,
                 const QByteArray &payload)
    {
        if (!nodes.contains(to) || cut.contains({from, to}))
            return;
        ++sent[{from, to}];
        inFlight.push_back({from, to, quint8(type), payload});
    }
};

bool FakeTransport::sendTo(const QString &node, ClusterMessageType type, const QByteArray &payload)
{
    m_network->deliver(m_node, node, type, payload);
    return true;
}

// A chat name placed on the given node when the cluster is exactly these nodes.
QString chatOwnedBy(const QString &node, const QStringList &nodes, const QString &prefix = u"c"_s)
{
    for (int i = 0;; ++i) {
        const QString name = prefix + QString::number(i);
        if (ChatPlacement::ownerOf(name, nodes) == node)
            return name;
    }
}

// A chat the full cluster places on `owner` and the given smaller view places on `fallback`.
QString chatOwnedBy(const QString &owner, const QStringList &nodes, const QString &fallback,
                    const QStringList &smaller)
{
    for (int i = 0;; ++i) {
        const QString name = u"c"_s + QString::number(i);
        if (ChatPlacement::ownerOf(name, nodes) == owner &&
            ChatPlacement::ownerOf(name, smaller) == fallback)
            return name;
    }
}

QList<qint64> sequences(const FakeMember &member, const QString &record = {})
{
    QList<qint64> list;
    for (const QJsonObject &r : member.records) {
        if (r.contains(u"sequence"_s) &&
            (record.isEmpty() || r.value(u"record"_s).toString() == record))
            list.append(r.value(u"sequence"_s).toInteger());
    }
    return list;
}

QStringList messages(const FakeMember &member)
{
    QStringList list;
    for (const QJsonObject &r : member.records) {
        if (r.value(u"record"_s).toString() == u"chat_message")
            list.append(r.value(u"message"_s).toString());
    }
    return list;
}

// The three-node cases below: a chat that c owns while all three are up and b owns without
// c, and one member on each node, joined in turn so every record comes in a known order.
const QStringList kAll{u"a"_s, u"b"_s, u"c"_s};
const QStringList kAb{u"a"_s, u"b"_s};
struct ThreeMembers
{
    QString chat;
    FakeMember *ann, *bo, *cy;
};
ThreeMembers oneMemberOnEachOfThreeNodes(FakeNetwork &net)
{
    ThreeMembers t;
    t.chat = chatOwnedBy(u"c"_s, kAll, u"b"_s, kAb);
    t.ann = net.join(u"a"_s, u"ann"_s, t.chat);
    net.settle();
    t.bo = net.join(u"b"_s, u"bo"_s, t.chat);
    net.settle();
    t.cy = net.join(u"c"_s, u"cy"_s, t.chat);
    net.settle();
    return t;
}

} // namespace

class TestClusterRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crossNodeChatSeesEveryoneAndTheSameSequences()
    {
        FakeNetwork net({u"a"_s, u"b"_s, u"c"_s});
        const QString chat = chatOwnedBy(u"c"_s, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.nodes[u"b"_s]->member(u"bo"_s);
        net.settle();
        net.nodes[u"b"_s]->directory.open(chat)->join(bo);
        net.settle();
        // Bo's chat_state lists Ann, who is on another node.
        QCOMPARE(bo->recordNames().first(), u"chat_state"_s);
        const QJsonArray users = bo->records.first().value(u"users"_s).toArray();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users[0].toObject().value(u"user_id"_s).toString(), u"ann-id"_s);
        QCOMPARE(ann->recordNames(), QStringList({u"chat_state"_s, u"joined"_s, u"joined"_s}));
        for (int i = 0; i < 20; ++i) {
            net.nodes[i % 2 ? u"a"_s : u"b"_s]->directory.findReplica(chat)->post(
                i % 2 ? ann : bo, u"text/plain"_s, QString::number(i));
        }
        net.settle();
        QCOMPARE(messages(*ann).size(), 20);
        QCOMPARE(sequences(*ann).mid(1), sequences(*bo));
        QCOMPARE(ann->frames.mid(2), bo->frames.mid(1)); // the owner's bytes, unchanged
        // Nothing is owned where there are only replicas.
        QVERIFY(!net.nodes[u"a"_s]->directory.findOwner(chat));
        QVERIFY(net.nodes[u"c"_s]->directory.findOwner(chat));
        QCOMPARE(net.nodes[u"c"_s]->directory.findOwner(chat)->memberCount(), 2);
    }

    void ownerSendsOneMessagePerNodeNotPerMember()
    {
        FakeNetwork net({u"a"_s, u"b"_s});
        const QString chat = chatOwnedBy(u"a"_s, net.names());
        std::vector<FakeMember *> onB;
        for (int i = 0; i < 50; ++i) {
            onB.push_back(net.nodes[u"b"_s]->member(u"m%1"_s.arg(i)));
            net.nodes[u"b"_s]->directory.open(chat)->join(onB.back());
        }
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        net.settle();
        const auto link = std::make_pair(u"a"_s, u"b"_s);
        const int before = net.sent[link];
        net.nodes[u"a"_s]->directory.findReplica(chat)->post(ann, u"text/plain"_s, u"hi"_s);
        net.settle();
        QCOMPARE(net.sent[link] - before, 1);
        for (FakeMember *member : onB)
            QCOMPARE(messages(*member), QStringList({u"hi"_s}));
    }

    void ownerDeathRehomesLeftsAndSequenceContinues()
    {
        FakeNetwork net({u"a"_s, u"b"_s, u"c"_s});
        const QString chat = chatOwnedBy(u"c"_s, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.join(u"b"_s, u"bo"_s, chat);
        net.join(u"c"_s, u"cy"_s, chat); // on the node that dies
        net.settle();
        net.nodes[u"a"_s]->directory.findReplica(chat)->post(ann, u"text/plain"_s, u"before"_s);
        net.settle();
        const qint64 seen = sequences(*ann).last();

        net.kill(u"c"_s);
        net.announce();
        net.settle();
        // Cy, who was on the dead node, left: once, for everyone left.
        QCOMPARE(ann->recordNames().last(), u"left"_s);
        QCOMPARE(ann->records.last().value(u"user_id"_s).toString(), u"cy-id"_s);
        QCOMPARE(bo->records.last(), ann->records.last());
        QVERIFY(sequences(*ann).last() > seen);
        // The chat goes on, under its new owner, above every sequence seen.
        net.nodes[u"b"_s]->directory.findReplica(chat)->post(bo, u"text/plain"_s, u"after"_s);
        net.settle();
        QCOMPARE(messages(*ann), QStringList({u"before"_s, u"after"_s}));
        QCOMPARE(messages(*bo), QStringList({u"before"_s, u"after"_s}));
        QCOMPARE(sequences(*ann).mid(2), sequences(*bo).mid(1));
        const QString newOwner = ChatPlacement::ownerOf(chat, {u"a"_s, u"b"_s});
        QCOMPARE(net.nodes[newOwner]->directory.findOwner(chat)->memberCount(), 2);
    }

    void messageInFlightWhenTheOwnerDiesIsDeliveredOnce()
    {
        FakeNetwork net({u"a"_s, u"b"_s, u"c"_s});
        const QString chat = chatOwnedBy(u"c"_s, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.join(u"b"_s, u"bo"_s, chat);
        net.settle();
        // Sent, but the owner dies before it is taken.
        net.nodes[u"a"_s]->directory.findReplica(chat)->post(ann, u"text/plain"_s, u"lost?"_s);
        net.kill(u"c"_s);
        net.announce();
        net.settle();
        QCOMPARE(messages(*ann), QStringList({u"lost?"_s}));
        QCOMPARE(messages(*bo), QStringList({u"lost?"_s}));
    }

    // The owner stamped it and reached one node, then died: the sender never saw it come back,
    // so it sends it again to the new owner, which stamps it again; the node that has it
    // already must not deliver it twice, the other must deliver it once.
    void messageStampedJustBeforeTheOwnerDiedIsDeliveredOnceEverywhere()
    {
        FakeNetwork net({u"a"_s, u"b"_s, u"c"_s});
        const QString chat = chatOwnedBy(u"c"_s, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.join(u"b"_s, u"bo"_s, chat);
        net.settle();
        net.nodes[u"a"_s]->directory.findReplica(chat)->post(ann, u"text/plain"_s, u"once"_s);
        QCOMPARE(net.inFlight.size(), size_t(1));
        net.deliverFirst(); // c takes it and sends the event to a and b
        QCOMPARE(net.inFlight.size(), size_t(2));
        std::erase_if(net.inFlight, [](const Message &m) { return m.to == u"a"_s; });
        net.deliverFirst(); // only b gets it
        QCOMPARE(messages(*bo), QStringList({u"once"_s}));
        net.kill(u"c"_s);
        net.announce();
        net.settle();
        QCOMPARE(messages(*ann), QStringList({u"once"_s}));
        QCOMPARE(messages(*bo), QStringList({u"once"_s}));
        // And the chat carries on normally afterwards.
        net.nodes[u"b"_s]->directory.findReplica(chat)->post(bo, u"text/plain"_s, u"next"_s);
        net.settle();
        QCOMPARE(messages(*ann), QStringList({u"once"_s, u"next"_s}));
        QCOMPARE(messages(*bo), QStringList({u"once"_s, u"next"_s}));
    }

    void nodeJoiningTakesItsChatsWithoutEvents()
    {
        FakeNetwork net({u"a"_s, u"b"_s});
        // A chat that will belong to c once c is there; for now a or b own it.
        const QString chat = chatOwnedBy(u"c"_s, {u"a"_s, u"b"_s, u"c"_s});
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.join(u"b"_s, u"bo"_s, chat);
        net.settle();
        const qsizetype annBefore = ann->frames.size();
        const qint64 seen = sequences(*ann).last();
        net.add(u"c"_s);
        net.announce();
        net.settle();
        QCOMPARE(ann->frames.size(), annBefore); // nobody joined or left
        QVERIFY(net.nodes[u"c"_s]->directory.findOwner(chat));
        QVERIFY(!net.nodes[u"a"_s]->directory.findOwner(chat));
        QVERIFY(!net.nodes[u"b"_s]->directory.findOwner(chat));
        QCOMPARE(net.nodes[u"c"_s]->directory.findOwner(chat)->memberCount(), 2);
        net.nodes[u"b"_s]->directory.findReplica(chat)->post(bo, u"text/plain"_s, u"moved"_s);
        net.settle();
        QCOMPARE(messages(*ann), QStringList({u"moved"_s}));
        QVERIFY(sequences(*ann).last() > seen);
        // And a newcomer on c sees both.
        FakeMember *cy = net.join(u"c"_s, u"cy"_s, chat);
        net.settle();
        QCOMPARE(cy->records.first().value(u"users"_s).toArray().size(), 2);
    }

    void ownersRoomCapRefusesWithChatLimit004()
    {
        FakeNetwork net;
        net.add(u"a"_s);
        net.add(u"b"_s, 1);
        net.announce();
        const QString first = chatOwnedBy(u"b"_s, net.names(), u"x"_s);
        const QString second = chatOwnedBy(u"b"_s, net.names(), first + u"y"_s);
        FakeMember *ann = net.nodes[u"a"_s]->member(u"ann"_s);
        net.nodes[u"a"_s]->directory.open(first)->join(ann);
        net.settle();
        QVERIFY(ann->refusals.isEmpty());
        net.nodes[u"a"_s]->directory.open(second)->join(ann);
        net.settle();
        QCOMPARE(ann->refusals.size(), 1);
        QCOMPARE(ann->refusals[0].chatName, second);
        QCOMPARE(ann->refusals[0].code, flack::protocol::ErrorCode::TooManyRooms);
        QVERIFY(!net.nodes[u"a"_s]->directory.findReplica(second));
    }

    void leaveAcrossNodesReachesTheLeaver()
    {
        FakeNetwork net({u"a"_s, u"b"_s});
        const QString chat = chatOwnedBy(u"b"_s, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.join(u"b"_s, u"bo"_s, chat);
        net.settle();
        net.nodes[u"a"_s]->directory.findReplica(chat)->leave(ann);
        net.settle();
        QCOMPARE(ann->recordNames().last(), u"left"_s);
        QCOMPARE(bo->records.last(), ann->records.last());
        QVERIFY(!net.nodes[u"a"_s]->directory.findReplica(chat)); // forgotten when empty
        QCOMPARE(net.nodes[u"b"_s]->directory.findOwner(chat)->memberCount(), 1);
    }

    void partitionEachSideCarriesOnAndHealJoinsOnce_data()
    {
        QTest::addColumn<QString>("owner");
        QTest::newRow("owner on the small side") << u"c"_s;
        QTest::newRow("owner on the big side") << u"a"_s;
    }
    void partitionEachSideCarriesOnAndHealJoinsOnce()
    {
        QFETCH(QString, owner);
        FakeNetwork net({u"a"_s, u"b"_s, u"c"_s});
        const QString chat = chatOwnedBy(owner, net.names());
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        FakeMember *bo = net.nodes[u"b"_s]->member(u"bo"_s);
        FakeMember *cy = net.nodes[u"c"_s]->member(u"cy"_s);
        // One after another, so every client's joined records come in a known order.
        net.settle();
        net.nodes[u"b"_s]->directory.open(chat)->join(bo);
        net.settle();
        net.nodes[u"c"_s]->directory.open(chat)->join(cy);
        net.settle();

        net.split({u"a"_s, u"b"_s}, {u"c"_s});
        net.settle();
        auto leftOf = [](const FakeMember *m) {
            QStringList users;
            for (const QJsonObject &r : m->records) {
                if (r.value(u"record"_s).toString() == u"left")
                    users.append(r.value(u"user_id"_s).toString());
            }
            users.sort();
            return users;
        };
        QCOMPARE(leftOf(ann), QStringList({u"cy-id"_s}));
        QCOMPARE(leftOf(bo), QStringList({u"cy-id"_s}));
        QCOMPARE(leftOf(cy), QStringList({u"ann-id"_s, u"bo-id"_s}));
        // Each side carries on by itself.
        net.nodes[u"a"_s]->directory.findReplica(chat)->post(ann, u"text/plain"_s, u"ab"_s);
        net.nodes[u"c"_s]->directory.findReplica(chat)->post(cy, u"text/plain"_s, u"c"_s);
        net.settle();
        QCOMPARE(messages(*bo), QStringList({u"ab"_s}));
        QCOMPARE(messages(*cy), QStringList({u"c"_s}));

        net.heal();
        net.settle();
        auto joinedOf = [](const FakeMember *m) {
            QStringList users;
            for (const QJsonObject &r : m->records) {
                if (r.value(u"record"_s).toString() == u"joined")
                    users.append(r.value(u"user_id"_s).toString());
            }
            users.sort();
            return users;
        };
        // Before the cut everyone saw every join once; after the heal the other side once more.
        QCOMPARE(joinedOf(ann), QStringList({u"ann-id"_s, u"bo-id"_s, u"cy-id"_s, u"cy-id"_s}));
        QCOMPARE(joinedOf(bo), QStringList({u"bo-id"_s, u"cy-id"_s, u"cy-id"_s}));
        QCOMPARE(joinedOf(cy), QStringList({u"ann-id"_s, u"bo-id"_s, u"cy-id"_s}));
        QCOMPARE(cy->records.first().value(u"users"_s).toArray().size(), 2);
        // One owner again, with everyone; and the chat is one chat.
        int owners = 0;
        for (auto &[name, node] : net.nodes) {
            if (auto *o = node->directory.findOwner(chat)) {
                ++owners;
                QCOMPARE(o->memberCount(), 3);
            }
        }
        QCOMPARE(owners, 1);
        net.nodes[u"c"_s]->directory.findReplica(chat)->post(cy, u"text/plain"_s, u"healed"_s);
        net.settle();
        for (FakeMember *m : {ann, bo, cy}) {
            QCOMPARE(messages(*m).last(), u"healed"_s);
            const QList<qint64> seqs = sequences(*m);
            for (qsizetype i = 1; i < seqs.size(); ++i)
                QVERIFY2(seqs[i] > seqs[i - 1], "sequence went back");
        }
        QCOMPARE(ann->frames.last(), cy->frames.last());
    }

    // After a heal the nodes learn the new membership one at a time. Here b sees c again first
    // and hands the chat to c, while a, still without c, answers b's "moved" by reporting to b:
    // b must not keep the chat (a second owner beside c, holding b's own members), and once a
    // sees c too there is one owner with everyone, and every message reaches everyone.
    void healSeenAtDifferentMomentsLeavesOneOwner()
    {
        FakeNetwork net(kAll);
        const auto [chat, ann, bo, cy] = oneMemberOnEachOfThreeNodes(net);
        net.split(kAb, {u"c"_s});
        net.settle();
        QVERIFY(net.nodes[u"b"_s]->directory.findOwner(chat));

        net.cut.clear();
        net.nodes[u"b"_s]->router.setLiveNodes(kAll);
        net.nodes[u"c"_s]->router.setLiveNodes(kAll);
        net.settle(); // a still sees only a and b
        net.nodes[u"a"_s]->router.setLiveNodes(kAll);
        net.settle();

        checkOneOwnerAndEveryMessageEverywhere(net, chat, {ann, bo, cy});
    }

    // A node re-homing a chat sees the membership change again before its window for the
    // other nodes' reports has ended, and the chat now belongs elsewhere: what it gathered goes
    // to the chat's new owner; it does not keep the chat.
    void recoveryOverTakenByAViewChangeHandsTheChatOn()
    {
        FakeNetwork net(kAll);
        const auto [chat, ann, bo, cy] = oneMemberOnEachOfThreeNodes(net);
        // c is cut off and back before b's recovery window ends (nothing delivered between).
        net.split(kAb, {u"c"_s});
        QCOMPARE(net.nodes[u"b"_s]->router.recoveringCount(), 1);
        net.heal();
        net.settle();

        checkOneOwnerAndEveryMessageEverywhere(net, chat, {ann, bo, cy});
    }

    // A node that hasn't heard of c yet sends its joiner to b; b, which knows c owns the chat,
    // doesn't keep it: it hands what it gathered to c, and after that one owner has everyone.
    void joinSentByAStaleViewOpensNoSecondOwner()
    {
        FakeNetwork net(kAll);
        const QString chat = chatOwnedBy(u"c"_s, kAll, u"b"_s, kAb);
        net.nodes[u"a"_s]->router.setLiveNodes(kAb);
        FakeMember *ann = net.join(u"a"_s, u"ann"_s, chat);
        net.settle();
        QVERIFY(!net.nodes[u"b"_s]->directory.findOwner(chat));
        QVERIFY(net.nodes[u"c"_s]->directory.findOwner(chat));
        net.nodes[u"a"_s]->router.setLiveNodes(kAll);
        net.settle();
        QCOMPARE(ann->recordNames().first(), u"chat_state"_s);
        FakeMember *cy = net.join(u"c"_s, u"cy"_s, chat);
        net.settle();
        checkOneOwnerAndEveryMessageEverywhere(net, chat, {ann, cy});
    }

    void malformedAndForgedMessagesAreIgnored()
    {
        FakeNetwork net;
        Node &a = net.add(u"a"_s);
        net.add(u"b"_s);
        net.announce();
        const QString chat = chatOwnedBy(u"a"_s, net.names());
        FakeMember *ann = a.member(u"ann"_s);
        a.directory.open(chat)->join(ann);
        net.settle();
        const qsizetype before = ann->frames.size();
        for (quint8 type = 16; type <= 25; ++type) {
            a.router.handleMessage(u"b"_s, type, QByteArray("\xff\x00garbage", 9));
            a.router.handleMessage(u"b"_s, type, QByteArray());
        }
        a.router.handleMessage(u"b"_s, 99, QByteArray("x"));
        // b may not speak for a's connections.
        a.router.handleMessage(
            u"b"_s, quint8(ClusterMessageType::Post),
            flack::server::cluster::encodePost(
                {chat, ann->connectionId(), u"text/plain"_s, u"forged"_s, u"b/1/1"_s}));
        a.router.handleMessage(
            u"b"_s, quint8(ClusterMessageType::Drop),
            flack::server::cluster::encodeMemberRequest(chat, ann->connectionId()));
        net.settle();
        QCOMPARE(ann->frames.size(), before);
        QCOMPARE(a.directory.findOwner(chat)->memberCount(), 1);
    }

private:
    // One owner, on the node placement names, with every member; a message from each member
    // reaches every member, in one order.
    static void checkOneOwnerAndEveryMessageEverywhere(FakeNetwork &net, const QString &chat,
                                                       const QList<FakeMember *> &members)
    {
        const QString placed = ChatPlacement::ownerOf(chat, net.names());
        for (auto &[name, node] : net.nodes) {
            const auto *owner = node->directory.findOwner(chat);
            QVERIFY2(bool(owner) == (name == placed),
                     qPrintable(u"node %1 %2 an owner of %3"_s.arg(
                         name, owner ? u"holds"_s : u"lacks"_s, chat)));
        }
        QCOMPARE(net.nodes[placed]->directory.findOwner(chat)->memberCount(),
                 qsizetype(members.size()));
        QStringList sent;
        for (FakeMember *member : members) {
            sent.append(u"from "_s + member->userName());
            for (auto &[name, node] : net.nodes) {
                ChatReplica *replica = node->directory.findReplica(chat);
                if (replica && std::ranges::count(replica->members(), member) == 1)
                    replica->post(member, u"text/plain"_s, sent.last());
            }
        }
        net.settle();
        const qsizetype count = sent.size();
        const QStringList reference =
            messages(*members.first())
                .mid(std::max<qsizetype>(0, messages(*members.first()).size() - count));
        QStringList expected = sent;
        QStringList inOrder = reference;
        expected.sort();
        inOrder.sort();
        QCOMPARE(inOrder, expected);
        for (FakeMember *member : members) {
            const QStringList got = messages(*member);
            QVERIFY2(got.mid(std::max<qsizetype>(0, got.size() - count)) == reference,
                     qPrintable(member->userName() + u" got: "_s + got.join(u", "_s)));
        }
    }
};

QTEST_GUILESS_MAIN(TestClusterRouter)
#include "tst_clusterrouter.moc"
