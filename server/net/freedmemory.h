#pragma once
// Hands the allocator's free pages back to the kernel. glibc keeps freed heap memory mapped
// (its trim threshold only applies to the top of the heap), so after the frees of a connect
// burst most of it stays resident; malloc_trim(0) also releases the free pages in the middle
// of the heap. Elsewhere (another libc, or an allocator such as mimalloc or tcmalloc
// interposed, which return memory themselves) it does nothing. Main thread; see
// MemoryTrimPolicy for when.

namespace flack::server::net {

// Returns true if the allocator gave memory back.
bool returnFreedMemory();

} // namespace flack::server::net
