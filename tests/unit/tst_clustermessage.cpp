// The cluster messages' CBOR codec: every message round-trips, and the decoders refuse what a
// hostile or broken peer could send: wrong types, missing or extra keys, empty or oversized
// values, out-of-range numbers, and bytes that aren't CBOR at all.

#include "server/cluster/clustermessage.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace flack::server::cluster;
using flack::server::rooms::ChatEvent;
using flack::server::rooms::MemberInfo;

namespace {
MemberInfo ann()
{
    return {u"n1/abc/1"_s, u"ann-id"_s, u"Ann ☃"_s, u"n1"_s};
}
QByteArray cbor(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}
} // namespace

class TestClusterMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyMessageRoundTrips()
    {
        const auto gossip = decodeGossip(encodeGossip({{u"n1"_s, 42, u"127.0.0.1:9001"_s}}));
        QVERIFY(gossip);
        QCOMPARE(gossip->size(), 1);
        QCOMPARE(gossip->first().incarnation, quint64(42));
        QCOMPARE(gossip->first().address, u"127.0.0.1:9001"_s);

        const auto join = decodeJoin(encodeJoin(u"lobby"_s, ann()));
        QVERIFY(join);
        QCOMPARE(join->first, u"lobby"_s);
        QCOMPARE(join->second.userName, u"Ann ☃"_s);
        QVERIFY(join->second.node.isEmpty()); // a node speaks for itself: not carried

        const auto leave = decodeMemberRequest(encodeMemberRequest(u"lobby"_s, u"c1"_s));
        QVERIFY(leave);
        QCOMPARE(leave->second, u"c1"_s);

        const PostRequest post{u"lobby"_s, u"c1"_s, u"text/plain"_s, u"hi \"there\""_s, u"o-1"_s};
        const auto decodedPost = decodePost(encodePost(post));
        QVERIFY(decodedPost);
        QCOMPARE(decodedPost->message, post.message);
        QCOMPARE(decodedPost->originId, post.originId);

        const auto state = decodeState(encodeState({u"lobby"_s, u"c1"_s, "{\"x\":1}", {ann()}}));
        QVERIFY(state);
        QCOMPARE(state->json, QByteArray("{\"x\":1}"));
        QCOMPARE(state->roster.size(), size_t(1));
        QCOMPARE(state->roster[0].node, u"n1"_s);

        ChatEvent event{u"lobby"_s, ChatEvent::Kind::Left, 99, ann(), {}, "{\"left\":1}"};
        const auto decodedEvent = decodeEvent(encodeEvent(event));
        QVERIFY(decodedEvent);
        QCOMPARE(decodedEvent->kind, ChatEvent::Kind::Left);
        QCOMPARE(decodedEvent->sequence, 99);
        QCOMPARE(decodedEvent->json, event.json);
        QCOMPARE(decodedEvent->subject.connectionId, ann().connectionId);

        const auto refuse = decodeRefuse(encodeRefuse(
            {u"lobby"_s, u"c1"_s, flack::protocol::ErrorCode::TooManyRooms, u"full"_s}));
        QVERIFY(refuse);
        QCOMPARE(refuse->code, flack::protocol::ErrorCode::TooManyRooms);

        AttachRequest attach{u"lobby"_s, 7, {ann()}, {ann(), ann()}};
        const auto decodedAttach = decodeAttach(encodeAttach(attach));
        QVERIFY(decodedAttach);
        QCOMPARE(decodedAttach->lastSequence, 7);
        QCOMPARE(decodedAttach->members.size(), size_t(1));
        QCOMPARE(decodedAttach->roster.size(), size_t(2));

        QCOMPARE(decodeMoved(encodeMoved(u"lobby"_s)).value_or(QString()), u"lobby"_s);
    }

    void notCborOrNotAMapIsRefused_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\xff\xfe\x00garbage", 10);
        QTest::newRow("array") << QCborValue(QCborArray{1, 2}).toCbor();
        QTest::newRow("string") << QCborValue(u"x"_s).toCbor();
        QTest::newRow("truncated map") << encodeMoved(u"lobby"_s).chopped(2);
    }
    void notCborOrNotAMapIsRefused()
    {
        QFETCH(QByteArray, payload);
        QVERIFY(!decodeGossip(payload));
        QVERIFY(!decodeJoin(payload));
        QVERIFY(!decodeMemberRequest(payload));
        QVERIFY(!decodePost(payload));
        QVERIFY(!decodeState(payload));
        QVERIFY(!decodeEvent(payload));
        QVERIFY(!decodeRefuse(payload));
        QVERIFY(!decodeAttach(payload));
        QVERIFY(!decodeMoved(payload));
    }

    void badFieldsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("type");
        const int moved = int(ClusterMessageType::Moved);
        const int event = int(ClusterMessageType::Event);
        const int post = int(ClusterMessageType::Post);
        const int attach = int(ClusterMessageType::Attach);
        const int refuse = int(ClusterMessageType::Refuse);
        QTest::newRow("moved: empty chat") << cbor({{u"c"_s, u""_s}}) << moved;
        QTest::newRow("moved: chat is a number") << cbor({{u"c"_s, 5}}) << moved;
        QTest::newRow("moved: extra key") << cbor({{u"c"_s, u"x"_s}, {u"z"_s, 1}}) << moved;
        QTest::newRow("moved: oversized chat")
            << cbor({{u"c"_s, QString(kMaxNameChars + 1, u'a')}}) << moved;
        const QCborMap member{
            {u"i"_s, u"c1"_s}, {u"u"_s, u"u"_s}, {u"n"_s, u"n"_s}, {u"o"_s, u"n1"_s}};
        const QCborMap goodEvent{{u"c"_s, u"x"_s}, {u"k"_s, 3},     {u"s"_s, 5},
                                 {u"m"_s, member}, {u"g"_s, u""_s}, {u"j"_s, QByteArray("{}")}};
        QVERIFY(decodeEvent(cbor(goodEvent))); // the base the rows below break
        auto with = [&](const QString &key, const QCborValue &value) {
            QCborMap copy = goodEvent;
            copy.insert(key, value);
            return cbor(copy);
        };
        auto without = [&](const QString &key) {
            QCborMap copy = goodEvent;
            copy.remove(key);
            return cbor(copy);
        };
        QTest::newRow("event: kind 0") << with(u"k"_s, 0) << event;
        QTest::newRow("event: kind 4") << with(u"k"_s, 4) << event;
        QTest::newRow("event: sequence 0") << with(u"s"_s, 0) << event;
        QTest::newRow("event: sequence negative") << with(u"s"_s, -3) << event;
        QTest::newRow("event: sequence a string") << with(u"s"_s, u"5"_s) << event;
        QTest::newRow("event: json empty") << with(u"j"_s, QByteArray()) << event;
        QTest::newRow("event: json as text") << with(u"j"_s, u"{}"_s) << event;
        QTest::newRow("event: member not a map") << with(u"m"_s, 1) << event;
        QTest::newRow("event: member without node")
            << with(u"m"_s, QCborMap{{u"i"_s, u"c1"_s}, {u"u"_s, u"u"_s}, {u"n"_s, u"n"_s}})
            << event;
        QTest::newRow("event: no origin") << without(u"g"_s) << event;
        QTest::newRow("event: extra key") << with(u"zz"_s, 1) << event;
        QTest::newRow("post: empty message") << cbor({{u"c"_s, u"x"_s},
                                                      {u"i"_s, u"c1"_s},
                                                      {u"t"_s, u"text/plain"_s},
                                                      {u"x"_s, u""_s},
                                                      {u"g"_s, u"o"_s}})
                                             << post;
        QTest::newRow("attach: members not an array")
            << cbor({{u"c"_s, u"x"_s}, {u"s"_s, 1}, {u"m"_s, 1}, {u"r"_s, QCborArray()}}) << attach;
        QTest::newRow("attach: a member missing its id")
            << cbor({{u"c"_s, u"x"_s},
                     {u"s"_s, 1},
                     {u"m"_s, QCborArray{QCborMap{{u"u"_s, u"u"_s}, {u"n"_s, u"n"_s}}}},
                     {u"r"_s, QCborArray()}})
            << attach;
        QTest::newRow("refuse: unknown error code")
            << cbor({{u"c"_s, u"x"_s}, {u"i"_s, u"c1"_s}, {u"e"_s, 99}, {u"why"_s, u"x"_s}})
            << refuse;
    }
    void badFieldsAreRefused()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, type);
        switch (ClusterMessageType(type)) {
        case ClusterMessageType::Moved:
            QVERIFY(!decodeMoved(payload));
            break;
        case ClusterMessageType::Event:
            QVERIFY(!decodeEvent(payload));
            break;
        case ClusterMessageType::Post:
            QVERIFY(!decodePost(payload));
            break;
        case ClusterMessageType::Attach:
            QVERIFY(!decodeAttach(payload));
            break;
        case ClusterMessageType::Refuse:
            QVERIFY(!decodeRefuse(payload));
            break;
        default:
            QFAIL("row for a type this test doesn't handle");
        }
    }

    void gossipBoundsAreEnforced()
    {
        QList<GossipMember> many;
        for (int i = 0; i <= kMaxGossipMembers; ++i)
            many.append({u"n%1"_s.arg(i), 1, u"h:1"_s});
        QVERIFY(!decodeGossip(encodeGossip(many)));
        many.removeLast();
        QVERIFY(decodeGossip(encodeGossip(many)));
        QVERIFY(!decodeGossip(encodeGossip({{u"n1"_s, 0, u"h:1"_s}}))); // incarnations start at 1
        QVERIFY(!decodeGossip(encodeGossip({{QString(256, u'n'), 1, u"h:1"_s}})));
    }
};

QTEST_GUILESS_MAIN(TestClusterMessage)
#include "tst_clustermessage.moc"
