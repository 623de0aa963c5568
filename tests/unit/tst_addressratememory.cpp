// AddressRateMemory: a new connection from an address starts from what the last connections
// from there left of their bucket, refilled for the time since; an address nobody drained
// starts full; entries go once refilled, and never more than the bound.

#include "server/sessions/addressratememory.h"

#include <QTest>
#include <QThread>

#include <memory>

using flack::server::sessions::AddressRateMemory;

class TestAddressRateMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anUnknownAddressStartsFull()
    {
        AddressRateMemory memory(20, 60);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 0), 60'000);
        QCOMPARE(memory.size(), 0);
    }

    void aDrainedBucketIsCarriedOverAndRefills()
    {
        AddressRateMemory memory(20, 60);
        memory.remember("10.0.0.1", 0, 1000);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 1000), 0);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 1500), 10'000); // 20 a second
        QCOMPARE(memory.startingTokensMilli("10.0.0.2", 1500), 60'000); // other addresses
        // Refilled after burst / rate = 3 s: forgotten.
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 4000), 60'000);
        QCOMPARE(memory.size(), 0);
    }

    void theEmptiestBucketCounts()
    {
        AddressRateMemory memory(20, 60);
        memory.remember("10.0.0.1", 30'000, 0);
        memory.remember("10.0.0.1", 5000, 0);
        memory.remember("10.0.0.1", 50'000, 0); // a quiet connection ends later: still 5
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 0), 5000);
        // Taking it doesn't spend it: a second connection at once starts as low.
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 0), 5000);
        // The entry lives on from its last write, refilled: 5 + 20 = 25 tokens a second later.
        memory.remember("10.0.0.1", 59'000, 1000);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 1000), 25'000);
    }

    void aFullBucketIsNotKept()
    {
        AddressRateMemory memory(20, 60);
        memory.remember("10.0.0.1", 60'000, 0);
        memory.remember("10.0.0.2", 1'000'000, 0);
        QCOMPARE(memory.size(), 0);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 0), 60'000);
    }

    void unlimitedRemembersNothing()
    {
        AddressRateMemory memory(0, 60);
        memory.remember("10.0.0.1", 0, 0);
        QCOMPARE(memory.size(), 0);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 0), 60'000);
    }

    void theNumberOfEntriesIsBounded()
    {
        AddressRateMemory memory(20, 60, 100);
        for (int i = 0; i < 1000; ++i)
            memory.remember(QByteArray::number(i), 0, 0);
        QCOMPARE(memory.size(), 100);
        // The newest are kept, the oldest went.
        QCOMPARE(memory.startingTokensMilli("999", 0), 0);
        QCOMPARE(memory.startingTokensMilli("0", 0), 60'000);
    }

    void oneAddressReconnectingOverAndOverStaysOneEntry()
    {
        AddressRateMemory memory(20, 60, 100);
        for (qint64 now = 0; now < 100'000; ++now)
            memory.remember("10.0.0.1", 0, now);
        QCOMPARE(memory.size(), 1);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 100'000), 20);
        // Others still fit and old writes don't expire the current entry early.
        memory.remember("10.0.0.2", 0, 100'000);
        QCOMPARE(memory.size(), 2);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 102'000), 40'020);
        QCOMPARE(memory.startingTokensMilli("10.0.0.1", 103'000), 60'000);
    }

    // The endpoints of several threads share one memory: what each remembers is kept.
    void threadsShareOneMemory()
    {
        AddressRateMemory memory(20, 60, 100000);
        constexpr int kPerThread = 20000;
        const auto rememberRange = [&memory](int first) {
            for (int i = first; i < first + kPerThread; ++i) {
                const QByteArray key = QByteArray::number(i);
                memory.remember(key, 0, 1000);
                if (memory.startingTokensMilli(key, 1000) != 0)
                    return false;
            }
            return true;
        };
        bool otherOk = false;
        std::unique_ptr<QThread> other(
            QThread::create([&] { otherOk = rememberRange(kPerThread); }));
        other->start();
        const bool ownOk = rememberRange(0);
        QVERIFY(other->wait(30000));
        QVERIFY(ownOk);
        QVERIFY(otherOk);
        QCOMPARE(memory.size(), 2 * kPerThread);
    }
};

QTEST_GUILESS_MAIN(TestAddressRateMemory)
#include "tst_addressratememory.moc"
