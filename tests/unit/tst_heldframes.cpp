// HeldFrames: what a connection holds goes out whole and in order, counted in bytes, and the
// frames are the room's copies until then (one frame goes without being copied at all).

#include "server/net/heldframes.h"

#include <QTest>

using flack::server::net::HeldFrames;

class TestHeldFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nothingHeldGivesNothing()
    {
        HeldFrames held;
        QVERIFY(held.isEmpty());
        QCOMPARE(held.bytes(), 0);
        QVERIFY(held.take().isEmpty());
    }

    void framesGoAsOnePieceInOrder()
    {
        HeldFrames held;
        const QByteArray a("\x81\x03one", 5);
        const QByteArray b("\x81\x03two", 5);
        const QByteArray c(300, 'c'); // bigger than a short frame: sizes add up, not assumed
        held.append(a);
        held.append(b);
        held.append(c);
        held.append(a);
        QVERIFY(!held.isEmpty());
        QCOMPARE(held.bytes(), 5 + 5 + 300 + 5);
        QCOMPARE(held.take(), a + b + c + a);
        QVERIFY(held.isEmpty());
        QCOMPARE(held.bytes(), 0);
        // The next hold starts from nothing.
        held.append(b);
        QCOMPARE(held.take(), b);
    }

    void aSingleFrameIsTheRoomsCopy()
    {
        HeldFrames held;
        const QByteArray frame(100, 'x');
        held.append(frame);
        const QByteArray piece = held.take();
        QCOMPARE(piece, frame);
        QCOMPARE(piece.constData(), frame.constData()); // shared, not copied
    }

    void aHeldFrameKeepsItsBytesWhenTheRoomMovesOn()
    {
        HeldFrames held;
        QByteArray frame(10, 'a');
        held.append(frame);
        frame.fill('b'); // the cache reuses its array for the next event: ours must not change
        held.append(frame);
        QCOMPARE(held.take(), QByteArray(10, 'a') + QByteArray(10, 'b'));
    }

    void clearDropsEverything()
    {
        HeldFrames held;
        held.append(QByteArray(64, 'z'));
        held.clear();
        QVERIFY(held.isEmpty());
        QCOMPARE(held.bytes(), 0);
        QVERIFY(held.take().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHeldFrames)
#include "tst_heldframes.moc"
