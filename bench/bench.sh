#!/usr/bin/env bash
# bench/bench.sh: `rebill reconcile` at a large company's volume, beside a bare libcsv pass
# over the same CSV files. A benchmark that prints figures (exit 0 even when over a target);
# it exits 1 only when it cannot measure. Run from the repository root after `make build`
# (`make bench` does both).
#
# Environment: ENTRIES (1000000), SEED (1), LAYOUTS ("generic datev hledger"),
# SCALE (1: also run 2 × ENTRIES and print the ratio; 0: skip), RUNS (3: each timing is the
# best of RUNS runs, as bench-csv.sh's are; this machine's runs vary by 10 % and more).
set -euo pipefail
export LC_ALL=C
source bench/common.sh

ENTRIES=${ENTRIES:-1000000}
SEED=${SEED:-1}
LAYOUTS=${LAYOUTS:-generic datev hledger}
SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
REBILL=.build/release/rebill
CSVCOUNT=.build/csvcount

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $REBILL ]] || die "$REBILL not found: run 'make build' first"
cc -O2 -o "$CSVCOUNT" bench/csvcount.c -lcsv || die "cannot build $CSVCOUNT"


# measure N: generate (once, cached), time the bare libcsv pass and the reconcile, each the
# best of RUNS runs (the stages printed are the best run's; the peak memory the highest of
# all); sets globals RECONCILE_US, LIBCSV_US, PEAK_KB, BYTES, ROWS.
measure() {
  local n=$1 inbox=.build/bench-inbox-$1-$SEED out=.build/bench-out-$1
  if [[ ! -f $inbox/rebill.yaml ]]; then
    rm -rf "$inbox"
    "$REBILL" generate --entries "$n" --seed "$SEED" "$inbox" >/dev/null
  fi
  local files t0 t1 journals=()
  mapfile -t files < <(find "$inbox" -name '*.csv' | sort)
  BYTES=$(cat "${files[@]}" | wc -c)
  ROWS=$(( n + n / 10 ))
  libcsv_pass() { for f in "${files[@]}"; do "$CSVCOUNT" "$f" >/dev/null || return 1; done; }
  best_us .build/bench-libcsv libcsv_pass
  LIBCSV_US=$BEST_US
  for layout in $LAYOUTS; do journals+=(--journal "$layout"); done
  # Each run's peak memory goes to a line of .build/bench-peaks (GNU time), the highest kept.
  : >.build/bench-peaks
  reconcile_run() {
    if [[ -x /usr/bin/time ]]; then
      /usr/bin/time -f %M -a -o .build/bench-peaks "$REBILL" reconcile "$inbox" --out "$out" \
        --quiet --timings "${journals[@]}"
    else
      "$REBILL" reconcile "$inbox" --out "$out" --quiet --timings "${journals[@]}"
    fi
  }
  best_us .build/bench-stages reconcile_run
  RECONCILE_US=$BEST_US
  PEAK_KB=$(sort -n .build/bench-peaks | tail -n 1)
  PEAK_KB=${PEAK_KB:-0}
  # The floor no reconciler can go under: writing the same output bytes, nothing else.
  OUT_BYTES=$(find "$out" -type f -exec cat {} + | wc -c)
  t0=$(now_us)
  find "$out" -type f -exec cat {} + >.build/bench-floor
  sync .build/bench-floor 2>/dev/null || true
  t1=$(now_us)
  FLOOR_US=$(( t1 - t0 ))
  rm -f .build/bench-floor
}

# report N TARGETS: the figures of the last measure; TARGETS 1 gives the ratio and the memory
# their verdicts (the targets are the ENTRIES run's), 0 the figures alone.
report() {
  local n=$1 targets=$2
  sed 's/^rebill: /  stage: /' .build/bench-stages
  awk -v n="$n" -v rows="$ROWS" -v bytes="$BYTES" -v r="$RECONCILE_US" -v l="$LIBCSV_US" -v kb="$PEAK_KB" -v ob="$OUT_BYTES" -v f="$FLOOR_US" -v t="$targets" 'BEGIN {
    printf "  %d entries (+%d expenses), %.1f MB of CSV\n", n, n / 10, bytes / 1e6
    printf "  bare libcsv pass     %8.3f s   %10.0f rows/s   %7.1f MB/s\n", l / 1e6, rows / (l / 1e6), bytes / 1e6 / (l / 1e6)
    printf "  rebill reconcile     %8.3f s   %10.0f rows/s   %7.1f MB/s   peak %.0f MiB\n", r / 1e6, rows / (r / 1e6), bytes / 1e6 / (r / 1e6), kb / 1024
    if (t) {
      printf "  ratio to libcsv      %8.2f     (target: at most 3)   %s\n", r / l, (r / l <= 3 ? "PASS" : "OVER")
      printf "  peak memory          %8.0f MiB (target: under 1024)  %s\n", kb / 1024, (kb / 1024 < 1024 ? "PASS" : "OVER")
    } else {
      printf "  ratio to libcsv      %8.2f     (the targets are the first run'"'"'s)\n", r / l
    }
    printf "  writing its %.0f MB of output alone (cat): %.3f s, %.2f x the libcsv pass\n", ob / 1e6, f / 1e6, f / l
  }'
}

echo "rebill reconcile benchmark (layouts: $LAYOUTS; seed $SEED; best of $RUNS runs)"
measure "$ENTRIES"
report "$ENTRIES" 1
first=$RECONCILE_US
if [[ $SCALE == 1 ]]; then
  measure $(( ENTRIES * 2 ))
  report $(( ENTRIES * 2 )) 0
  awk -v a="$first" -v b="$RECONCILE_US" 'BEGIN {
    printf "  2x entries took      %8.2f x the time (target: at most 2.2)   %s\n", b / a, (b / a <= 2.2 ? "PASS" : "OVER") }'
fi
