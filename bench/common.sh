# bench/common.sh: what the benchmarks share. Sourced, not run.

# Wall clock in microseconds, without forking when bash has EPOCHREALTIME.
now_us() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    echo "${EPOCHREALTIME/./}"
  else
    date +%s%6N
  fi
}

# best_us OUTFILE CMD...: runs CMD $RUNS times, sets BEST_US to the fastest wall time and
# leaves the fastest run's stdout and stderr in OUTFILE; exits 1 if a run fails. (Its locals
# have names of their own: CMD may be a function, which sees them.)
best_us() {
  local best_file=$1
  shift
  local best_i best_t0 best_t1 best_rc
  BEST_US=
  for ((best_i = 1; best_i <= RUNS; best_i++)); do
    best_t0=$(now_us)
    best_rc=0
    "$@" >"$best_file.run" 2>&1 || best_rc=$?
    best_t1=$(now_us)
    if ((best_rc != 0)); then
      echo "${0##*/}: '$*' failed (exit $best_rc); its output begins:" >&2
      head -n 20 "$best_file.run" >&2
      exit 1
    fi
    if [[ -z $BEST_US ]] || ((best_t1 - best_t0 < BEST_US)); then
      BEST_US=$((best_t1 - best_t0))
      mv -f "$best_file.run" "$best_file"
    fi
  done
  rm -f "$best_file.run"
}
