#pragma once
// Frees the TLS library's state for the calling thread. OpenSSL (which Qt's TLS backend loads)
// keeps per-thread state, its error queue among it, and frees it from a thread-exit handler.
// A QThread is detached: QThread::wait() returns once the thread has finished its run, before
// those handlers have run, so a server exiting right after stopping its worker threads could
// end with a worker's state still allocated (LeakSanitizer reported it: 904 bytes, OpenSSL's
// error state, now and then in the two-thread TLS runs). A worker calls this last instead.

namespace flack::server::workers {

// Nothing to do (and nothing done) when no OpenSSL is loaded in the process.
void releaseTlsThreadState();

} // namespace flack::server::workers
