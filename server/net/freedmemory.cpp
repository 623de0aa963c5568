#include "server/net/freedmemory.h"

// Any C library header defines __GLIBC__ where the C library is glibc; test it only after one.
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace flack::server::net {

bool returnFreedMemory()
{
#if defined(__GLIBC__)
    return ::malloc_trim(0) != 0;
#else
    return false;
#endif
}

} // namespace flack::server::net
