// What one client must not be able to do to a server and its other users, each against a
// real server process: make it hold unbounded data with pings it never reads the answers to,
// get a whole room dropped with one burst, make a room unjoinable with a big roster, or send
// faster than its rate for long. And oversized messages get their protocol_error.

#include "shared/clientrecordencoder.h"
#include "tests/support/crowd.h"
#include "tests/support/rawclient.h"
#include "tests/support/processmemory.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::test::Crowd;
using flack::test::maskedFrame;
using flack::test::maskedTextFrame;
using flack::test::NonReadingClient;
using flack::test::residentKiB;
using flack::test::ServerProcess;
using flack::test::WsTestClient;
namespace protocol = flack::protocol;

namespace {

QByteArray chatMessage(QStringView chat, qsizetype textLength)
{
    return protocol::encodeClientChatMessage(chat, QString(textLength, u'x'));
}

// Opens client on server, logs in as name and joins chat: the user id, empty if any step failed.
QString enter(WsTestClient &client, ServerProcess &server, const QString &name, const QString &chat)
{
    if (!client.open(server.chatUrl()))
        return {};
    const QString id = client.login(name);
    if (!id.isEmpty() && client.join(chat).value(u"record"_s).toString() != u"chat_state")
        return {};
    return id;
}

} // namespace

class TestHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Pings answered with pongs that are never read used to pile up without bound (+1.3 GB
    // in 15 s at a 1 MiB cap). Every byte queued counts against the cap now.
    void unreadPongsCountAgainstTheQueueCap()
    {
        ServerProcess server({u"--max-queued-bytes"_s, u"1048576"_s, u"--idle-timeout"_s, u"0"_s});
        QVERIFY2(server.start(), server.output().constData());
        const qint64 pid = server.process().processId();
        const qint64 rssBefore = residentKiB(pid);

        NonReadingClient pinger;
        QVERIFY(pinger.connectTo(server.port()));
        QVERIFY(pinger.upgrade());
        QVERIFY(pinger.send(maskedTextFrame(protocol::encodeClientHello(u"1.0")) +
                            maskedTextFrame(protocol::encodeAuthenticate(u"pinger"))));
        // 500 pings of 125 bytes per batch: each one asks for a 127-byte pong.
        QByteArray batch;
        for (int i = 0; i < 500; ++i)
            batch += maskedFrame(0x9, QByteArray(125, 'p'));
        qint64 sent = 0;
        qint64 rssPeak = rssBefore;
        QDeadlineTimer deadline(60000);
        bool hungUp = false;
        while (!deadline.hasExpired()) {
            if (!pinger.send(batch) || pinger.waitForHangUp(0)) {
                hungUp = true;
                break;
            }
            sent += batch.size();
            rssPeak = std::max(rssPeak, residentKiB(pid));
        }
        hungUp = hungUp || pinger.waitForHangUp(10000);
        QVERIFY2(hungUp, qPrintable(QStringLiteral("still connected after %1 MB of pings, "
                                                   "server RSS +%2 MB")
                                        .arg(sent >> 20)
                                        .arg((rssPeak - rssBefore) >> 10)));
        qInfo("reset after %lld KB of pings; server RSS peak +%lld KiB", sent >> 10,
              rssPeak - rssBefore);
        // At most twice the cap waits for a reader, plus one read's worth of pongs.
        QVERIFY2(rssPeak - rssBefore < flack::test::kBoundedGrowthKiB,
                 qPrintable(QStringLiteral("server RSS grew by %1 KiB").arg(rssPeak - rssBefore)));
        WsTestClient fresh;
        QVERIFY(fresh.open(server.chatUrl()));
        QVERIFY(!fresh.login(u"fresh"_s).isEmpty());
        QCOMPARE(server.terminate(), 0);
    }

    // A burst of maximum-size messages used to get every fast reader of the room dropped as a
    // "slow reader": all of it was queued for everyone before anything was written.
    void aBurstDoesNotDropFastReaders()
    {
        // No rate limit: the queue rule alone must hold.
        ServerProcess server({u"--max-queued-bytes"_s, u"1048576"_s,
                              u"--max-messages-per-second"_s, u"0"_s});
        QVERIFY2(server.start(), server.output().constData());
        Crowd readers(server.chatUrl());
        QVERIFY(readers.open(20, 20, 20000));
        for (size_t i = 0; i < readers.size(); ++i)
            readers.loginAndJoin(i, u"reader"_s + QString::number(i), u"burst"_s);
        QVERIFY(Crowd::waitFor(
            [&] { return readers.countWhere([](const auto &m) { return m.gotChatState; }) == 20; },
            20000));
        WsTestClient sender;
        QVERIFY(!enter(sender, server, u"sender"_s, u"burst"_s).isEmpty());
        // 25 messages just under 64 KiB each: 1.6 MB, over the 1 MiB cap, in one go.
        constexpr int kMessages = 25;
        for (int i = 0; i < kMessages; ++i)
            sender.sendText(chatMessage(u"burst", 65000));
        const bool allArrived = Crowd::waitFor(
            [&] {
                return readers.countWhere([](const auto &m) {
                           return m.messages.size() == kMessages || m.disconnected;
                       }) == readers.size();
            },
            60000);
        QCOMPARE(readers.countWhere([](const auto &m) { return m.disconnected; }), size_t(0));
        QVERIFY(allArrived);
        QVERIFY2(readers.allProblems().isEmpty(), qPrintable(readers.allProblems().join(u'\n')));
        QCOMPARE(server.terminate(), 0);
    }

    // A chat_state bigger than the queue cap used to reset every joiner: a room full of long
    // names could be made unjoinable.
    void aChatStateBiggerThanTheQueueCapReachesTheJoiner()
    {
        ServerProcess server({u"--max-queued-bytes"_s, u"65536"_s});
        QVERIFY2(server.start(), server.output().constData());
        Crowd crowd(server.chatUrl());
        constexpr size_t kMembers = 500;
        constexpr size_t kBatch = 25;
        QVERIFY(crowd.open(kMembers, 100, 20000));
        // 250-byte names: the roster is well over twice the cap (~150 KB). They join a batch at
        // a time, so the joined records they get stay far under the cap (this one test
        // process reads all of them).
        for (size_t first = 0; first < kMembers; first += kBatch) {
            for (size_t i = first; i < first + kBatch; ++i)
                crowd.loginAndJoin(i, QString(240, u'n') + QString::number(i + 1000000), u"big"_s);
            QVERIFY(Crowd::waitFor(
                [&] {
                    return crowd.countWhere([](const auto &m) { return m.gotChatState; }) ==
                           first + kBatch;
                },
                30000));
        }
        QCOMPARE(crowd.countWhere([](const auto &m) { return m.disconnected; }), size_t(0));
        WsTestClient joiner;
        QVERIFY(joiner.open(server.chatUrl()));
        QVERIFY(!joiner.login(u"joiner"_s).isEmpty());
        joiner.sendText(protocol::encodeJoinChat(u"big"));
        const QJsonObject state = joiner.nextOf(u"chat_state", 30000);
        QVERIFY2(!state.isEmpty(), "the joiner got no chat_state");
        QCOMPARE(state.value(u"users"_s).toArray().size(), qsizetype(kMembers));
        QVERIFY(joiner.isConnected());
        QCOMPARE(server.terminate(), 0);
    }

    // --signed-user-ids: a client gets its own id back when it reconnects, never one it made
    // up (someone else's).
    void signedUserIdsCannotBeInvented()
    {
        ServerProcess server({u"--signed-user-ids"_s});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient first;
        QVERIFY(first.open(server.chatUrl()));
        const QString issued = first.login(u"ann"_s);
        QCOMPARE(issued.size(), 32);
        WsTestClient again;
        QVERIFY(again.open(server.chatUrl()));
        QCOMPARE(again.login(u"ann"_s, issued), issued);
        WsTestClient thief;
        QVERIFY(thief.open(server.chatUrl()));
        const QString invented = u"0123456789abcdef0123456789abcdef"_s;
        const QString given = thief.login(u"mallory"_s, invented);
        QVERIFY(!given.isEmpty());
        QVERIFY(given != invented);
        QCOMPARE(server.terminate(), 0);

        // Without the option, protocol 1.0 lets a client choose its id.
        ServerProcess open;
        QVERIFY2(open.start(), open.output().constData());
        WsTestClient chooser;
        QVERIFY(chooser.open(open.chatUrl()));
        QCOMPARE(chooser.login(u"mallory"_s, invented), invented);
        QCOMPARE(open.terminate(), 0);
    }

    void namesAreMeasuredAsSent()
    {
        ServerProcess server;
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient client;
        QVERIFY(client.open(server.chatUrl()));
        client.sendText(protocol::encodeClientHello(u"1.0"));
        QCOMPARE(client.next().value(u"record"_s).toString(), u"server_hello"_s);
        // 256 UTF-8 bytes, but 1,536 bytes of JSON in every roster that carries it.
        client.sendText(protocol::encodeAuthenticate(QString(256, QChar(0x01))));
        const QJsonObject error = client.nextOf(u"protocol_error");
        QCOMPARE(error.value(u"code"_s).toString(), u"CHAT_LIMIT-002"_s);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(server.terminate(), 0);
    }

    void anOversizedMessageGetsChatLimit001()
    {
        ServerProcess server({u"--max-message-bytes"_s, u"4096"_s});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient client;
        QVERIFY(!enter(client, server, u"big"_s, u"a"_s).isEmpty());
        client.sendText(chatMessage(u"a", 5000));
        const QJsonObject error = client.nextOf(u"protocol_error");
        QCOMPARE(error.value(u"code"_s).toString(), u"CHAT_LIMIT-001"_s);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

        // Beyond twice the limit the websocket layer refuses it unread: 1009.
        WsTestClient huge;
        QVERIFY(huge.open(server.chatUrl()));
        QVERIFY(!huge.login(u"huge"_s).isEmpty());
        huge.sendText(chatMessage(u"a", 9000));
        QVERIFY(huge.waitForDisconnected());
        QCOMPARE(huge.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(server.terminate(), 0);
    }

    // A paste longer than the burst is delivered whole and in order, at the rate.
    void aPasteOverTheBurstArrivesWholeAndInOrder()
    {
        ServerProcess server({u"--max-messages-per-second"_s, u"50"_s, u"--message-burst"_s,
                              u"10"_s});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient reader;
        QVERIFY(!enter(reader, server, u"reader"_s, u"paste"_s).isEmpty());
        WsTestClient paster;
        QVERIFY(!enter(paster, server, u"paster"_s, u"paste"_s).isEmpty());
        constexpr int kLines = 100; // 1.8 s at 50 a second after the burst: inside the 4 s window
        for (int i = 0; i < kLines; ++i)
            paster.sendText(protocol::encodeClientChatMessage(u"paste", QString::number(i)));
        for (int i = 0; i < kLines; ++i) {
            const QJsonObject message = reader.nextOf(u"chat_message", 15000);
            QCOMPARE(message.value(u"message"_s).toString(), QString::number(i));
        }
        QVERIFY(paster.isConnected());
        QCOMPARE(server.terminate(), 0);
    }

    // Sending faster than the rate, on and on, ends with CHAT_LIMIT-005; the room is unharmed.
    void aSustainedFlooderGetsChatLimit005()
    {
        ServerProcess server({u"--max-messages-per-second"_s, u"20"_s, u"--message-burst"_s,
                              u"20"_s});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient reader;
        QVERIFY(!enter(reader, server, u"reader"_s, u"flood"_s).isEmpty());
        WsTestClient flooder;
        QVERIFY(!enter(flooder, server, u"flooder"_s, u"flood"_s).isEmpty());
        QDeadlineTimer deadline(30000);
        int sent = 0;
        while (flooder.isConnected() && !deadline.hasExpired()) {
            for (int i = 0; i < 50; ++i)
                flooder.sendText(protocol::encodeClientChatMessage(u"flood", QString::number(sent++)));
            QTest::qWait(10); // a turn of the event loop for the socket; not a timing assumption
        }
        QVERIFY2(!flooder.isConnected(), "the flooder was never stopped");
        const QJsonObject error = flooder.nextOf(u"protocol_error", 5000);
        QCOMPARE(error.value(u"code"_s).toString(), u"CHAT_LIMIT-005"_s);
        QCOMPARE(flooder.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        // The reader saw what was let through, in order and without gaps, then the left.
        int expected = 0;
        for (QJsonObject record = reader.next(10000); !record.isEmpty(); record = reader.next(2000)) {
            const QString name = record.value(u"record"_s).toString();
            if (name == u"left")
                break;
            if (name == u"joined")
                continue; // the flooder's own
            QCOMPARE(name, u"chat_message"_s);
            QCOMPARE(record.value(u"message"_s).toString(), QString::number(expected++));
        }
        QVERIFY(expected > 20);
        QVERIFY2(expected < sent, "everything the flooder sent was let through");
        QVERIFY(reader.isConnected());
        QCOMPARE(server.terminate(), 0);
    }

    // A reconnect used to bring a full burst: a flooder that reconnected each time its bucket
    // was empty sent at its reconnect rate (22,869 msgs/s in `flack-bench flood
    // --flood-reconnect`). Now a new connection carries on from what the last one from its
    // address left, so the address's connections, one after the other, get through no more
    // than one bucket would: the burst plus the rate for the time since the first opened.
    void aReconnectDoesNotRefillTheRate()
    {
        constexpr int kRate = 2;
        constexpr int kBurst = 10;
        constexpr int kLoginFrames = 3; // client_hello, authenticate, join: frames count too
        ServerProcess server({u"--max-messages-per-second"_s, QString::number(kRate),
                              u"--message-burst"_s, QString::number(kBurst)});
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient reader;
        QVERIFY(!enter(reader, server, u"reader"_s, u"rejoin"_s).isEmpty());

        QElapsedTimer sinceFirstOpened;
        sinceFirstOpened.start();
        QString firstId;
        {
            WsTestClient first;
            firstId = enter(first, server, u"first"_s, u"rejoin"_s);
            QVERIFY(!firstId.isEmpty());
            for (int i = 0; i < kBurst; ++i)
                first.sendText(protocol::encodeClientChatMessage(u"rejoin", u"first %1"_s.arg(i)));
            for (int i = 0; i < kBurst; ++i)
                QCOMPARE(reader.nextOf(u"chat_message").value(u"message"_s).toString(),
                         u"first %1"_s.arg(i));
            first.socket().close();
            QVERIFY(first.waitForDisconnected());
        }
        QCOMPARE(reader.nextOf(u"left").value(u"user_id"_s).toString(), firstId);

        WsTestClient second;
        QVERIFY(!enter(second, server, u"second"_s, u"rejoin"_s).isEmpty());
        // Fewer than the rate lets wait in 4 s, so they are paced rather than refused as a flood.
        constexpr int kSent = 6;
        for (int i = 0; i < kSent; ++i)
            second.sendText(protocol::encodeClientChatMessage(u"rejoin", u"second %1"_s.arg(i)));
        int received = 0;
        while (received < kSent) {
            const QJsonObject record = reader.next(10000);
            const QString name = record.value(u"record"_s).toString();
            QVERIFY2(name != u"left" && !record.isEmpty(),
                     qPrintable(u"after %1 messages: %2"_s.arg(received).arg(name)));
            if (name != u"chat_message")
                continue; // the second one's joined
            QCOMPARE(record.value(u"message"_s).toString(), u"second %1"_s.arg(received));
            ++received;
            const qint64 elapsedMs = sinceFirstOpened.elapsed();
            const qint64 passed = 2 * kLoginFrames + kBurst + received;
            const qint64 allowed = kBurst + kRate * elapsedMs / 1000 + 1;
            QVERIFY2(passed <= allowed,
                     qPrintable(u"%1 frames from one address let through after %2 ms; the "
                                "rate allows %3"_s.arg(passed).arg(elapsedMs).arg(allowed)));
        }
        QVERIFY(second.isConnected());
        QVERIFY(reader.isConnected());
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "tst_hardening.moc"
