#ifndef REBILL_CSYSTEM_H
#define REBILL_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE), which glibc declares
/// only under _GNU_SOURCE, out of Swift's reach. Returns 0, or -1 with errno set.
int rebill_exchange_paths(const char *a, const char *b);

#endif
