// A network partition for real: three flack-server processes, each in its own network namespace
// on its own address, clustered over a bridge (tests/support/netnslab.h). Clients in the test's
// namespace reach every node over a separate link, so each side of the cut keeps its users.
// Node n3's port on the cluster switch goes down: each side carries on, and the users across the
// cut get `left`. The port comes back: the nodes converge (one view, one owner per chat), the
// users of the other side get `joined` once per chat, and later messages reach everyone with the
// same sequences. Over the whole run no client sees a record twice or a sequence going back.
// Needs root; without it (or without `ip`) the test fails and says why, it never skips.

#include "server/cluster/chatplacement.h"
#include "shared/clientrecordencoder.h"
#include "tests/support/chatcollector.h"
#include "tests/support/netnslab.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

using namespace flack::test;
using namespace Qt::StringLiterals;
namespace protocol = flack::protocol;
using flack::server::cluster::ChatPlacement;

namespace {

constexpr int kPeerTimeoutMs = 1000;
constexpr int kClusterPort = 9000; // every node has a namespace, so a fixed port of its own
constexpr int kWaitMs = 20000;

// Empty when every sequence of the chat is above the one before; else the first that is not.
QString sequenceRegression(const Collector &c, const QString &chat)
{
    qint64 previous = 0;
    for (const QJsonObject &r : c.records) {
        if (str(r, "chat_name") != chat || !r.contains(u"sequence"_s))
            continue;
        const qint64 sequence = r.value(u"sequence"_s).toInteger();
        if (sequence <= previous)
            return u"%1 in %2: sequence %3 after %4 (%5)"_s.arg(c.name, chat)
                .arg(sequence)
                .arg(previous)
                .arg(QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact)));
        previous = sequence;
    }
    return {};
}

// Empty when the client saw no record twice: no identical record, no message text twice, and
// presence that alternates (a `joined` only for someone absent, a `left` only for someone
// present, starting from the chat_state); else what went wrong first.
QString duplicate(const Collector &c, const QString &chat)
{
    QSet<QByteArray> seen;
    QSet<QString> texts;
    QSet<QString> present;
    for (const QJsonObject &r : c.records) {
        if (str(r, "chat_name") != chat)
            continue;
        const QByteArray text = QJsonDocument(r).toJson(QJsonDocument::Compact);
        const QString what = u"%1 in %2: "_s.arg(c.name, chat) + QString::fromUtf8(text);
        if (seen.contains(text))
            return what + u" twice"_s;
        seen.insert(text);
        const QString record = str(r, "record");
        const QString user = str(r, "user_id");
        if (record == u"chat_state") {
            for (const QJsonValue &u : r.value(u"users"_s).toArray())
                present.insert(str(u.toObject(), "user_id"));
        } else if (record == u"joined") {
            if (present.contains(user))
                return what + u" for a user already present"_s;
            present.insert(user);
        } else if (record == u"left") {
            if (!present.remove(user))
                return what + u" for a user not present"_s;
        } else if (record == u"chat_message") {
            const QString key = user + u'\n' + str(r, "message");
            if (texts.contains(key))
                return what + u" (this message again)"_s;
            texts.insert(key);
        }
    }
    return {};
}

QString latestView(ServerProcess &node)
{
    static const QRegularExpression viewPattern(QStringLiteral("live nodes: ([^\\n]*)"));
    QString latest;
    auto matches = viewPattern.globalMatch(QString::fromUtf8(node.output()));
    while (matches.hasNext())
        latest = matches.next().captured(1).trimmed();
    return latest;
}

const QStringList kThree = {u"n1"_s, u"n2"_s, u"n3"_s};

} // namespace

class TestPartition : public QObject
{
    Q_OBJECT

    std::unique_ptr<NetnsLab> m_lab;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ServerProcess>> m_nodes;
    // n3 owns `north` and n1 owns `south` while all three are live.
    const QString m_north = chatOwnedBy(u"n3"_s, kThree, u"north"_s);
    const QString m_south = chatOwnedBy(u"n1"_s, kThree, u"south"_s);
    QStringList chats() const { return {m_north, m_south}; }
    Collector m_ann, m_bo, m_cy; // on n1, n2 and n3
    QList<Collector *> all() { return {&m_ann, &m_bo, &m_cy}; }
    bool m_connected = false;
    // Where each client's records stood when the link was cut and when it came back.
    QHash<const Collector *, qsizetype> m_atCut, m_atHeal;

    ServerProcess &node(int index) { return *m_nodes.at(size_t(index - 1)); }

    bool startNode(int index)
    {
        QStringList arguments = {u"--node-name"_s,
                                 u"n%1"_s.arg(index),
                                 u"--cluster-listen"_s,
                                 u"%1:%2"_s.arg(m_lab->clusterAddress(index)).arg(kClusterPort),
                                 u"--cluster-secret-file"_s,
                                 m_dir.filePath(u"secret"_s),
                                 u"--peer-timeout-ms"_s,
                                 QString::number(kPeerTimeoutMs)};
        if (index != 1)
            arguments += {u"--peers"_s, u"%1:%2"_s.arg(m_lab->clusterAddress(1)).arg(kClusterPort)};
        auto process = std::make_unique<ServerProcess>(arguments);
        process->setLauncher(m_lab->launcher(index));
        process->setBindAddress(m_lab->clientAddress(index));
        const bool started = process->start();
        m_nodes.push_back(std::move(process));
        return started;
    }

    // Every given node's latest view is exactly these names.
    bool waitForViews(const QList<int> &indexes, const QStringList &names)
    {
        const QString expected = names.join(u", "_s);
        return QTest::qWaitFor(
            [&] {
                for (int index : indexes) {
                    if (latestView(node(index)) != expected)
                        return false;
                }
                return true;
            },
            kWaitMs);
    }

    QByteArray views()
    {
        QStringList list;
        for (int i = 1; i <= int(m_nodes.size()); ++i)
            list.append(u"n%1 sees [%2]"_s.arg(i).arg(latestView(node(i))));
        return (u"latest views: "_s + list.join(u"; "_s)).toUtf8();
    }

    void printNodeLogs()
    {
        for (int i = 1; i <= int(m_nodes.size()); ++i)
            qInfo("--- n%d's log (view [%s]):\n%s", i, qPrintable(latestView(node(i))),
                  node(i).output().constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile secret(m_dir.filePath(u"secret"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("partition-test-cluster-secret\n");
        secret.close();
        m_lab = std::make_unique<NetnsLab>(3);
        if (!m_lab->setUp())
            QFAIL(qPrintable(u"cannot build the network namespaces for the partition: "_s +
                             m_lab->error()));
        for (int i = 1; i <= 3; ++i)
            QVERIFY2(startNode(i), node(i).output().constData());
        // n2 and n3 were given only n1: they find each other by gossip, over the switch.
        if (!waitForViews({1, 2, 3}, kThree)) {
            printNodeLogs();
            QFAIL(views().constData());
        }
    }

    void crossNodeChatBeforeTheCut()
    {
        QVERIFY(m_ann.connect(node(1), u"Ann"_s));
        QVERIFY(m_bo.connect(node(2), u"Bo"_s));
        QVERIFY(m_cy.connect(node(3), u"Cy"_s));
        m_connected = true;
        for (const QString &chat : chats()) {
            const QList<Collector *> clients = all();
            for (qsizetype joiner = 0; joiner < clients.size(); ++joiner) {
                clients[joiner]->client->sendText(protocol::encodeJoinChat(chat));
                // Each join is seen by everyone already in before the next one comes: the k-th
                // to join has seen its own and those after it.
                for (qsizetype k = 0; k <= joiner; ++k) {
                    Collector *seen = clients[k];
                    QVERIFY2(seen->readUntil(
                                 [&] { return seen->count(u"joined", chat) == joiner - k + 1; }),
                             qPrintable(timeline(*seen, chat).join(u'\n')));
                }
            }
        }
        for (const QString &chat : chats()) {
            for (Collector *c : all())
                c->post(chat, u"%1 before the cut"_s.arg(c->name));
            for (Collector *c : all())
                QVERIFY2(c->readUntil([&] { return c->count(u"chat_message", chat) == 3; }),
                         qPrintable(timeline(*c, chat).join(u'\n')));
            // The same events with the same sequences everywhere (from Cy's join on).
            const QStringList reference = timeline(m_cy, chat);
            for (Collector *c : {&m_ann, &m_bo}) {
                const QStringList lines = timeline(*c, chat);
                QCOMPARE(lines.mid(lines.size() - reference.size()), reference);
            }
        }
    }

    void cutLeavesEachSideChatting()
    {
        QVERIFY2(m_connected, "needs the clients of crossNodeChatBeforeTheCut");
        for (Collector *c : all())
            m_atCut[c] = c->records.size();
        QVERIFY2(m_lab->cut(3), qPrintable(m_lab->error()));

        // Both sides notice: n1 and n2 see each other, n3 sees itself.
        QVERIFY2(waitForViews({1, 2}, {u"n1"_s, u"n2"_s}), views().constData());
        QVERIFY2(waitForViews({3}, {u"n3"_s}), views().constData());

        // The users across the cut leave, in both chats, once each; nobody else leaves.
        for (const QString &chat : chats()) {
            for (Collector *c : {&m_ann, &m_bo}) {
                QVERIFY2(c->readUntil(
                             [&] { return c->count(u"left", chat, m_cy.userId, m_atCut[c]) >= 1; }),
                         qPrintable(timeline(*c, chat).join(u'\n')));
            }
            for (Collector *other : {&m_ann, &m_bo}) {
                QVERIFY2(m_cy.readUntil([&] {
                    return m_cy.count(u"left", chat, other->userId, m_atCut[&m_cy]) >= 1;
                }),
                         qPrintable(timeline(m_cy, chat).join(u'\n')));
            }
        }

        // Each side carries on: the n1/n2 side re-homed `north` (n3 owned it), n3 took over
        // `south` (n1 owned it). n3's side goes further (two lefts and three messages against
        // one left and two), so that after the heal each chat must continue above the higher
        // of the two sides' sequences.
        for (const QString &chat : chats()) {
            const QString fromAnn = u"Ann during the cut in %1"_s.arg(chat);
            const QString fromBo = u"Bo during the cut in %1"_s.arg(chat);
            QStringList fromCy;
            for (int i = 1; i <= 3; ++i)
                fromCy.append(u"Cy during the cut in %1 #%2"_s.arg(chat).arg(i));
            m_ann.post(chat, fromAnn);
            m_bo.post(chat, fromBo);
            for (const QString &text : fromCy)
                m_cy.post(chat, text);
            for (Collector *c : {&m_ann, &m_bo}) {
                QVERIFY2(c->readUntil([&] {
                    return c->hasMessage(chat, fromAnn) && c->hasMessage(chat, fromBo);
                }),
                         qPrintable(timeline(*c, chat).join(u'\n')));
            }
            QVERIFY2(m_cy.readUntil([&] {
                return std::all_of(fromCy.cbegin(), fromCy.cend(), [&](const QString &text) {
                    return m_cy.hasMessage(chat, text);
                });
            }),
                     qPrintable(timeline(m_cy, chat).join(u'\n')));
            // Nothing crossed the cut.
            QVERIFY(!m_cy.hasMessage(chat, fromAnn));
            QVERIFY(!m_ann.hasMessage(chat, fromCy.first()));
        }
        for (const QString &chat : chats()) {
            for (Collector *c : all()) {
                const qsizetype lefts = c->count(u"left", chat, {}, m_atCut[c]);
                QVERIFY2(
                    lefts == (c == &m_cy ? 2 : 1),
                    qPrintable(
                        u"%1 got %2 lefts in %3 during the cut:\n"_s.arg(c->name).arg(lefts).arg(
                            chat) +
                        timeline(*c, chat, m_atCut[c]).join(u'\n')));
            }
        }
    }

    void healConvergesAndRejoins()
    {
        QVERIFY2(m_connected, "needs the clients of crossNodeChatBeforeTheCut");
        for (Collector *c : all())
            m_atHeal[c] = c->records.size();
        QVERIFY2(m_lab->restore(3), qPrintable(m_lab->error()));
        QVERIFY2(waitForViews({1, 2, 3}, kThree), views().constData());

        // The other side's users come back, once per chat. One deadline for all of them, so a
        // failure names every joined that is missing.
        const auto acrossTheCut = [&](const Collector *c, const Collector *other) {
            return (c == &m_cy) != (other == &m_cy);
        };
        const auto missingJoined = [&](const Collector *c) {
            QStringList missing;
            for (const QString &chat : chats()) {
                for (const Collector *other : all()) {
                    if (acrossTheCut(c, other) &&
                        c->count(u"joined", chat, other->userId, m_atHeal[c]) == 0)
                        missing.append(u"%1 for %2 in %3"_s.arg(c->name, other->name, chat));
                }
            }
            return missing;
        };
        QDeadlineTimer deadline(kWaitMs);
        QStringList missing;
        for (Collector *c : all()) {
            c->readUntil([&] { return missingJoined(c).isEmpty(); },
                         int(qMax<qint64>(1, deadline.remainingTime())));
            c->drain();
        }
        for (Collector *c : all())
            missing += missingJoined(c);
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"no joined after the heal (client for user in chat): "_s +
                            missing.join(u", "_s)));
        for (const QString &chat : chats()) {
            for (Collector *c : all()) {
                for (Collector *other : all()) {
                    const qsizetype joined = c->count(u"joined", chat, other->userId, m_atHeal[c]);
                    QVERIFY2(
                        joined == (acrossTheCut(c, other) ? 1 : 0),
                        qPrintable(u"%1 got %2 joined for %3 in %4 after the heal:\n"_s.arg(c->name)
                                       .arg(joined)
                                       .arg(other->name, chat) +
                                   timeline(*c, chat, m_atHeal[c]).join(u'\n')));
                }
                QCOMPARE(c->count(u"left", chat, {}, m_atHeal[c]), 0);
            }
        }
    }

    void messagesAfterTheHealReachEveryone()
    {
        QVERIFY2(m_connected, "needs the clients of crossNodeChatBeforeTheCut");
        QVERIFY2(waitForViews({1, 2, 3}, kThree), views().constData());
        for (const QString &chat : chats()) {
            QStringList texts;
            for (Collector *c : all()) {
                texts.append(u"%1 after the heal in %2"_s.arg(c->name, chat));
                c->post(chat, texts.last());
            }
            const auto missingMessages = [&](const Collector *c) {
                QStringList missing;
                for (const QString &text : texts) {
                    if (!c->hasMessage(chat, text))
                        missing.append(u"%1 lacks \"%2\""_s.arg(c->name, text));
                }
                return missing;
            };
            QDeadlineTimer deadline(kWaitMs);
            QStringList missing;
            for (Collector *c : all()) {
                c->readUntil([&] { return missingMessages(c).isEmpty(); },
                             int(qMax<qint64>(1, deadline.remainingTime())));
                c->drain();
            }
            for (Collector *c : all())
                missing += missingMessages(c);
            QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u"; "_s)));
            // One owner stamped them: the same sequences, in the same order, at every client.
            const auto afterHeal = [&](const Collector &c) {
                QStringList lines;
                for (const QJsonObject &r : c.of(u"chat_message", chat)) {
                    if (texts.contains(str(r, "message")))
                        lines.append(u"%1 %2 %3"_s.arg(r.value(u"sequence"_s).toInteger())
                                         .arg(str(r, "user_id"), str(r, "message")));
                }
                return lines;
            };
            const QStringList reference = afterHeal(m_ann);
            QCOMPARE(reference.size(), 3);
            QCOMPARE(afterHeal(m_bo), reference);
            QCOMPARE(afterHeal(m_cy), reference);
            const auto lastBeforeHeal = [&](const Collector &c) {
                const QStringList lines = timeline(c, chat, 0, m_atHeal[&c]);
                return lines.isEmpty() ? QString() : lines.last().section(u' ', 0, 0);
            };
            qInfo("%s after the heal: %s (last sequence before it: %s on n1's side, %s on n3's)",
                  qPrintable(chat), qPrintable(reference.join(u", "_s)),
                  qPrintable(lastBeforeHeal(m_ann)), qPrintable(lastBeforeHeal(m_cy)));
        }
    }

    void noDuplicateOrBackwardSequenceAnywhere()
    {
        QVERIFY2(m_connected, "needs the clients of crossNodeChatBeforeTheCut");
        for (const QString &chat : chats()) {
            for (Collector *c : all()) {
                const QString regression = sequenceRegression(*c, chat);
                QVERIFY2(regression.isEmpty(),
                         qPrintable(regression + u'\n' + timeline(*c, chat).join(u'\n')));
                const QString repeated = duplicate(*c, chat);
                QVERIFY2(repeated.isEmpty(),
                         qPrintable(repeated + u'\n' + timeline(*c, chat).join(u'\n')));
            }
        }
    }

    // A failed step shows what every node logged and what every client saw, in full.
    void cleanup()
    {
        if (!QTest::currentTestFailed())
            return;
        printNodeLogs();
        for (Collector *c : all()) {
            c->drain();
            const qsizetype cut = m_atCut.value(c, c->records.size());
            const qsizetype heal = m_atHeal.value(c, c->records.size());
            for (const QString &chat : chats()) {
                qInfo("--- %s in %s (sequence record user message)\nbefore the cut:\n%s\n"
                      "during the cut:\n%s\nafter the heal:\n%s",
                      qPrintable(c->name), qPrintable(chat),
                      qPrintable(timeline(*c, chat, 0, cut).join(u'\n')),
                      qPrintable(timeline(*c, chat, cut, heal).join(u'\n')),
                      qPrintable(timeline(*c, chat, heal).join(u'\n')));
            }
        }
    }

    void cleanupTestCase()
    {
        for (const auto &process : m_nodes) {
            if (process->process().state() == QProcess::Running)
                QCOMPARE(process->terminate(), 0);
        }
        m_nodes.clear();
        m_lab.reset();
    }
};

QTEST_GUILESS_MAIN(TestPartition)
#include "tst_partition.moc"
