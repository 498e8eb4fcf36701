#!/usr/bin/env python3
"""Generate a large, valid rebill inbox for benchmarking the CSV reader.

    python3 bench/gen_timesheets.py --rows N --seed S OUT_INBOX

writes OUT_INBOX/contracts/contracts.csv (time-and-material contract lines,
one project per line, EUR) and OUT_INBOX/timesheets/timesheets.csv (N time
entries). Output depends only on --rows, --seed and --lines: no clock, no
environment. Python stdlib only.

A hidden marker file OUT_INBOX/.gen_timesheets records the parameters and a
hash of this script; when it matches and both files exist, nothing is
regenerated (--force regenerates anyway). Hidden files are
skipped by rebill (FORMATS.md), so the marker does not disturb `check`.

Sizing: about 85 bytes per timesheet row, so 1,000,000 rows make ~85 MB.
"""

import argparse
import datetime
import hashlib
import os
import random
import sys

MARKER = ".gen_timesheets"

ROLES = [
    "developer", "consultant", "architect", "analyst", "designer",
    "tester", "pm", "engineer", "trainer", "advisor",
]

VERBS = [
    "review", "fix", "update", "draft", "test", "deploy", "migrate", "design",
    "refactor", "document", "plan", "prepare", "analyse", "configure",
    "support", "check", "build", "clean up", "discuss", "present",
]
OBJECTS = [
    "API", "invoices", "report", "login", "backlog", "schema", "payroll",
    "dashboard", "budget", "tax rules", "release", "pipeline", "forecast",
    "contract", "export", "workshop", "data model", "tests", "sprint",
    "ledger", "UI", "specs", "Zürich rollout", "café POS", "hotfix",
]
QUALIFIERS = [
    "with client", "for Q2 close", "second pass", "after review", "on site",
    "remote session", "per spec", "status call", "follow-up", "part 2 of 3",
]

# Billing: mostly chargeable (~90%), some non_chargeable and complimentary.
BILLING_POOL = ["chargeable"] * 90 + ["non_chargeable"] * 7 + ["complimentary"] * 3

HEADER = "entry,date,project,hours,unit_price,resource,role,billing,description\n"
CONTRACT_HEADER = (
    "contract,customer,currency,contract_line,project,billing_method,tax_rate\n"
)


def csv_quote(text):
    """RFC 4180 quoting, only when the field needs it."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def make_projects(rng, lines):
    """Contract lines: contracts of 1..4 lines each, one project per line."""
    tax_rates = ["19", "20", "21", "0", "7.7", "25.5"]
    rows = []
    n_line = 0
    n_contract = 0
    while n_line < lines:
        n_contract += 1
        contract = "K%04d" % n_contract
        customer = "CUST%03d" % (1 + (n_contract * 7) % 97)
        tax = tax_rates[int(rng.random() * len(tax_rates))]
        for k in range(min(1 + int(rng.random() * 4), lines - n_line)):
            n_line += 1
            rows.append(
                (contract, customer, "EUR", "%s-%d" % (contract, k + 1),
                 "P%04d" % n_line, "time_and_material", tax)
            )
    return rows


def make_resources(rng, count):
    """Each resource has a role and an hourly rate 95.00..250.00, as the
    precomputed 'unit_price,resource,role' part of a row."""
    out = []
    for i in range(count):
        role = ROLES[int(rng.random() * len(ROLES))]
        cents = 9500 + int(rng.random() * 32) * 500  # multiples of 5.00
        if rng.random() < 0.2:
            cents = 9500 + int(rng.random() * 15501)  # odd cents
        out.append("%d.%02d,R%04d,%s" % (cents // 100, cents % 100, i + 1, role))
    return out


def make_descriptions(rng, count):
    """A pool of descriptions: 1..3 words-ish phrases, ~2% quoted with a comma,
    a few with an escaped double quote."""
    out = []
    for _ in range(count):
        verb = VERBS[int(rng.random() * len(VERBS))]
        obj = OBJECTS[int(rng.random() * len(OBJECTS))]
        r = rng.random()
        if r < 0.02:
            obj2 = OBJECTS[int(rng.random() * len(OBJECTS))]
            text = "%s %s, %s" % (verb, obj, obj2)
        elif r < 0.025:
            text = '%s "%s" section' % (verb, obj)
        elif r < 0.66:
            text = "%s %s %s" % (verb, obj, QUALIFIERS[int(rng.random() * len(QUALIFIERS))])
        elif r < 0.69:
            text = ""  # some entries have no description
        else:
            text = "%s %s" % (verb, obj)
        out.append(csv_quote(text))
    return out


def make_hours():
    """Hours 0.25..10.00 as short decimals ('8', '7.5', '7.25', '1.33');
    index 0..975 = hundredths 25..1000."""
    out = []
    for h in range(25, 1001):
        s = "%d.%02d" % (h // 100, h % 100)
        s = s.rstrip("0").rstrip(".")
        out.append(s)
    return out


def make_dates(rng):
    """Dates of 2026: working days, with ~3% weekend days."""
    day = datetime.date(2026, 1, 1)
    weekdays, weekends = [], []
    while day.year == 2026:
        (weekends if day.weekday() >= 5 else weekdays).append(day.isoformat())
        day += datetime.timedelta(days=1)
    return weekdays * 32 + weekends  # 261*32 vs 104: ~1.2% weekend


def marker_text(rows, seed, lines):
    # The generator's own hash: editing this script invalidates old output.
    with open(os.path.abspath(__file__), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    return "rows=%d seed=%d lines=%d generator=%s\n" % (rows, seed, lines, digest)


def up_to_date(out, rows, seed, lines):
    paths = [
        os.path.join(out, MARKER),
        os.path.join(out, "contracts", "contracts.csv"),
        os.path.join(out, "timesheets", "timesheets.csv"),
    ]
    if not all(os.path.isfile(p) for p in paths):
        return False
    with open(paths[0], encoding="utf-8") as f:
        return f.read() == marker_text(rows, seed, lines)


def write_contracts(path, projects):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(CONTRACT_HEADER)
        for row in projects:
            f.write(",".join(row) + "\n")
    os.replace(tmp, path)


def write_timesheets(path, rows, rng, projects, resources, descriptions):
    hours = make_hours()
    dates = make_dates(rng)
    project_ids = [p[4] for p in projects]
    width = max(7, len(str(rows)))
    fmt_id = "T%0" + str(width) + "d"

    r = rng.random
    n_dates, n_proj, n_hours = len(dates), len(project_ids), len(hours)
    n_res, n_bill, n_desc = len(resources), len(BILLING_POOL), len(descriptions)
    quarter = [h for h in range(0, n_hours) if (h + 25) % 25 == 0]
    n_quarter = len(quarter)
    billing = BILLING_POOL

    tmp = path + ".tmp"
    chunk = 20000
    with open(tmp, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        f.write(HEADER)
        i = 1
        while i <= rows:
            end = min(rows, i + chunk - 1)
            buf = []
            append = buf.append
            for n in range(i, end + 1):
                x = r()
                # ~75% quarter hours, the rest any hundredth
                if x < 0.75:
                    h = hours[quarter[int(x * 1.3333333 * n_quarter)]]
                else:
                    h = hours[int((x - 0.75) * 4.0 * n_hours)]
                append(
                    f"{fmt_id % n},{dates[int(r() * n_dates)]},"
                    f"{project_ids[int(r() * n_proj)]},{h},"
                    f"{resources[int(r() * n_res)]},"
                    f"{billing[int(r() * n_bill)]},"
                    f"{descriptions[int(r() * n_desc)]}\n"
                )
            f.write("".join(buf))
            i = end + 1
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="timesheet rows")
    ap.add_argument("--seed", type=int, required=True, help="random seed")
    ap.add_argument("--lines", type=int, default=200,
                    help="time-and-material contract lines (default 200)")
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    ap.add_argument("out", metavar="OUT_INBOX")
    args = ap.parse_args(argv)
    if args.rows < 0 or args.lines < 1:
        ap.error("--rows must be >= 0 and --lines >= 1")

    out = args.out
    if not args.force and up_to_date(out, args.rows, args.seed, args.lines):
        print("gen_timesheets: %s up to date (rows=%d seed=%d)"
              % (out, args.rows, args.seed), file=sys.stderr)
        return 0

    os.makedirs(os.path.join(out, "contracts"), exist_ok=True)
    os.makedirs(os.path.join(out, "timesheets"), exist_ok=True)
    marker = os.path.join(out, MARKER)
    if os.path.exists(marker):
        os.remove(marker)  # invalid until both files are rewritten

    rng = random.Random(args.seed)
    projects = make_projects(rng, args.lines)
    resources = make_resources(rng, 600)
    descriptions = make_descriptions(rng, 4096)

    write_contracts(os.path.join(out, "contracts", "contracts.csv"), projects)
    write_timesheets(os.path.join(out, "timesheets", "timesheets.csv"),
                     args.rows, rng, projects, resources, descriptions)
    with open(marker, "w", encoding="utf-8") as f:
        f.write(marker_text(args.rows, args.seed, args.lines))
    print("gen_timesheets: wrote %s (rows=%d seed=%d)" % (out, args.rows, args.seed),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
