#pragma once
// A process's resident memory, for tests that bound what a server may be made to hold.

#include <QByteArray>
#include <QFile>
#include <QString>

namespace flack::test {

// Resident memory of a process, in KiB (0 if unreadable).
inline qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

// How much a server's RSS may grow while it holds a bounded queue for one bad client. Under
// AddressSanitizer freed memory sits in its quarantine (256 MB by default) instead of going
// back to the allocator, so RSS grows with everything allocated and freed meanwhile; the bound
// there only tells a bounded queue (tens of MB of churn) from an unbounded one (gigabytes).
#if defined(__SANITIZE_ADDRESS__)
constexpr qint64 kBoundedGrowthKiB = 512 * 1024;
#else
constexpr qint64 kBoundedGrowthKiB = 48 * 1024;
#endif

} // namespace flack::test
