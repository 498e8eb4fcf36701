#!/usr/bin/env python3
"""bench/turns.py: two (or more) builds of rebill, reconciling the same inbox in turns.

This machine's speed swings by a fifth to a third between phases of a few minutes, so one
build timed after another compares the phases more than the builds. Run in turns, each round
every build once (in the reverse order every other round), the figures of each build come from the same minutes. Prints for each build:
the median and least wall time, the median time of each stage (`--timings`), and the mean
processor time, kernel time, page faults and peak memory (GNU time). Checks that every build
writes the same out folder as the first: a change of speed must not change the output.

    python3 bench/turns.py [--runs N] [--inbox DIR] BINARY_A BINARY_B ...

Copy each build aside first (`cp .build/release/rebill /tmp/rebill.a`). The inbox defaults to
`make bench`'s 1M inbox (`.build/bench-inbox-1000000-1`: run `make bench` once to make it).
Run from the repository root (the builds read `mappings/` from there). Exit 1 when a run fails
or the out folders differ.
"""

import argparse
import filecmp
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LAYOUTS = ["generic", "datev", "hledger"]
STAGES = ["reading", "reconciling", "writing"]


def run(binary, inbox, out):
    """One reconcile: its wall time, stage times and GNU time's figures."""
    journals = [arg for layout in LAYOUTS for arg in ("--journal", layout)]
    command = ["/usr/bin/time", "-f", "TIME %U %S %R %M", binary, "reconcile", inbox,
               "--out", out, "--quiet", "--timings", *journals]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"turns: {binary} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    figures = {"wall": wall}
    for line in done.stderr.splitlines():
        stage = re.search(r"rebill: (\w+).*: (\d+) ms \(cpu", line)
        if stage and stage.group(1) in STAGES:
            figures[stage.group(1)] = int(stage.group(2)) / 1000
        if line.startswith("TIME "):
            user, system, faults, peak = line.split()[1:]
            figures.update(cpu=float(user) + float(system), system=float(system),
                           faults=int(faults), peak=int(peak) / 1024)
    return figures


def same_tree(a, b):
    """Whether two out folders hold the same files with the same bytes."""
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in compared.common_dirs)


def main():
    parser = argparse.ArgumentParser(description="Builds of rebill timed in turns.")
    parser.add_argument("--runs", type=int, default=8, help="rounds (default 8)")
    parser.add_argument("--inbox", default=".build/bench-inbox-1000000-1")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    if not os.path.isdir(args.inbox):
        sys.exit(f"turns: {args.inbox} not found: run 'make bench' once to generate it")
    scratch = tempfile.mkdtemp(prefix="rebill-turns-")
    try:
        figures = {b: [] for b in args.binaries}
        for round in range(args.runs):
            # Every other round in the reverse order: the run after another is not the same
            # as the first (the other's old out folder is still being removed, among others),
            # and in a fixed order that favoured one build by up to 4 % (the same build twice).
            order = list(enumerate(args.binaries))
            for i, binary in order if round % 2 == 0 else reversed(order):
                figures[binary].append(run(binary, args.inbox, os.path.join(scratch, f"out{i}")))
                time.sleep(0.5)
        first = os.path.join(scratch, "out0")
        for i, binary in enumerate(args.binaries[1:], start=1):
            if not same_tree(first, os.path.join(scratch, f"out{i}")):
                sys.exit(f"turns: {binary} writes an out folder other than {args.binaries[0]}'s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{args.runs} rounds, {args.inbox}; medians of wall and stages, means of the rest")
    for binary, runs in figures.items():
        def median(key):
            return statistics.median(r[key] for r in runs if key in r)

        def mean(key):
            return statistics.mean(r[key] for r in runs)

        walls = [r["wall"] for r in runs]
        stages = " ".join(f"{s} {median(s):.2f} s" for s in STAGES)
        print(f"{binary}\n  wall {statistics.median(walls):.2f} s (least {min(walls):.2f} s) | "
              f"{stages}\n  processor {mean('cpu'):.2f} s (kernel {mean('system'):.2f} s) | "
              f"faults {mean('faults') / 1000:.0f}k | peak {mean('peak'):.0f} MiB")


if __name__ == "__main__":
    main()
