// Room: membership, per-chat sequence, encode-once fan-out, and the emptied signal.

#include "server/rooms/room.h"
#include "shared/serverrecordencoder.h"
#include "tests/support/fakemember.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::rooms::Room;
using flack::test::FakeMember;

class TestRoom : public QObject
{
    Q_OBJECT

    static QString field(const QJsonObject &record, const char *key)
    {
        return record.value(QLatin1StringView(key)).toString();
    }
    static qint64 sequence(const QJsonObject &record)
    {
        return record.value(QLatin1StringView("sequence")).toInteger(-1);
    }

private Q_SLOTS:
    void joinSendsStateWithoutJoinerThenJoinedToAll()
    {
        Room room(QStringLiteral("lobby"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"));
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

    void sequenceStrictlyIncreasesOverAllEvents()
    {
        Room room(QStringLiteral("seq"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"));
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
        QCOMPARE(room.lastSequence(), 2 + 20 + 1);
    }

    void everyRecipientGetsTheSameFrame()
    {
        Room room(QStringLiteral("fan"));
        std::vector<std::unique_ptr<FakeMember>> members;
        for (int i = 0; i < 10; ++i) {
            members.push_back(std::make_unique<FakeMember>(QStringLiteral("u%1").arg(i),
                                                           QStringLiteral("id%1").arg(i)));
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
        Room room(QStringLiteral("l"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"));
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
        Room room(QStringLiteral("d"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"));
        room.join(&ann);
        room.join(&bo);
        const qsizetype annBefore = ann.frames.size();
        room.drop(&ann);
        QCOMPARE(ann.frames.size(), annBefore);
        QCOMPARE(bo.recordNames().last(), u"left"_s);
    }

    void lastMemberGoneEmitsEmptied()
    {
        Room room(QStringLiteral("e"));
        QSignalSpy emptied(&room, &Room::emptied);
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember bo(QStringLiteral("Bo"), QStringLiteral("b2"));
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
        Room room(QStringLiteral("n"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        FakeMember stranger(QStringLiteral("X"), QStringLiteral("x"));
        room.join(&ann);
        const qsizetype before = ann.frames.size();
        room.post(&stranger, u"text/plain"_s, u"spam"_s);
        room.leave(&stranger);
        QCOMPARE(ann.frames.size(), before);
        QCOMPARE(room.lastSequence(), 1);
    }

    void joiningTwiceIsIgnored()
    {
        Room room(QStringLiteral("t"));
        FakeMember ann(QStringLiteral("Ann"), QStringLiteral("a1"));
        room.join(&ann);
        room.join(&ann);
        QCOMPARE(room.memberCount(), 1);
        QCOMPARE(ann.frames.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRoom)
#include "tst_room.moc"
