#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>

#include "csystem.h"

int rebill_exchange_paths(const char *a, const char *b) {
  return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

int rebill_start_writeback(int fd, long long offset, long long length) {
  return sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
}

int rebill_drop_written(int fd, long long offset, long long length) {
  int r = sync_file_range(fd, offset, length,
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                              SYNC_FILE_RANGE_WAIT_AFTER);
  if (r != 0) return r;
  return posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED);
}

int rebill_open_direct(const char *path) {
  return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
}

int rebill_stop_direct(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  return fcntl(fd, F_SETFL, flags & ~O_DIRECT);
}

int rebill_keep_freed_memory(int mmap_threshold, int trim_threshold) {
  return mallopt(M_MMAP_THRESHOLD, mmap_threshold) && mallopt(M_TRIM_THRESHOLD, trim_threshold);
}
