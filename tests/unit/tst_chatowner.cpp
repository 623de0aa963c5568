// ChatOwner with fake replica sinks standing in for nodes: one frame per node whatever the
// member count, chat_state only to the joiner's node, lefts for a whole node, sequences.

#include "server/rooms/chatevent.h"
#include "server/rooms/chatowner.h"
#include "server/rooms/replicasink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <map>

using namespace Qt::StringLiterals;
using flack::server::rooms::ChatEvent;
using flack::server::rooms::ChatOwner;
using flack::server::rooms::MemberInfo;
using flack::server::rooms::ReplicaSink;
namespace protocol = flack::protocol;

namespace {

class FakeNode : public ReplicaSink
{
public:
    void deliverState(const QString &, const QString &connectionId, const QByteArray &json,
                      const std::vector<MemberInfo> &) override
    {
        states.append({connectionId, QJsonDocument::fromJson(json).object()});
    }
    void deliverEvent(const ChatEvent &event) override { events.append(event); }
    void refuseJoin(const QString &, const QString &, protocol::ErrorCode, const QString &) override
    {
        ++refusals;
    }
    QList<std::pair<QString, QJsonObject>> states;
    QList<ChatEvent> events;
    int refusals = 0;
};

MemberInfo member(int i, const QString &node)
{
    return {u"c%1"_s.arg(i), u"u%1"_s.arg(i), u"User %1"_s.arg(i), node};
}

} // namespace

class TestChatOwner : public QObject
{
    Q_OBJECT

    std::map<QString, FakeNode> nodes;
    ChatOwner::SinkResolver resolver()
    {
        return [this](const QString &node) -> ReplicaSink * {
            const auto found = nodes.find(node);
            return found == nodes.end() ? nullptr : &found->second;
        };
    }

private Q_SLOTS:
    void init()
    {
        nodes.clear();
        nodes[u"n1"_s];
        nodes[u"n2"_s];
        nodes[u"n3"_s];
    }

    void oneFramePerNodeWhateverTheMemberCount_data()
    {
        QTest::addColumn<int>("membersPerNode");
        QTest::newRow("1") << 1;
        QTest::newRow("10") << 10;
        QTest::newRow("500") << 500;
    }
    void oneFramePerNodeWhateverTheMemberCount()
    {
        QFETCH(int, membersPerNode);
        ChatOwner owner(u"big"_s, 0, resolver());
        int id = 0;
        for (int i = 0; i < membersPerNode; ++i) {
            owner.join(member(++id, u"n1"_s));
            owner.join(member(++id, u"n2"_s));
        }
        for (auto &[name, node] : nodes)
            node.events.clear();
        owner.post(u"c1"_s, u"text/plain"_s, u"hello"_s);
        QCOMPARE(nodes[u"n1"_s].events.size(), 1);
        QCOMPARE(nodes[u"n2"_s].events.size(), 1);
        QCOMPARE(nodes[u"n3"_s].events.size(), 0); // no members there, nothing sent
        // The same encoded bytes go to every node.
        QCOMPARE(nodes[u"n1"_s].events[0].json, nodes[u"n2"_s].events[0].json);
        QCOMPARE(nodes[u"n1"_s].events[0].kind, ChatEvent::Kind::Message);
        QCOMPARE(nodes[u"n1"_s].events[0].subject.userId, u"u1"_s);
    }

    void chatStateGoesOnlyToTheJoinersNodeBeforeJoined()
    {
        ChatOwner owner(u"s"_s, 0, resolver());
        owner.join(member(1, u"n1"_s));
        owner.join(member(2, u"n2"_s));
        QCOMPARE(nodes[u"n1"_s].states.size(), 1);
        QCOMPARE(nodes[u"n2"_s].states.size(), 1);
        const auto &[connection, state] = nodes[u"n2"_s].states[0];
        QCOMPARE(connection, u"c2"_s);
        const QJsonArray users = state.value(u"users"_s).toArray();
        QCOMPARE(users.size(), 1); // members before the joiner: every node's
        QCOMPARE(users[0].toObject().value(u"user_id"_s).toString(), u"u1"_s);
        // n1 heard both joins, n2 only its own.
        QCOMPARE(nodes[u"n1"_s].events.size(), 2);
        QCOMPARE(nodes[u"n2"_s].events.size(), 1);
        QCOMPARE(nodes[u"n2"_s].events[0].subject.connectionId, u"c2"_s);
    }

    // The roster's encoded listing follows leaves and drops: a later joiner's chat_state names
    // exactly who is still there, in the order they joined.
    void chatStateAfterLeavesListsWhoIsLeftInJoinOrder()
    {
        ChatOwner owner(u"o"_s, 0, resolver());
        for (int i = 1; i <= 5; ++i)
            owner.join(member(i, i % 2 ? u"n1"_s : u"n2"_s));
        owner.leave(u"c1"_s); // the first
        owner.drop(u"c3"_s);  // one in the middle
        owner.leave(u"c5"_s); // the last
        owner.join(member(6, u"n3"_s));
        const auto &[connection, state] = nodes[u"n3"_s].states.last();
        QCOMPARE(connection, u"c6"_s);
        QStringList ids;
        QStringList names;
        for (const QJsonValue &user : state.value(u"users"_s).toArray()) {
            ids.append(user.toObject().value(u"user_id"_s).toString());
            names.append(user.toObject().value(u"user_name"_s).toString());
        }
        QCOMPARE(ids, QStringList({u"u2"_s, u"u4"_s}));
        QCOMPARE(names, QStringList({u"User 2"_s, u"User 4"_s}));
        QCOMPARE(owner.memberCount(), 3);
    }

    // Members are found by connection id whatever left before them: posts name the poster, a
    // member who left posts nothing and may join again, a second join of a member is ignored.
    void membersAreFoundByIdAfterOthersLeft()
    {
        ChatOwner owner(u"f"_s, 0, resolver());
        for (int i = 1; i <= 6; ++i)
            owner.join(member(i, u"n1"_s));
        owner.leave(u"c2"_s);
        owner.drop(u"c4"_s);
        FakeNode &n1 = nodes[u"n1"_s];
        owner.post(u"c6"_s, u"text/plain"_s, u"from six"_s);
        QCOMPARE(n1.events.last().kind, ChatEvent::Kind::Message);
        QCOMPARE(n1.events.last().subject.connectionId, u"c6"_s);
        QCOMPARE(n1.events.last().subject.userId, u"u6"_s);
        owner.post(u"c5"_s, u"text/plain"_s, u"from five"_s);
        QCOMPARE(n1.events.last().subject.userName, u"User 5"_s);
        const qsizetype before = n1.events.size();
        owner.post(u"c2"_s, u"text/plain"_s, u"gone"_s); // left: not a member
        owner.join(member(3, u"n1"_s));                  // already one
        QCOMPARE(n1.events.size(), before);
        QVERIFY(!owner.hasMember(u"c2"_s));
        QVERIFY(owner.hasMember(u"c3"_s));
        owner.join(member(2, u"n1"_s)); // back again, last in the roster now
        QVERIFY(owner.hasMember(u"c2"_s));
        QCOMPARE(n1.events.last().kind, ChatEvent::Kind::Joined);
        QCOMPARE(owner.memberCount(), 5);
        owner.leave(u"c1"_s); // the first: everyone after it moves up
        owner.post(u"c2"_s, u"text/plain"_s, u"returned"_s);
        QCOMPARE(n1.events.last().subject.connectionId, u"c2"_s);
        QCOMPARE(n1.events.last().kind, ChatEvent::Kind::Message);
        QStringList ids;
        for (const MemberInfo &info : owner.roster())
            ids.append(info.connectionId);
        QCOMPARE(ids, QStringList({u"c3"_s, u"c5"_s, u"c6"_s, u"c2"_s}));
    }

    void leaveReachesTheLeaversNodeEvenWhenItWasTheLast()
    {
        ChatOwner owner(u"l"_s, 0, resolver());
        owner.join(member(1, u"n1"_s));
        owner.join(member(2, u"n2"_s));
        owner.leave(u"c2"_s);
        QCOMPARE(nodes[u"n2"_s].events.last().kind, ChatEvent::Kind::Left);
        QCOMPARE(nodes[u"n1"_s].events.last().kind, ChatEvent::Kind::Left);
        QCOMPARE(owner.memberNodes(), QStringList({u"n1"_s}));
        // A drop goes to the others only.
        owner.join(member(3, u"n2"_s));
        const qsizetype n2Before = nodes[u"n2"_s].events.size();
        owner.drop(u"c3"_s);
        QCOMPARE(nodes[u"n2"_s].events.size(), n2Before);
        QCOMPARE(nodes[u"n1"_s].events.last().subject.connectionId, u"c3"_s);
    }

    void dropNodeSendsOneLeftPerMemberOfThatNode()
    {
        ChatOwner owner(u"d"_s, 0, resolver());
        owner.join(member(1, u"n1"_s));
        owner.join(member(2, u"n2"_s));
        owner.join(member(3, u"n2"_s));
        owner.join(member(4, u"n3"_s));
        nodes[u"n1"_s].events.clear();
        owner.dropNode(u"n2"_s);
        QCOMPARE(nodes[u"n1"_s].events.size(), 2);
        QStringList gone;
        for (const ChatEvent &event : std::as_const(nodes[u"n1"_s].events)) {
            QCOMPARE(event.kind, ChatEvent::Kind::Left);
            gone.append(event.subject.connectionId);
        }
        QCOMPARE(gone, QStringList({u"c2"_s, u"c3"_s}));
        QCOMPARE(owner.memberCount(), 2);
        owner.dropNode(u"n2"_s); // nothing left of it
        QCOMPARE(nodes[u"n1"_s].events.size(), 2);
    }

    void sequencesStrictlyIncreaseAndContinueAboveRaised()
    {
        ChatOwner owner(u"q"_s, 41, resolver());
        owner.join(member(1, u"n1"_s));
        QCOMPARE(nodes[u"n1"_s].events.last().sequence, 42);
        owner.raiseSequence(100);
        owner.raiseSequence(50); // never goes back
        owner.post(u"c1"_s, u"text/plain"_s, u"x"_s, u"origin-7"_s);
        QCOMPARE(nodes[u"n1"_s].events.last().sequence, 101);
        QCOMPARE(nodes[u"n1"_s].events.last().originId, u"origin-7"_s);
        const QJsonObject record =
            QJsonDocument::fromJson(nodes[u"n1"_s].events.last().json).object();
        QCOMPARE(record.value(u"sequence"_s).toInteger(), 101);
    }

    void adoptedMembersAreListedWithoutEvents()
    {
        ChatOwner owner(u"a"_s, 0, resolver());
        owner.adopt(member(1, u"n1"_s));
        owner.adopt(member(1, u"n1"_s));
        QCOMPARE(owner.memberCount(), 1);
        QVERIFY(nodes[u"n1"_s].events.isEmpty());
        owner.join(member(2, u"n2"_s));
        QCOMPARE(nodes[u"n2"_s].states[0].second.value(u"users"_s).toArray().size(), 1);
    }

    void nonMembersCannotPostAndEmptiedComesOnce()
    {
        ChatOwner owner(u"e"_s, 0, resolver());
        QSignalSpy emptied(&owner, &ChatOwner::emptied);
        owner.join(member(1, u"n1"_s));
        owner.post(u"stranger"_s, u"text/plain"_s, u"spam"_s);
        QCOMPARE(owner.lastSequence(), 1);
        owner.leave(u"c1"_s);
        owner.leave(u"c1"_s);
        QCOMPARE(emptied.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestChatOwner)
#include "tst_chatowner.moc"
