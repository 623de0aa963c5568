// ChatReplica with a local ChatOwner (a node alone): membership, per-chat sequence,
// encode-once fan-out, the emptied signal, and a refused join; members on other threads
// reached once per thread through their relay; joined/left held back as one batch for all
// members while they come faster than the presence window.

#include "server/net/writecoalescer.h"
#include "server/rooms/chatevent.h"
#include "server/rooms/chatowner.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/ownerlink.h"
#include "server/rooms/roomdirectory.h"
#include "shared/serverrecordencoder.h"
#include "tests/support/fakemember.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::rooms::ChatEvent;
using flack::server::rooms::ChatReplica;
using flack::server::rooms::ConnectionRegistry;
using flack::server::rooms::RoomDirectory;
using flack::test::FakeMember;
namespace protocol = flack::protocol;

namespace {
// An OwnerLink that only records what the replica asked for.
class RecordingOwner : public flack::server::rooms::OwnerLink
{
public:
    void join(const flack::server::rooms::MemberInfo &member) override
    {
        calls.append(u"join "_s + member.connectionId);
    }
    void leave(const QString &id) override { calls.append(u"leave "_s + id); }
    void drop(const QString &id) override { calls.append(u"drop "_s + id); }
    void post(const QString &id, const QString &, const QString &message) override
    {
        calls.append(u"post "_s + id + u' ' + message);
    }
    QStringList calls;
};

// A ReplicaSink standing for another thread's replicas: records what it was handed.
class RecordingSink : public flack::server::rooms::ReplicaSink
{
public:
    void deliverState(const QString &, const QString &connectionId, const QByteArray &,
                      const std::vector<flack::server::rooms::MemberInfo> &) override
    {
        calls.append(u"state "_s + connectionId);
    }
    void deliverEvent(const ChatEvent &event) override
    {
        calls.append(u"event "_s + QString::number(event.sequence));
    }
    void refuseJoin(const QString &, const QString &connectionId, protocol::ErrorCode,
                    const QString &) override
    {
        calls.append(u"refused "_s + connectionId);
    }
    QStringList calls;
};

// A replica whose owner is elsewhere: a fake link standing in for the peer link.
struct RemoteSetup
{
    ConnectionRegistry connections;
    RecordingOwner owner;
    ChatReplica replica{u"r"_s, &connections};
    RemoteSetup() { replica.setOwner(&owner); }
};

// Each joins the remote chat and gets its chat_state back, as from the owner.
void joinAll(ChatReplica &replica, std::initializer_list<FakeMember *> members)
{
    for (FakeMember *member : members) {
        replica.join(member);
        replica.deliverState(u"r"_s, member->connectionId(), protocol::encodeChatState(u"r", {}),
                             {});
    }
}

// The sequences of the room events a member received, in order.
QList<qint64> sequencesOf(const FakeMember &member)
{
    QList<qint64> sequences;
    for (const QJsonObject &record : member.records) {
        if (record.contains(QLatin1StringView("sequence")))
            sequences.append(record.value(QLatin1StringView("sequence")).toInteger());
    }
    return sequences;
}

// A remote chat whose replica holds joined/left in a window (no test waits for the long one).
struct BatchingSetup : RemoteSetup
{
    explicit BatchingSetup(int windowMs = 60000) : window(windowMs)
    {
        replica.setPresenceWindow(&window);
    }
    flack::server::net::WriteCoalescer window;
};

ChatEvent makeEvent(ChatEvent::Kind kind, qint64 sequence, const FakeMember &subject)
{
    ChatEvent e;
    e.chatName = u"r"_s;
    e.kind = kind;
    e.sequence = sequence;
    e.subject = {subject.connectionId(), subject.userId(), subject.userName(), u"n1"_s};
    const QByteArray ts = "2026-01-01T00:00:00Z";
    if (kind == ChatEvent::Kind::Joined)
        e.json = protocol::encodeJoined(u"r", subject.userName(), subject.userId(), ts, sequence);
    else if (kind == ChatEvent::Kind::Left)
        e.json = protocol::encodeLeft(u"r", subject.userId(), ts, sequence);
    else
        e.json =
            protocol::encodeChatMessage(u"r", subject.userId(), u"text/plain", u"m", ts, sequence);
    return e;
}
} // namespace

class TestChatReplica : public QObject
{
    Q_OBJECT

    static QString field(const QJsonObject &record, const char *key)
    {
        return record.value(QLatin1StringView(key)).toString();
    }
    static ChatReplica *open(RoomDirectory &directory, const QString &name)
    {
        return static_cast<ChatReplica *>(directory.open(name));
    }
    static qint64 sequence(const QJsonObject &record)
    {
        return record.value(QLatin1StringView("sequence")).toInteger(-1);
    }

private Q_SLOTS:
    void joinSendsStateWithoutJoinerThenJoinedToAll()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("lobby"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        QCOMPARE(ann.recordNames(), QStringList({u"chat_state"_s, u"joined"_s}));
        QCOMPARE(ann.records[0].value(QLatin1StringView("users")).toArray().size(), 0);

        room.join(&bo);
        QCOMPARE(bo.recordNames(), QStringList({u"chat_state"_s, u"joined"_s}));
        const QJsonArray users = bo.records[0].value(QLatin1StringView("users")).toArray();
        QCOMPARE(users.size(), 1);
        QCOMPARE(field(users[0].toObject(), "user_name"), u"Ann"_s);
        QCOMPARE(field(users[0].toObject(), "user_id"), u"a1"_s);
        QCOMPARE(field(users[0].toObject(), "record"), u"chat_user"_s);
        // Ann sees Bo's join too, with the same bytes Bo got.
        QCOMPARE(ann.recordNames().last(), u"joined"_s);
        QCOMPARE(ann.frames.last(), bo.frames.last());
        QCOMPARE(field(ann.records.last(), "user_name"), u"Bo"_s);
        QCOMPARE(room.memberCount(), 2);
    }

    // Messages go at once; joined and left may wait a little to share a write.
    void eventsCarryTheirPace()
    {
        using flack::server::rooms::DeliveryPace;
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("pace"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        room.join(&bo);
        room.post(&bo, u"text/plain"_s, u"hi"_s);
        room.leave(&bo);
        QCOMPARE(ann.recordNames(),
                 QStringList({u"chat_state"_s, u"joined"_s, u"joined"_s, u"chat_message"_s,
                              u"left"_s}));
        QCOMPARE(ann.paces, QList<DeliveryPace>({DeliveryPace::Presence, DeliveryPace::Presence,
                                                 DeliveryPace::Prompt, DeliveryPace::Presence}));
    }

    void sequenceStrictlyIncreasesOverAllEvents()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("seq"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        room.join(&bo);
        for (int i = 0; i < 20; ++i)
            room.post(&ann, u"text/plain"_s, QString::number(i));
        room.leave(&bo);
        qint64 previous = 0;
        for (const QJsonObject &record : std::as_const(ann.records)) {
            if (field(record, "record") == u"chat_state")
                continue;
            QVERIFY2(sequence(record) > previous, "sequence must strictly increase");
            previous = sequence(record);
        }
        QCOMPARE(previous, room.lastSequence());
        QCOMPARE(directory.findOwner(room.name())->lastSequence(), room.lastSequence());
        QCOMPARE(room.lastSequence(), 2 + 20 + 1);
    }

    void everyRecipientGetsTheSameFrame()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("fan"));
        std::vector<std::unique_ptr<FakeMember>> members;
        for (int i = 0; i < 10; ++i) {
            members.push_back(std::make_unique<FakeMember>(QStringLiteral("u%1").arg(i),
                                                           QStringLiteral("id%1").arg(i),
                                                           &directory.connections()));
            room.join(members.back().get());
        }
        room.post(members[3].get(), u"text/plain"_s, u"hello \"all\"\n"_s);
        const QString &first = members[0]->frames.last();
        for (const auto &member : members) {
            QCOMPARE(member->frames.last(), first);
            // Encode once: the very same string data is shared, not an equal copy.
            QCOMPARE(member->frames.last().constData(), first.constData());
        }
        const QJsonObject record = members[0]->records.last();
        QCOMPARE(field(record, "record"), u"chat_message"_s);
        QCOMPARE(field(record, "user_id"), u"id3"_s);
        QCOMPARE(field(record, "message"), u"hello \"all\"\n"_s);
        QCOMPARE(field(record, "mime_type"), u"text/plain"_s);
    }

    void leaveNotifiesLeaverAndOthers()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("l"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        room.join(&bo);
        room.leave(&ann);
        QCOMPARE(ann.recordNames().last(), u"left"_s);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
        QCOMPARE(field(bo.records.last(), "user_id"), u"a1"_s);
        QVERIFY(!room.hasMember(&ann));
        // After leaving, Ann gets nothing more.
        const qsizetype before = ann.frames.size();
        room.post(&bo, u"text/plain"_s, u"x"_s);
        QCOMPARE(ann.frames.size(), before);
    }

    void dropNotifiesOnlyTheRemaining()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("d"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        room.join(&bo);
        const qsizetype annBefore = ann.frames.size();
        room.drop(&ann);
        QCOMPARE(ann.frames.size(), annBefore);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
    }

    void lastMemberGoneEmitsEmptied()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("e"));
        QSignalSpy emptied(&room, &ChatReplica::emptied);
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"), &directory.connections());
        room.join(&ann);
        room.join(&bo);
        room.leave(&ann);
        QCOMPARE(emptied.count(), 0);
        room.drop(&bo);
        QCOMPARE(emptied.count(), 1);
        QCOMPARE(emptied.first().first().toString(), u"e"_s);
    }

    void nonMembersCannotPostOrLeave()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("n"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        FakeMember stranger(QStringLiteral("X"), QStringLiteral("x"), &directory.connections());
        room.join(&ann);
        const qsizetype before = ann.frames.size();
        room.post(&stranger, u"text/plain"_s, u"spam"_s);
        room.leave(&stranger);
        QCOMPARE(ann.frames.size(), before);
        QCOMPARE(room.lastSequence(), 1);
    }

    void joiningTwiceIsIgnored()
    {
        RoomDirectory directory;
        ChatReplica &room = *open(directory, QStringLiteral("t"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"), &directory.connections());
        room.join(&ann);
        room.join(&ann);
        QCOMPARE(room.memberCount(), 1);
        QCOMPARE(ann.frames.size(), 2);
    }
    // With an owner elsewhere (a fake link standing in for a peer link) answers come later.
    void remoteOwnerAnswersAsynchronously()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        replica.join(&ann);
        QCOMPARE(owner.calls, QStringList({u"join "_s + ann.connectionId()}));
        QCOMPARE(replica.memberCount(), 0); // joining until the chat_state comes
        // A joiner may already post: the owner sees its join first.
        replica.post(&ann, u"text/plain"_s, u"early"_s);
        QCOMPARE(owner.calls.last(), u"post "_s + ann.connectionId() + u" early"_s);
        replica.deliverState(u"r"_s, ann.connectionId(),
                             protocol::encodeChatState(u"r", {{u"Bo"_s, u"b2"_s}}), {});
        QCOMPARE(replica.memberCount(), 1);
        QCOMPARE(ann.recordNames(), QStringList({u"chat_state"_s}));
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 5, ann));
        QCOMPARE(ann.recordNames().last(), u"joined"_s);
        // An event seen already (an owner change may resend) is not delivered twice.
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 5, ann));
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 4, ann));
        QCOMPARE(ann.frames.size(), 2);
        QCOMPARE(replica.lastSequence(), 5);
    }

    void leaverGetsOnlyItsOwnLeftThenTheReplicaEmpties()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        QSignalSpy emptied(&replica, &ChatReplica::emptied);
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        replica.join(&ann);
        replica.deliverState(u"r"_s, ann.connectionId(), protocol::encodeChatState(u"r", {}), {});
        replica.leave(&ann);
        QCOMPARE(owner.calls.last(), u"leave "_s + ann.connectionId());
        QCOMPARE(emptied.count(), 0); // its left is still to come
        FakeMember other(u"Cy"_s, u"c3"_s);
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 7, other));
        QCOMPARE(ann.recordNames().last(), u"chat_state"_s);
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 8, ann));
        QCOMPARE(ann.recordNames().last(), u"left"_s);
        QCOMPARE(emptied.count(), 1);
    }

    void leaverGoneBeforeItsLeftIsNotTouched()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        auto ann = std::make_unique<FakeMember>(u"Ann"_s, u"a1"_s, &connections);
        const QString id = ann->connectionId();
        replica.join(ann.get());
        replica.deliverState(u"r"_s, id, protocol::encodeChatState(u"r", {}), {});
        replica.leave(ann.get());
        ann.reset(); // the registry forgets it; the replica must not reach it
        FakeMember stub(u"Ann"_s, u"a1"_s);
        ChatEvent left = makeEvent(ChatEvent::Kind::Left, 2, stub);
        left.subject.connectionId = id;
        replica.deliverEvent(left);
        QVERIFY(replica.isEmpty());
    }

    void refusedJoinReachesTheMember()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        QSignalSpy emptied(&replica, &ChatReplica::emptied);
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        replica.join(&ann);
        replica.refuseJoin(u"r"_s, ann.connectionId(), protocol::ErrorCode::TooManyRooms,
                           u"full"_s);
        QCOMPARE(ann.refusals.size(), 1);
        QCOMPARE(ann.refusals[0].chatName, u"r"_s);
        QCOMPARE(ann.refusals[0].code, protocol::ErrorCode::TooManyRooms);
        QCOMPARE(emptied.count(), 1);
        QVERIFY(ann.frames.isEmpty());
    }

    // The first joined of a quiet room goes at once; those within the window after it wait,
    // held once for the room, and reach each member as one batch before the next message.
    void presenceWithinTheWindowReachesEachMemberAsOneBatch()
    {
        BatchingSetup setup;
        FakeMember ann(u"Ann"_s, u"a1"_s, &setup.connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &setup.connections);
        RecordingSink thread;
        FakeMember cy(u"Cy"_s, u"c3"_s, &setup.connections);
        cy.setRelay(&thread);
        joinAll(setup.replica, {&ann, &bo, &cy});
        FakeMember x(u"X"_s, u"x9"_s), y(u"Y"_s, u"y9"_s);
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 1, x));
        QCOMPARE(sequencesOf(ann), QList<qint64>({1}));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 2, y));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 3, x));
        QCOMPARE(sequencesOf(ann), QList<qint64>({1})); // held
        QCOMPARE(setup.replica.heldPresence().size(), 2);
        // Another thread's replica holds for its own members: it is handed each event at once.
        QCOMPARE(thread.calls.mid(1), QStringList({u"event 1"_s, u"event 2"_s, u"event 3"_s}));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 4, y));
        for (const FakeMember *member : {&ann, &bo}) {
            QCOMPARE(sequencesOf(*member), QList<qint64>({1, 2, 3, 4}));
            QCOMPARE(member->batches, QList<qsizetype>({2}));
            QCOMPARE(member->recordNames().mid(1),
                     QStringList({u"joined"_s, u"joined"_s, u"left"_s, u"chat_message"_s}));
        }
        QVERIFY(setup.replica.heldPresence().isEmpty());
        QVERIFY(cy.frames.isEmpty());
    }

    // A joiner waits for its own joined: it goes at once; of the batch the joiner gets only
    // what follows it (what came before is in its chat_state).
    void aJoinerGetsItsOwnJoinedAtOnceAndOnlyWhatFollowsIt()
    {
        BatchingSetup setup;
        FakeMember ann(u"Ann"_s, u"a1"_s, &setup.connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &setup.connections);
        joinAll(setup.replica, {&ann});
        FakeMember x(u"X"_s, u"x9"_s), y(u"Y"_s, u"y9"_s);
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 1, x)); // at once
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 2, y)); // held
        joinAll(setup.replica, {&bo});
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 3, bo));
        QCOMPARE(bo.recordNames(), QStringList({u"chat_state"_s, u"joined"_s}));
        QCOMPARE(sequencesOf(bo), QList<qint64>({3}));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 4, x)); // held
        QCOMPARE(sequencesOf(ann), QList<qint64>({1}));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 5, y));
        QCOMPARE(sequencesOf(ann), QList<qint64>({1, 2, 3, 4, 5}));
        QCOMPARE(sequencesOf(bo), QList<qint64>({3, 4, 5}));
        QCOMPARE(bo.batches, QList<qsizetype>({1}));
    }

    // Whatever the owner sends, what was held before a member's chat_state is not for it: the
    // chat_state has it all.
    void nothingHeldFromBeforeAMembersChatStateReachesIt()
    {
        BatchingSetup setup;
        FakeMember ann(u"Ann"_s, u"a1"_s, &setup.connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &setup.connections);
        joinAll(setup.replica, {&ann});
        FakeMember x(u"X"_s, u"x9"_s);
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 1, x)); // at once
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 2, x));   // held
        joinAll(setup.replica, {&bo});
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 3, ann));
        QCOMPARE(sequencesOf(ann), QList<qint64>({1, 2, 3}));
        QCOMPARE(sequencesOf(bo), QList<qint64>({3}));
    }

    // A member leaving while joined/left are held was a member for them: it gets them with its
    // leave, then its own left; the others get theirs when the window ends.
    void aLeaverGetsWhatWasHeldBeforeItsLeft()
    {
        BatchingSetup setup(20);
        FakeMember ann(u"Ann"_s, u"a1"_s, &setup.connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &setup.connections);
        joinAll(setup.replica, {&ann, &bo});
        FakeMember x(u"X"_s, u"x9"_s);
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, 1, x));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 2, x));
        setup.replica.leave(&bo);
        QCOMPARE(sequencesOf(bo), QList<qint64>({1, 2}));
        setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 3, bo));
        QCOMPARE(sequencesOf(bo), QList<qint64>({1, 2, 3}));
        QCOMPARE(sequencesOf(ann), QList<qint64>({1}));
        // The window's end hands Ann the rest, as one batch.
        QTRY_COMPARE_WITH_TIMEOUT(sequencesOf(ann), QList<qint64>({1, 2, 3}), 10000);
        QCOMPARE(ann.batches, QList<qsizetype>({2}));
        QCOMPARE(bo.batches, QList<qsizetype>({1}));
    }

    // A room filling within one window would hold more than a reader may have queued: the
    // batch goes at once when it reaches its bound.
    void aBatchGoesAtOnceWhenItReachesItsBound()
    {
        BatchingSetup setup;
        FakeMember ann(u"Ann"_s, u"a1"_s, &setup.connections);
        joinAll(setup.replica, {&ann});
        FakeMember x(u"X"_s, u"x9"_s);
        qint64 heldMost = 0;
        for (qint64 sequence = 1; sequence <= 400; ++sequence) {
            setup.replica.deliverEvent(makeEvent(ChatEvent::Kind::Joined, sequence, x));
            heldMost = std::max(heldMost, setup.replica.heldPresence().bytes());
        }
        QVERIFY(heldMost < ChatReplica::kMaxBatchBytes);
        QVERIFY(ann.batches.size() >= 2);
        QCOMPARE(sequencesOf(ann).size() + setup.replica.heldPresence().size(), 400);
        QList<qint64> expected;
        for (qint64 sequence = 1; sequence <= sequencesOf(ann).size(); ++sequence)
            expected.append(sequence);
        QCOMPARE(sequencesOf(ann), expected);
    }

    // Members on other threads: each thread is handed each event once, however many of its
    // members the chat has; their chat_state goes through their thread too.
    void eachThreadGetsAnEventOnce()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        RecordingSink one;
        RecordingSink two;
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &connections);
        FakeMember cy(u"Cy"_s, u"c3"_s, &connections);
        FakeMember dee(u"Dee"_s, u"d4"_s, &connections);
        bo.setRelay(&one);
        cy.setRelay(&one);
        dee.setRelay(&two);
        joinAll(replica, {&ann, &bo, &cy, &dee});
        QCOMPARE(one.calls, QStringList({u"state "_s + bo.connectionId(),
                                         u"state "_s + cy.connectionId()}));
        QCOMPARE(two.calls, QStringList({u"state "_s + dee.connectionId()}));
        QCOMPARE(replica.memberCount(), 4);
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 3, ann));
        QCOMPARE(ann.recordNames(), QStringList({u"chat_state"_s, u"chat_message"_s}));
        QCOMPARE(one.calls.last(), u"event 3"_s);
        QCOMPARE(one.calls.size(), 3);
        QCOMPARE(two.calls.last(), u"event 3"_s);
        // Nothing reaches the relayed members directly: their thread delivers.
        QVERIFY(bo.frames.isEmpty() && cy.frames.isEmpty() && dee.frames.isEmpty());
    }

    // The last member of a thread leaves: its thread still gets the left (its replica there
    // delivers it to the leaver), then nothing more.
    void aThreadsLastLeaverGetsItsLeftThroughItsThread()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        QSignalSpy emptied(&replica, &ChatReplica::emptied);
        RecordingSink thread;
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &connections);
        bo.setRelay(&thread);
        joinAll(replica, {&ann, &bo});
        replica.leave(&bo);
        QCOMPARE(owner.calls.last(), u"leave "_s + bo.connectionId());
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 5, bo));
        QCOMPARE(thread.calls.last(), u"event 5"_s);
        QCOMPARE(ann.recordNames().last(), u"left"_s);
        QVERIFY(bo.frames.isEmpty());
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Message, 6, ann));
        QCOMPARE(thread.calls.last(), u"event 5"_s);
        QCOMPARE(emptied.count(), 0);
        replica.drop(&ann);
        QCOMPARE(emptied.count(), 1);
    }

    void aDroppedThreadMemberStopsItsThreadsDeliveries()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        RecordingSink thread;
        FakeMember ann(u"Ann"_s, u"a1"_s, &connections);
        FakeMember bo(u"Bo"_s, u"b2"_s, &connections);
        bo.setRelay(&thread);
        joinAll(replica, {&ann, &bo});
        replica.drop(&bo);
        QCOMPARE(owner.calls.last(), u"drop "_s + bo.connectionId());
        replica.deliverEvent(makeEvent(ChatEvent::Kind::Left, 4, bo));
        QCOMPARE(thread.calls, QStringList({u"state "_s + bo.connectionId()}));
        QCOMPARE(ann.recordNames().last(), u"left"_s);
    }

    void aRefusedThreadMemberHearsThroughItsThread()
    {
        RemoteSetup remote;
        auto &[connections, owner, replica] = remote;
        RecordingSink thread;
        FakeMember bo(u"Bo"_s, u"b2"_s, &connections);
        bo.setRelay(&thread);
        replica.join(&bo);
        replica.refuseJoin(u"r"_s, bo.connectionId(), protocol::ErrorCode::TooManyRooms, u"full"_s);
        QCOMPARE(thread.calls, QStringList({u"refused "_s + bo.connectionId()}));
        QVERIFY(bo.refusals.isEmpty());
        QVERIFY(replica.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestChatReplica)
#include "tst_chatreplica.moc"
