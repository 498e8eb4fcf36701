#!/usr/bin/env bash
# bench/bench.sh: `rebill reconcile` at a large company's volume, beside a bare libcsv pass
# over the same CSV files. A benchmark that prints figures (exit 0 even when over a target);
# it exits 1 only when it cannot measure. Run from the repository root after `make build`
# (`make bench` does both).
#
# Environment: ENTRIES (1000000), SEED (1), LAYOUTS ("generic datev hledger"),
# SCALE (1: also run 2 × ENTRIES and print the ratio; 0: skip), RUNS (3: each timing is the
# best of RUNS rounds, as bench-csv.sh's are; this machine's runs vary by 10 % and more, so a
# round times every measure in turn and each ratio compares figures of the same rounds),
# WARMUP (1: each measure runs once untimed right before it is timed; 0: not).
set -euo pipefail
export LC_ALL=C
source bench/common.sh

ENTRIES=${ENTRIES:-1000000}
SEED=${SEED:-1}
LAYOUTS=${LAYOUTS:-generic datev hledger}
SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
REBILL=.build/release/rebill
CSVCOUNT=.build/csvcount

die() { echo "bench: $*" >&2; exit 1; }
[[ -x $REBILL ]] || die "$REBILL not found: run 'make build' first"
cc -O2 -o "$CSVCOUNT" bench/csvcount.c -lcsv || die "cannot build $CSVCOUNT"


# The sizes measured: ENTRIES, and twice as many unless SCALE is 0.
SIZES=("$ENTRIES")
[[ $SCALE == 1 ]] && SIZES+=($(( ENTRIES * 2 )))

# prepare N: generates the inbox of N entries (once, cached) and lists its CSV files.
declare -A BYTES ROWS FILES
prepare() {
  local n=$1 inbox=.build/bench-inbox-$1-$SEED
  if [[ ! -f $inbox/rebill.yaml ]]; then
    rm -rf "$inbox"
    "$REBILL" generate --entries "$n" --seed "$SEED" "$inbox" >/dev/null
  fi
  FILES[$n]=$(find "$inbox" -name '*.csv' | sort | tr '\n' ' ')
  BYTES[$n]=$(cat ${FILES[$n]} | wc -c)
  ROWS[$n]=$(( n + n / 10 ))
}

# run_us OUTFILE CMD...: runs CMD once, its stdout and stderr into OUTFILE; sets RUN_US to its
# wall time; exits 1 if it fails.
run_us() {
  local out=$1 t0 t1 rc=0
  shift
  t0=$(now_us)
  "$@" >"$out" 2>&1 || rc=$?
  t1=$(now_us)
  if ((rc != 0)); then
    echo "${0##*/}: '$*' failed (exit $rc); its output begins:" >&2
    head -n 20 "$out" >&2
    exit 1
  fi
  RUN_US=$((t1 - t0))
}

libcsv_pass() { for f in ${FILES[$1]}; do "$CSVCOUNT" "$f" >/dev/null || return 1; done; }
# reconcile_run N [OUT]: the reconcile of N entries into OUT (.build/bench-out-N).
reconcile_run() {
  local n=$1 out=${2:-.build/bench-out-$1} journals=()
  for layout in $LAYOUTS; do journals+=(--journal "$layout"); done
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M -a -o ".build/bench-peaks-$n" "$REBILL" reconcile \
      ".build/bench-inbox-$n-$SEED" --out "$out" --quiet --timings "${journals[@]}"
  else
    "$REBILL" reconcile ".build/bench-inbox-$n-$SEED" --out "$out" --quiet \
      --timings "${journals[@]}"
  fi
}

# measure: RUNS rounds, each timing the libcsv pass and the reconcile of every size in turn,
# so that every figure, and every ratio of two, sees the same phases of this machine (its
# speed swings by a third over minutes). Keeps each one's best time (the stages printed are
# the best reconcile's), the highest peak memory of each size, and the floor: writing the
# same output bytes alone.
#
# With WARMUP, each measure runs once untimed right before it is timed (as `hyperfine
# --warmup` does), so that every timed run starts as the one before it left the machine. On
# this one that matters for memory: the host takes back what the guest has had free for about
# two seconds, and touching it again costs 2-10 us a page instead of 0.5-3 (docs/hardening.md,
# Fresh pages on this machine). Timed in turns without a warm-up, a 2M reconcile came seconds
# after the 1M one and its 2.1 s libcsv pass, and found all of its gigabyte taken back, while
# the 1M one came a second after the 2M of the round before and found its memory still there:
# the 2M/1M ratio compared a cold run with a warm one.
declare -A LIBCSV_US RECONCILE_US PEAK_KB OUT_BYTES FLOOR_US ROUND_US
# quiet: waits (untimed, up to a minute) until no earlier run's out folder is still being
# removed: a run leaves the removal of the out folder it replaced to a process of its own
# (docs/hardening.md, Crash safety), which would compete for the disk with the next measure.
quiet() {
  local i
  for ((i = 0; i < 600; i++)); do
    compgen -G ".build/.bench-out-*.rebill-old" >/dev/null || return 0
    sleep 0.1
  done
}
measure() {
  local n r t0 t1
  for n in "${SIZES[@]}"; do : >".build/bench-peaks-$n"; done
  for ((r = 1; r <= RUNS; r++)); do
    for n in "${SIZES[@]}"; do
      quiet
      ((WARMUP)) && run_us .build/bench-libcsv.run libcsv_pass "$n"
      run_us .build/bench-libcsv.run libcsv_pass "$n"
      if [[ -z ${LIBCSV_US[$n]:-} ]] || ((RUN_US < LIBCSV_US[$n])); then LIBCSV_US[$n]=$RUN_US; fi
      quiet
      if ((WARMUP)); then
        # Into an out folder of its own, removed first: it replaces nothing, so nothing is
        # still being removed when the timed run starts right after it.
        rm -rf ".build/bench-warmup-$n"
        run_us ".build/bench-stages-$n.run" reconcile_run "$n" ".build/bench-warmup-$n"
      fi
      run_us ".build/bench-stages-$n.run" reconcile_run "$n"
      ROUND_US[$n,$r]=$RUN_US
      if [[ -z ${RECONCILE_US[$n]:-} ]] || ((RUN_US < RECONCILE_US[$n])); then
        RECONCILE_US[$n]=$RUN_US
        mv -f ".build/bench-stages-$n.run" ".build/bench-stages-$n"
      fi
    done
  done
  rm -f .build/bench-libcsv.run .build/bench-stages-*.run
  rm -rf .build/bench-warmup-*
  for n in "${SIZES[@]}"; do
    PEAK_KB[$n]=$(sort -n ".build/bench-peaks-$n" | tail -n 1)
    PEAK_KB[$n]=${PEAK_KB[$n]:-0}
    OUT_BYTES[$n]=$(find ".build/bench-out-$n" -type f -exec cat {} + | wc -c)
    quiet
    t0=$(now_us)
    find ".build/bench-out-$n" -type f -exec cat {} + >.build/bench-floor
    sync .build/bench-floor 2>/dev/null || true
    t1=$(now_us)
    FLOOR_US[$n]=$(( t1 - t0 ))
    rm -f .build/bench-floor
  done
}

# report N TARGETS: the figures measured for N entries; TARGETS 1 gives the ratio and the memory
# their verdicts (the targets are the ENTRIES run's), 0 the figures alone.
report() {
  local n=$1 targets=$2
  sed 's/^rebill: /  stage: /' ".build/bench-stages-$n"
  awk -v n="$n" -v rows="${ROWS[$n]}" -v bytes="${BYTES[$n]}" -v r="${RECONCILE_US[$n]}" -v l="${LIBCSV_US[$n]}" -v kb="${PEAK_KB[$n]}" -v ob="${OUT_BYTES[$n]}" -v f="${FLOOR_US[$n]}" -v t="$targets" 'BEGIN {
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

warmups=$( ((WARMUP)) && echo ", each measure after an untimed run of itself" || true)
echo "rebill reconcile benchmark (layouts: $LAYOUTS; seed $SEED; best of $RUNS rounds, sizes in turn$warmups)"
for n in "${SIZES[@]}"; do prepare "$n"; done
measure
report "$ENTRIES" 1
if [[ $SCALE == 1 ]]; then
  report $(( ENTRIES * 2 )) 0
  awk -v a="${RECONCILE_US[$ENTRIES]}" -v b="${RECONCILE_US[$(( ENTRIES * 2 ))]}" 'BEGIN {
    printf "  2x entries took      %8.2f x the time (target: at most 2.2)   %s\n", b / a, (b / a <= 2.2 ? "PASS" : "OVER") }'
  # The same ratio round by round (each round's 2x run seconds after its 1x run, in the same
  # phase of the machine), for a view less at the mercy of which size caught the fastest
  # minutes: printed beside the verdict, which stays the ratio of the best times.
  for ((r = 1; r <= RUNS; r++)); do
    awk -v a="${ROUND_US[$ENTRIES,$r]}" -v b="${ROUND_US[$(( ENTRIES * 2 )),$r]}" \
      'BEGIN { print b / a }'
  done | sort -g | awk '{ q[NR] = $1 } END {
    median = (NR % 2) ? q[(NR + 1) / 2] : (q[NR / 2] + q[NR / 2 + 1]) / 2
    printf "  round by round       %8.2f x (median of %d rounds; %.2f to %.2f)\n", median, NR, q[1], q[NR] }'
fi
