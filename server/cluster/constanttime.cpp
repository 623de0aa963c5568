#include "server/cluster/constanttime.h"

namespace flack::server::cluster {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    // Every byte is visited whatever the outcome; the volatile accumulator keeps the compiler
    // from turning the loop back into an early-exit memcmp.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference =
            difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    return difference == 0;
}

} // namespace flack::server::cluster
