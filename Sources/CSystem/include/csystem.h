#ifndef REBILL_CSYSTEM_H
#define REBILL_CSYSTEM_H

#include <stddef.h>
#include <stdint.h>

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE), which glibc declares
/// only under _GNU_SOURCE, out of Swift's reach. Returns 0, or -1 with errno set.
int rebill_exchange_paths(const char *a, const char *b);

/// Starts writing a range of a file to disk and returns at once (Linux sync_file_range with
/// SYNC_FILE_RANGE_WRITE, also _GNU_SOURCE only): the fsync that ends the file then waits for
/// little. Returns 0, or -1 with errno set.
int rebill_start_writeback(int fd, long long offset, long long length);

/// Waits until a range of a file is on disk, then lets the kernel drop it from the page cache
/// (posix_fadvise POSIX_FADV_DONTNEED). Returns 0, else -1 with errno set (sync_file_range) or
/// an error number (posix_fadvise).
int rebill_drop_written(int fd, long long offset, long long length);

/// Opens a file for writing, created or emptied, with mode 0644, its writes going from the
/// caller's memory to the disk without the page cache (O_DIRECT, _GNU_SOURCE only): each
/// write's address, length and file offset must then be multiples of the disk's block.
/// Returns the descriptor, or -1 with errno set (EINVAL where the file system has no direct
/// I/O).
int rebill_open_direct(const char *path);

/// Turns O_DIRECT off on a descriptor: its writes go through the page cache again, of any
/// length. Returns 0, or -1 with errno set.
int rebill_stop_direct(int fd);

/// Tells malloc to serve blocks of up to `mmap_threshold` bytes from its heaps (not mapped
/// afresh each), and to hand a heap's free top back to the system only past
/// `trim_threshold` bytes (mallopt M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, from malloc.h, which
/// Swift's Glibc module leaves out). Returns 1, or 0 when malloc refused either.
int rebill_keep_freed_memory(int mmap_threshold, int trim_threshold);

/// Starts loading the cache line at `address` and returns at once (a hint: never faults, even
/// on memory no longer mapped). Inlined where Swift calls it.
static inline void rebill_prefetch(const void *address) { __builtin_prefetch(address); }

/// `rebill_prefetch` for every cache line of `count` bytes from `address` (a record).
static inline void rebill_prefetch_bytes(const void *address, size_t count) {
  const char *end = (const char *)address + count;
  for (const char *line = (const char *)((uintptr_t)address & ~(uintptr_t)63); line < end;
       line += 64) {
    __builtin_prefetch(line);
  }
}

#endif
