// RoomDirectory: chats created on first join, forgotten when empty, never going back in
// sequence when created again, and a cap on how many exist at once.

#include "server/rooms/chatowner.h"
#include "server/rooms/chatreplica.h"
#include "server/rooms/roomdirectory.h"
#include "tests/support/fakemember.h"

#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::rooms::ChatRoom;
using flack::server::rooms::RoomDirectory;
using flack::test::FakeMember;

class TestRoomDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameNameSameRoom()
    {
        RoomDirectory directory;
        ChatRoom *first = directory.open(u"a"_s);
        QVERIFY(first);
        QCOMPARE(directory.open(u"a"_s), first);
        QVERIFY(directory.open(u"b"_s) != first);
        QCOMPARE(directory.roomCount(), 2);
    }

    void emptyRoomIsForgotten()
    {
        RoomDirectory directory;
        FakeMember ann(u"Ann"_s, u"a"_s, &directory.connections());
        directory.open(u"a"_s)->join(&ann);
        QCOMPARE(directory.roomCount(), 1);
        directory.open(u"a"_s)->leave(&ann);
        QCOMPARE(directory.roomCount(), 0);
        QVERIFY(!directory.findReplica(u"a"_s));
        QVERIFY(!directory.findOwner(u"a"_s));
    }

    void recreatedChatContinuesItsSequence()
    {
        RoomDirectory directory;
        FakeMember ann(u"Ann"_s, u"a"_s, &directory.connections());
        directory.open(u"lobby"_s)->join(&ann);
        directory.open(u"lobby"_s)->post(&ann, u"text/plain"_s, u"hi"_s);
        const qint64 before = directory.findOwner(u"lobby"_s)->lastSequence();
        directory.open(u"lobby"_s)->leave(&ann);
        QCOMPARE(directory.roomCount(), 0);

        FakeMember bo(u"Bo"_s, u"b"_s, &directory.connections());
        directory.open(u"lobby"_s)->join(&bo);
        const qint64 rejoined = bo.records.last().value(u"sequence"_s).toInteger();
        // The leave took before + 1; the new room's first event comes after it.
        QCOMPARE(rejoined, before + 2);
    }

    void capRefusesNewChatsButNotExistingOnes()
    {
        RoomDirectory directory(2);
        FakeMember ann(u"Ann"_s, u"a"_s, &directory.connections());
        directory.open(u"one"_s)->join(&ann);
        directory.open(u"two"_s)->join(&ann);
        QCOMPARE(directory.open(u"three"_s), nullptr);
        QVERIFY(directory.open(u"one"_s));
        // Room for a new chat again once one is gone.
        directory.open(u"one"_s)->leave(&ann);
        QVERIFY(directory.open(u"three"_s));
        directory.open(u"two"_s)->leave(&ann);
    }
};

QTEST_GUILESS_MAIN(TestRoomDirectory)
#include "tst_roomdirectory.moc"
