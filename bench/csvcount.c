/* csvcount: the libcsv baseline for bench/bench-csv.sh.
 *
 * Reads FILE in 64 KiB chunks through libcsv (strict RFC 4180, no trimming)
 * and prints `rows=N fields=M` (the header counts as a row). Exit 1 on a
 * read or parse error, 2 on wrong usage.
 *
 *   cc -O2 -o .build/csvcount bench/csvcount.c -lcsv
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
  unsigned long long rows;
  unsigned long long fields;
};

static void on_field(void *s, size_t len, void *data) {
  (void)s;
  (void)len;
  ((struct counts *)data)->fields++;
}

static void on_row(int c, void *data) {
  (void)c;
  ((struct counts *)data)->rows++;
}

/* Nothing is a space: fields keep their bytes as they are. */
static int no_space(unsigned char c) {
  (void)c;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: csvcount FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    fprintf(stderr, "csvcount: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    fprintf(stderr, "csvcount: csv_init failed\n");
    return 1;
  }
  csv_set_space_func(&p, no_space);

  static char buf[64 * 1024];
  struct counts n = {0, 0};
  unsigned long long offset = 0;
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
    size_t used = csv_parse(&p, buf, got, on_field, on_row, &n);
    if (used != got) {
      fprintf(stderr, "csvcount: %s: byte %llu: %s\n", argv[1], offset + used,
              csv_strerror(csv_error(&p)));
      return 1;
    }
    offset += got;
  }
  if (ferror(f)) {
    fprintf(stderr, "csvcount: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  if (csv_fini(&p, on_field, on_row, &n) != 0) {
    fprintf(stderr, "csvcount: %s: at end of file: %s\n", argv[1],
            csv_strerror(csv_error(&p)));
    return 1;
  }
  csv_free(&p);
  fclose(f);
  printf("rows=%llu fields=%llu\n", n.rows, n.fields);
  return 0;
}
