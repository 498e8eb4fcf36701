#!/usr/bin/env bash
# bench/bench-csv.sh: how fast does `rebill check` read a big inbox, compared
# with libcsv merely counting the fields of the same timesheet file?
#
# Run from the repository root after `make build` (the Makefile does both):
#   bench/bench-csv.sh
# Environment: ROWS (1000000), SEED (1), RUNS (3, best wall time is kept),
# TARGET (3: the most rebill/libcsv may be), REBILL (.build/release/rebill).
#
# A benchmark prints figures: it exits 0 even when the ratio is OVER target.
# It exits 1 when it cannot measure (no binary, a failing run, wrong counts).
set -euo pipefail
export LC_ALL=C # a '.' in EPOCHREALTIME and in awk's numbers
source bench/common.sh

ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
TARGET=${TARGET:-3}
REBILL=${REBILL:-.build/release/rebill}
CSVCOUNT=.build/csvcount
INBOX=.build/bench-inbox
CSV=$INBOX/timesheets/timesheets.csv

die() {
  echo "bench-csv: $*" >&2
  exit 1
}

[[ -f bench/gen_timesheets.py && -f bench/csvcount.c ]] ||
  die "run from the repository root (bench/ not found in $PWD)"
[[ $ROWS =~ ^[0-9]+$ && $RUNS =~ ^[1-9][0-9]*$ ]] || die "ROWS and RUNS must be whole numbers"

[[ -x $REBILL ]] || die "$REBILL not found: run 'make build' first"

mkdir -p .build
cc -O2 -o "$CSVCOUNT" bench/csvcount.c -lcsv || die "cannot build $CSVCOUNT (is libcsv-dev installed?)"
python3 bench/gen_timesheets.py --rows "$ROWS" --seed "$SEED" "$INBOX"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# peak_kb CMD...: peak resident memory in KB via GNU time, or empty.
have_gnu_time=false
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o "$tmp/probe" true 2>/dev/null; then
  have_gnu_time=true
fi
peak_kb() {
  $have_gnu_time || return 0
  /usr/bin/time -f %M -o "$tmp/mem" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$tmp/mem"
}

bytes=$(wc -c <"$CSV")

echo "bench-csv: timing $CSVCOUNT, best of $RUNS" >&2
best_us "$tmp/csvcount.out" "$CSVCOUNT" "$CSV"
csv_us=$BEST_US
want="rows=$((ROWS + 1)) fields=$(((ROWS + 1) * 9))"
got=$(cat "$tmp/csvcount.out")
[[ $got == "$want" ]] || die "csvcount says '$got', expected '$want' (header included)"

echo "bench-csv: timing $REBILL check $INBOX, best of $RUNS" >&2
best_us "$tmp/rebill.out" "$REBILL" check "$INBOX"
rebill_us=$BEST_US

csv_kb=$(peak_kb "$CSVCOUNT" "$CSV")
rebill_kb=$(peak_kb "$REBILL" check "$INBOX")

echo
echo "rebill check output (last lines):"
tail -n 5 "$tmp/rebill.out" | sed 's/^/  /'
echo

awk -v bytes="$bytes" -v rows="$ROWS" -v runs="$RUNS" -v target="$TARGET" \
  -v csv_us="$csv_us" -v reb_us="$rebill_us" \
  -v csv_kb="$csv_kb" -v reb_kb="$rebill_kb" -v have_time="$have_gnu_time" \
  -v file="$CSV" '
function mem(kb) { return kb == "" ? "n/a" : sprintf("%.1f MiB", kb / 1024) }
BEGIN {
  mb = bytes / 1e6
  tc = csv_us / 1e6; if (tc <= 0) tc = 1e-6
  tr = reb_us / 1e6; if (tr <= 0) tr = 1e-6
  printf "CSV read benchmark: %s\n", file
  printf "  %.1f MB, %d rows (+ header), best wall time of %d runs\n\n", mb, rows, runs
  printf "  %-22s %10s %12s %9s %12s\n", "", "best (s)", "rows/s", "MB/s", "peak memory"
  printf "  %-22s %10.3f %12.0f %9.1f %12s\n", "libcsv (csvcount)", tc, rows / tc, mb / tc, mem(csv_kb)
  printf "  %-22s %10.3f %12.0f %9.1f %12s\n", "rebill check", tr, rows / tr, mb / tr, mem(reb_kb)
  ratio = tr / tc
  printf "\n  ratio rebill/libcsv: %.2f  (target: at most %s)  %s\n", ratio, target,
    ratio <= target ? "PASS" : "OVER"
  if (have_time != "true")
    printf "  peak memory: /usr/bin/time (GNU time) is not available, not measured\n"
  else
    printf "  peak memory of rebill check: %s (max resident set, GNU time %%M)\n", mem(reb_kb)
}'
