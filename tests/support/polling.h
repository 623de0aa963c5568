#pragma once
// Waiting for a probe that does something each time it runs: opens a connection, sends a
// request. Qt's QTRY_COMPARE and QTRY_VERIFY evaluate their expression again after it came true
// (their timeout-debug step, then the final check), so such a probe runs twice more after the
// try that succeeded, and each extra connection can take the very slot the test has just seen
// freed — the next check then fails although the server did what it should.

#include <QDeadlineTimer>
#include <QTest>

namespace flack::test {

// Runs probe until it returns wanted or timeoutMs have passed, processing events between tries,
// and returns what it returned last (for QCOMPARE to show). Never runs it after it succeeded.
template <typename Probe, typename Value>
auto probeUntil(Probe &&probe, const Value &wanted, int timeoutMs = 10000) -> decltype(probe())
{
    const QDeadlineTimer deadline(timeoutMs);
    auto value = probe();
    while (!(value == wanted) && !deadline.hasExpired()) {
        QTest::qWait(50);
        value = probe();
    }
    return value;
}

} // namespace flack::test
