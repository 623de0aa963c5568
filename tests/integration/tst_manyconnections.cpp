// 5,000 concurrent joined websocket connections against one real flack-server: all authenticate
// and join, every joined event reaches every member, and a message in one room reaches exactly
// that room's members.

#include "shared/clientrecordencoder.h"
#include "tests/support/crowd.h"
#include "tests/support/serverprocess.h"

#include <QElapsedTimer>
#include <QTest>

#include <sys/resource.h>

using namespace flack::test;

namespace {
constexpr size_t kConnections = 5000;
constexpr size_t kRooms = 50;
constexpr size_t kPerRoom = kConnections / kRooms;
// Handshakes in flight at once: well under the listen backlog, so nothing depends on SYN
// retries and the run is the same every time.
constexpr size_t kBatch = 200;

QString roomName(size_t index)
{
    return QStringLiteral("crowd-%1").arg(index % kRooms);
}
} // namespace

class TestManyConnections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fiveThousandJoinedConnections();
};

void TestManyConnections::initTestCase()
{
    // Our end of every connection is a descriptor too; the usual soft limit of 1024 is not
    // enough. The server raises its own.
    rlimit limit{};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = limit.rlim_max;
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &limit), 0);
    QVERIFY2(limit.rlim_cur >= kConnections + 200,
             qPrintable(QStringLiteral("RLIMIT_NOFILE hard limit %1 is too low for %2 connections")
                            .arg(limit.rlim_max)
                            .arg(kConnections)));
}

void TestManyConnections::fiveThousandJoinedConnections()
{
    ServerProcess server({QStringLiteral("--log-level"), QStringLiteral("warning")});
    QVERIFY2(server.start(), server.output().constData());
    QElapsedTimer timer;
    timer.start();

    Crowd crowd(server.chatUrl());
    for (size_t begin = 0; begin < kConnections; begin += kBatch) {
        QVERIFY2(crowd.open(kBatch, kBatch, 20000),
                 qPrintable(QStringLiteral("batch at %1 did not connect").arg(begin)));
        // Log the batch in at once: its traffic overlaps the next batch's handshakes.
        for (size_t i = begin; i < begin + kBatch; ++i)
            crowd.loginAndJoin(i, QStringLiteral("user%1").arg(i), roomName(i));
    }
    QCOMPARE(crowd.size(), kConnections);
    qInfo("connected %zu in %lld ms", kConnections, qint64(timer.elapsed()));

    Crowd::waitFor(
        [&] {
            return crowd.countWhere([](const Crowd::Member &m) {
                return m.authenticated && m.gotChatState;
            }) == kConnections;
        },
        30000);
    QCOMPARE(
        crowd.countWhere([](const Crowd::Member &m) { return m.authenticated && m.gotChatState; }),
        kConnections);
    // The j-th joiner of a room sees joined for itself and everyone after it, so a room of n
    // delivers n(n+1)/2 joined records in total.
    const auto joinedTotal = [&] {
        size_t total = 0;
        for (const Crowd::Member &member : crowd.members())
            total += size_t(member.joinedSeen);
        return total;
    };
    constexpr size_t kExpectedJoined = kRooms * kPerRoom * (kPerRoom + 1) / 2;
    Crowd::waitFor([&] { return joinedTotal() >= kExpectedJoined; }, 30000);
    QCOMPARE(joinedTotal(), kExpectedJoined);
    QCOMPARE(
        crowd.countWhere([](const Crowd::Member &m) { return m.connected && !m.disconnected; }),
        kConnections);
    qInfo("all joined after %lld ms", qint64(timer.elapsed()));

    // A message in room 7 reaches all its members and no one else.
    const size_t sender = 7;
    crowd[sender].socket->sendTextMessage(QString::fromUtf8(
        flack::protocol::encodeClientChatMessage(roomName(sender), u"hello crowd")));
    const auto inRoom = [&](const Crowd::Member &m) { return m.chatName == roomName(sender); };
    QTRY_COMPARE_WITH_TIMEOUT(crowd.countWhere([&](const Crowd::Member &m) {
        return inRoom(m) && m.messages == QStringList{QStringLiteral("hello crowd")};
    }),
                              kPerRoom, 20000);
    // A second message, in another room, fences the first: once it has arrived everywhere it
    // should, a leak of the first into other rooms would have arrived too.
    const size_t otherSender = 8;
    crowd[otherSender].socket->sendTextMessage(QString::fromUtf8(
        flack::protocol::encodeClientChatMessage(roomName(otherSender), u"fence")));
    QTRY_COMPARE_WITH_TIMEOUT(crowd.countWhere([&](const Crowd::Member &m) {
        return m.chatName == roomName(otherSender) && m.messages.size() == 1;
    }),
                              kPerRoom, 20000);
    QCOMPARE(crowd.countWhere([](const Crowd::Member &m) { return !m.messages.isEmpty(); }),
             2 * kPerRoom);
    QVERIFY2(crowd.allProblems().isEmpty(), qPrintable(crowd.allProblems().mid(0, 5).join(u'\n')));
    QCOMPARE(crowd.countWhere([](const Crowd::Member &m) { return m.disconnected; }), size_t(0));
    qInfo("done after %lld ms", qint64(timer.elapsed()));

    QCOMPARE(server.terminate(30000), 0);
}

QTEST_GUILESS_MAIN(TestManyConnections)
#include "tst_manyconnections.moc"
