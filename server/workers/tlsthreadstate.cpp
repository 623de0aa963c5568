#include "server/workers/tlsthreadstate.h"

#include <dlfcn.h>

namespace flack::server::workers {

void releaseTlsThreadState()
{
    // Looked up, not linked: the server never links OpenSSL itself, Qt's backend plugin does,
    // and only when TLS is used. RTLD_NOLOAD finds a library already loaded and loads none.
    static const char *const kLibraries[] = {"libcrypto.so.3", "libcrypto.so.1.1"};
    for (const char *name : kLibraries) {
        void *library = ::dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
        if (!library)
            continue;
        // OPENSSL_thread_stop(): OpenSSL 1.1 and 3 free the calling thread's state with it.
        using ThreadStop = void (*)();
        if (auto stop = reinterpret_cast<ThreadStop>(::dlsym(library, "OPENSSL_thread_stop")))
            stop();
        ::dlclose(library);
        return;
    }
}

} // namespace flack::server::workers
