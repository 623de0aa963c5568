#pragma once
// What every harness shares: a check that aborts (so libFuzzer keeps the input as a crash),
// and the seed writer. Each harness lists its seeds as code, built with the product's own
// encoders, so the committed corpus can be made again when a format changes:
//   FLACK_FUZZ_WRITE_SEEDS=tests/fuzz/corpus/<name> build-fuzz/fuzz/fuzz_<name>
// writes them and exits instead of fuzzing.

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

// Not assert(): it must hold in every build type, and say which property broke.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #condition, __FILE__,          \
                         __LINE__);                                                                \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace flack::fuzz {

using Seeds = std::vector<std::pair<const char *, QByteArray>>;

// Call from LLVMFuzzerInitialize.
inline void writeSeedsIfAsked(const Seeds &seeds)
{
    const QByteArray dir = qgetenv("FLACK_FUZZ_WRITE_SEEDS");
    if (dir.isEmpty())
        return;
    for (const auto &[name, bytes] : seeds) {
        QFile file(QString::fromUtf8(dir) + u'/' + QString::fromUtf8(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(bytes) != bytes.size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
            std::exit(1);
        }
    }
    std::fprintf(stderr, "wrote %zu seeds to %s\n", seeds.size(), dir.constData());
    std::exit(0);
}

inline QByteArrayView bytesOf(const std::uint8_t *data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace flack::fuzz
