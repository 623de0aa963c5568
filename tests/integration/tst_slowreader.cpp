// A client that stops reading must not make the server hold unbounded data or slow the
// others: once more than --max-queued-bytes wait for it, it is dropped, the room hears that
// it left, and everyone else carries on.

#include "shared/clientrecordencoder.h"
#include "tests/support/rawclient.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::test::maskedTextFrame;
using flack::test::NonReadingClient;
using flack::test::ServerProcess;
using flack::test::WsTestClient;
namespace protocol = flack::protocol;

namespace {

// Upgrades, waits for the handshake answer, then sends hello, authenticate and join_chat.
bool joinWithoutReading(NonReadingClient &client, quint16 port, QStringView chat)
{
    return client.connectTo(port) && client.upgrade() &&
           client.send(maskedTextFrame(protocol::encodeClientHello(u"1.0")) +
                       maskedTextFrame(protocol::encodeAuthenticate(u"lurker")) +
                       maskedTextFrame(protocol::encodeJoinChat(chat)));
}

// A room where a talker floods and a lurker (joined without reading) sits; the talker reads
// its own echoes and watches for the lurker's `left`.
class FloodedRoom
{
public:
    // Talker joins, then the lurker; true once the talker has seen the lurker join.
    bool open(ServerProcess &server)
    {
        if (!talker.open(server.chatUrl()) || talker.login(u"talker"_s).isEmpty())
            return false;
        talker.join(u"flood"_s);
        if (!joinWithoutReading(lurker, server.port(), u"flood"))
            return false;
        const QJsonObject joined = talker.nextOf(u"joined");
        m_lurkerId = joined.value(u"user_id"_s).toString();
        return joined.value(u"user_name"_s).toString() == u"lurker" && !m_lurkerId.isEmpty();
    }

    // Sends `rounds` × 50 messages of 900 bytes, reading the echoes of each round; stops
    // early once the lurker left if asked to. False if the talker stopped receiving.
    bool flood(int rounds, bool stopWhenLurkerLeft)
    {
        const QString text(900, u'x');
        for (int round = 0; round < rounds; ++round) {
            if (stopWhenLurkerLeft && lurkerLeft)
                return true;
            for (int i = 0; i < 50; ++i)
                talker.sendText(protocol::encodeClientChatMessage(u"flood", text));
            for (int echoes = 0; echoes < 50 && !(stopWhenLurkerLeft && lurkerLeft);) {
                const QJsonObject record = talker.next(10000);
                if (record.isEmpty())
                    return false;
                echoes += take(record) == u"chat_message" ? 1 : 0;
            }
        }
        return true;
    }

    // Pings (so the talker is never idle itself) until the lurker left or time is up.
    bool pingUntilLurkerLeft(int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!lurkerLeft && !deadline.hasExpired()) {
            talker.sendText(protocol::encodePing());
            for (QString name; name != u"ping_reply";) {
                const QJsonObject record = talker.next(10000);
                if (record.isEmpty())
                    return false;
                name = take(record);
            }
            const QJsonObject maybeLeft = talker.next(250); // empty when nothing came
            if (!maybeLeft.isEmpty())
                take(maybeLeft);
        }
        return lurkerLeft;
    }

    WsTestClient talker;
    NonReadingClient lurker;
    bool lurkerLeft = false;

private:
    QString take(const QJsonObject &record)
    {
        const QString name = record.value(u"record"_s).toString();
        if (name == u"left" && record.value(u"user_id"_s).toString() == m_lurkerId)
            lurkerLeft = true;
        return name;
    }

    QString m_lurkerId;
};

// After the trouble, a newcomer is still served.
bool newcomerServed(ServerProcess &server)
{
    WsTestClient fresh;
    return fresh.open(server.chatUrl()) && !fresh.login(u"fresh"_s).isEmpty();
}

} // namespace

class TestSlowReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nonReaderIsDroppedAndOthersCarryOn()
    {
        // The talker floods on purpose: no rate limit here, the queue rule is under test.
        ServerProcess server({u"--max-queued-bytes"_s, u"65536"_s,
                              u"--max-messages-per-second"_s, u"0"_s});
        QVERIFY2(server.start(), server.output().constData());
        FloodedRoom room;
        QVERIFY(room.open(server));

        // 2 MB at most: far beyond the 64 KiB cap plus the kernel's buffers.
        QVERIFY2(room.flood(40, true), "the talker stopped receiving");
        // Where the kernel's buffers took most of the flood, the lurker's queue may be over the
        // cap but under twice it: then it goes at the end of its grace period, which a fast
        // flood can beat. Wait for that, with a deadline.
        QVERIFY2(room.lurkerLeft || room.pingUntilLurkerLeft(15000),
                 "the non-reading client was never dropped");
        room.talker.sendText(protocol::encodePing());
        QVERIFY(!room.talker.nextOf(u"ping_reply").isEmpty());
        QVERIFY(newcomerServed(server));
        QCOMPARE(server.terminate(), 0);
    }

    // A close (here the idle close) can't complete while the peer reads nothing; the server
    // must still let go of the connection instead of holding it and its queue forever.
    void stuckCloseIsDropped()
    {
        ServerProcess server({u"--idle-timeout"_s, u"2"_s, u"--max-queued-bytes"_s, u"67108864"_s,
                              u"--max-messages-per-second"_s, u"0"_s});
        QVERIFY2(server.start(), server.output().constData());
        FloodedRoom room;
        QVERIFY(room.open(server));

        // ~7 MB, under the 64 MiB queue cap (no slow-reader drop) but more than the kernel's
        // socket buffers take, so most of it waits in the server.
        QVERIFY2(room.flood(160, false), "the talker stopped receiving");
        // The idle close (2 s after the lurker's last frame) takes it out of the room...
        QVERIFY2(room.pingUntilLurkerLeft(15000), "the idle lurker never left the room");
        // ...and, its close never completing (nothing is read), the server drops the
        // connection after its grace period instead of holding it and its queue forever.
        QVERIFY2(room.lurker.waitForHangUp(20000), "the server kept the stuck connection");
        QVERIFY(newcomerServed(server));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSlowReader)
#include "tst_slowreader.moc"
