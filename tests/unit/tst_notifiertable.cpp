// NotifierTable: one notifier per descriptor and type, the interests the kernel must be told,
// each changed descriptor once on the dirty list, and a new serial on every registration.

#include "server/eventloop/notifiertable.h"

#include <QSocketNotifier>
#include <QTest>

using flack::server::eventloop::NotifierTable;

class TestNotifierTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addAndRemoveTrackWantedInterests()
    {
        QSocketNotifier reader(QSocketNotifier::Read);
        QSocketNotifier writer(QSocketNotifier::Write);
        NotifierTable table;
        QCOMPARE(table.wanted(5), std::uint8_t(NotifierTable::None));
        QVERIFY(table.add(&reader, 5, QSocketNotifier::Read));
        QVERIFY(table.add(&writer, 5, QSocketNotifier::Write));
        QCOMPARE(table.wanted(5), std::uint8_t(NotifierTable::Read | NotifierTable::Write));
        QCOMPARE(table.notifierCount(), std::size_t(2));
        QCOMPARE(table.slot(5, QSocketNotifier::Read).notifier, &reader);
        QVERIFY(table.remove(&writer, 5, QSocketNotifier::Write));
        QCOMPARE(table.wanted(5), std::uint8_t(NotifierTable::Read));
        QCOMPARE(table.slot(5, QSocketNotifier::Write).notifier, nullptr);
        QCOMPARE(table.notifierCount(), std::size_t(1));
    }

    void secondNotifierOfATypeAndBadInputAreRefused()
    {
        QSocketNotifier first(QSocketNotifier::Read);
        QSocketNotifier second(QSocketNotifier::Read);
        NotifierTable table;
        QVERIFY(table.add(&first, 3, QSocketNotifier::Read));
        QVERIFY(!table.add(&second, 3, QSocketNotifier::Read));
        QVERIFY(!table.remove(&second, 3, QSocketNotifier::Read));
        QCOMPARE(table.slot(3, QSocketNotifier::Read).notifier, &first);
        QVERIFY(!table.add(&second, -1, QSocketNotifier::Read));
        QVERIFY(!table.remove(&first, -1, QSocketNotifier::Read));
        QVERIFY(!table.remove(&first, 100000, QSocketNotifier::Read));
        QCOMPARE(table.slot(100000, QSocketNotifier::Read).notifier, nullptr);
        QCOMPARE(table.wanted(-7), std::uint8_t(NotifierTable::None));
    }

    void everyRegistrationGetsANewSerial()
    {
        QSocketNotifier reader(QSocketNotifier::Read);
        NotifierTable table;
        QVERIFY(table.add(&reader, 4, QSocketNotifier::Read));
        const std::uint64_t first = table.slot(4, QSocketNotifier::Read).serial;
        QVERIFY(table.remove(&reader, 4, QSocketNotifier::Read));
        QVERIFY(table.add(&reader, 4, QSocketNotifier::Read));
        QVERIFY(table.slot(4, QSocketNotifier::Read).serial != first);
    }

    void dirtyListHasEachChangedDescriptorOnceInOrder()
    {
        QSocketNotifier a(QSocketNotifier::Read);
        QSocketNotifier b(QSocketNotifier::Write);
        QSocketNotifier c(QSocketNotifier::Read);
        NotifierTable table;
        table.add(&a, 9, QSocketNotifier::Read);
        table.add(&b, 2, QSocketNotifier::Write);
        table.remove(&a, 9, QSocketNotifier::Read);
        table.add(&a, 9, QSocketNotifier::Read);
        table.add(&c, 2, QSocketNotifier::Read);
        std::vector<int> dirty;
        table.takeDirty(&dirty);
        QCOMPARE(dirty, std::vector<int>({9, 2}));
        table.takeDirty(&dirty);
        QVERIFY(dirty.empty());
        table.remove(&b, 2, QSocketNotifier::Write);
        table.takeDirty(&dirty);
        QCOMPARE(dirty, std::vector<int>({2}));
    }

    void emptiedOnceWhenTheLastNotifierGoes()
    {
        QSocketNotifier reader(QSocketNotifier::Read);
        QSocketNotifier writer(QSocketNotifier::Write);
        NotifierTable table;
        table.add(&reader, 6, QSocketNotifier::Read);
        table.add(&writer, 6, QSocketNotifier::Write);
        table.remove(&writer, 6, QSocketNotifier::Write);
        QVERIFY(!table.takeEmptied(6)); // the reader is still there
        table.remove(&reader, 6, QSocketNotifier::Read);
        table.add(&reader, 6, QSocketNotifier::Read); // e.g. a new socket under that number
        QVERIFY(table.takeEmptied(6));
        QVERIFY(!table.takeEmptied(6));
    }

    void writeProbeOnlyWhileTheKernelIsNotWatchingForWrites()
    {
        QSocketNotifier writer(QSocketNotifier::Write);
        NotifierTable table;
        table.add(&writer, 8, QSocketNotifier::Write);
        QVERIFY(table.takeWriteProbe(8));
        QVERIFY(!table.takeWriteProbe(8));
        table.remove(&writer, 8, QSocketNotifier::Write);
        table.add(&writer, 8, QSocketNotifier::Write);
        table.remove(&writer, 8, QSocketNotifier::Write);
        QVERIFY(!table.takeWriteProbe(8)); // gone again: nothing to probe
        table.setApplied(8, NotifierTable::Write);
        table.add(&writer, 8, QSocketNotifier::Write);
        QVERIFY(!table.takeWriteProbe(8)); // the kernel watches it already
    }

    void appliedIsWhatTheDispatcherLastSet()
    {
        QSocketNotifier a(QSocketNotifier::Exception);
        NotifierTable table;
        table.add(&a, 1, QSocketNotifier::Exception);
        QCOMPARE(table.applied(1), std::uint8_t(NotifierTable::None));
        table.setApplied(1, NotifierTable::Exception);
        QCOMPARE(table.applied(1), std::uint8_t(NotifierTable::Exception));
        QCOMPARE(table.wanted(1), std::uint8_t(NotifierTable::Exception));
        table.setApplied(50, NotifierTable::Read); // unknown descriptor: ignored
        QCOMPARE(table.applied(50), std::uint8_t(NotifierTable::None));
    }
};

QTEST_GUILESS_MAIN(TestNotifierTable)
#include "tst_notifiertable.moc"
