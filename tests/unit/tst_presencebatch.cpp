// PresenceBatch: a room's held joined/left in order, and their wire form made once for all the
// members that ask, from any member's place in the batch.

#include "server/rooms/presencebatch.h"

#include <QTest>

using flack::server::rooms::PresenceBatch;
using namespace Qt::StringLiterals;

namespace {
int encodings = 0;

// Stands for websocket framing: brackets each record, and counts how often it ran.
void bracket(const QByteArray &utf8, QByteArray &out)
{
    ++encodings;
    out.append('<').append(utf8).append('>');
}
} // namespace

class TestPresenceBatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { encodings = 0; }

    void keepsTheEventsInOrder()
    {
        PresenceBatch batch;
        QVERIFY(batch.isEmpty());
        batch.append("joined Zoë", u"joined Zoë"_s);
        batch.append("left 李", u"left 李"_s);
        QCOMPARE(batch.size(), 2);
        QCOMPARE(batch.bytes(), QByteArray("joined Zoë").size() + QByteArray("left 李").size());
        QCOMPARE(batch.frame(1), u"left 李"_s);
        QCOMPARE(batch.utf8(0), QByteArray("joined Zoë"));
    }

    void theWireFormIsMadeOnceForEveryMember()
    {
        PresenceBatch batch;
        batch.append("a", u"a"_s);
        batch.append("bb", u"bb"_s);
        batch.append("c", u"c"_s);
        const QByteArray all = batch.wire(0, &bracket);
        QCOMPARE(all, QByteArray("<a><bb><c>"));
        QCOMPARE(batch.wire(0, &bracket), all);
        // Shared, not copied, for every member that takes all of it.
        QCOMPARE(batch.wire(0, &bracket).constData(), all.constData());
        QCOMPARE(batch.wire(1, &bracket), QByteArray("<bb><c>"));
        QCOMPARE(batch.wire(2, &bracket), QByteArray("<c>"));
        QCOMPARE(batch.wire(3, &bracket), QByteArray());
        QCOMPARE(encodings, 3);
    }

    // A member that leaves takes the batch as it is; what is appended later is encoded then,
    // and what was encoded before is not encoded again.
    void eventsAppendedLaterAreEncodedWhenAskedFor()
    {
        PresenceBatch batch;
        batch.append("a", u"a"_s);
        const QByteArray first = batch.wire(0, &bracket);
        batch.append("b", u"b"_s);
        QCOMPARE(batch.wire(0, &bracket), QByteArray("<a><b>"));
        QCOMPARE(batch.wire(1, &bracket), QByteArray("<b>"));
        QCOMPARE(first, QByteArray("<a>")); // what was handed out before is unchanged
        QCOMPARE(encodings, 2);
    }
};

QTEST_GUILESS_MAIN(TestPresenceBatch)
#include "tst_presencebatch.moc"
