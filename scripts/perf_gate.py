#!/usr/bin/env python3
"""Figures and checks of scripts/perf_gate.sh (see there and BENCHMARKS.md "Regression gates (CI)").

    perf_gate.py instructions-check  --runs DIR --file Benchmarks/Thresholds/instructions.json --swift-version V
    perf_gate.py instructions-update --runs DIR --file Benchmarks/Thresholds/instructions.json --swift-version V
    perf_gate.py allocations-report  --thresholds Benchmarks/Thresholds

DIR holds, per conversion NAME and size N (1000, 10000), NAME-N.callgrind (callgrind's output) and
NAME-N.report.json (the run report). Ir/record is Ir(10k) / 10k, gated; the steady state (Ir(10k) - Ir(1k)) / 9k
is printed and recorded beside it. Exit codes: 0 pass, 2 regression, 1 anything else (missing run, bad counts).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

CONVERSIONS = ["csv-to-jsonl", "jsonl-to-jsonl", "xml-to-jsonl", "jsonl-to-csv"]
SMALL, LARGE = 1000, 10000
DEFAULT_TOLERANCE = 3.0
TARGET = "CaseBridgeBenchmarks"


def fail(msg: str) -> None:
    print(f"perf-gate: {msg}", file=sys.stderr)
    sys.exit(1)


def callgrind_total(path: str) -> int:
    """The total Ir of a callgrind output file (its `summary:` / `totals:` line)."""
    total = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                total = int(m.group(1))
    if total is None:
        fail(f"{path}: no total in the callgrind output")
    return total


def checked_records(report_path: str, n: int, name: str) -> None:
    """The run read all n records and accepted at least 99 %: a run that did less must not pass as faster."""
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    inp = report["inputs"][0]
    read, acc, quar = inp.get("read", -1), inp.get("accepted", -1), inp.get("quarantined", -1)
    if read != n or acc + quar != read or acc < n * 99 // 100:
        fail(f"{name} on {n} records: read {read}, accepted {acc}, quarantined {quar} (see {report_path})")


def measure_instructions(runs: str) -> dict:
    figures = {}
    for name in CONVERSIONS:
        ir = {}
        for n in (SMALL, LARGE):
            base = os.path.join(runs, f"{name}-{n}")
            checked_records(base + ".report.json", n, name)
            ir[n] = callgrind_total(base + ".callgrind")
        figures[name] = {
            "irPerRecord": round(ir[LARGE] / LARGE, 1),
            "steadyIrPerRecord": round((ir[LARGE] - ir[SMALL]) / (LARGE - SMALL), 1),
            "ir1k": ir[SMALL],
            "ir10k": ir[LARGE],
        }
    return figures


def print_table(figures: dict, recorded: dict | None, tolerance: float) -> list[str]:
    """Prints the figures (and the recorded ones); returns the names of regressions beyond the tolerance."""
    regressions = []
    print(f"{'conversion':<16} {'Ir/record':>11} {'recorded':>11} {'change':>8} {'steady Ir/rec':>14} {'Ir 10k':>14}")
    for name, f in figures.items():
        rec = (recorded or {}).get(name, {}).get("irPerRecord")
        change = (f["irPerRecord"] / rec - 1) * 100 if rec else None
        flag = ""
        if change is not None and change > tolerance:
            regressions.append(name)
            flag = "  REGRESSION"
        elif change is not None and change < -tolerance:
            flag = "  faster: re-record"
        print(f"{name:<16} {f['irPerRecord']:>11.1f} {rec if rec is not None else '-':>11} "
              f"{('%+.2f%%' % change) if change is not None else '-':>8} {f['steadyIrPerRecord']:>14.1f} "
              f"{f['ir10k']:>14}{flag}")
    return regressions


def instructions(args: argparse.Namespace, update: bool) -> int:
    figures = measure_instructions(args.runs)
    recorded = None
    if os.path.exists(args.file):
        with open(args.file, encoding="utf-8") as f:
            recorded = json.load(f)
    tolerance = float((recorded or {}).get("tolerancePercent", DEFAULT_TOLERANCE))
    if update:
        doc = {
            "about": "Instructions (valgrind --tool=callgrind Ir) per record of the release casebridge CLI, one "
                     "conversion of the 10k-record input of scripts/gen_*.py --seed 1 with validation on; gated "
                     "by scripts/perf_gate.sh (Ir/record may grow by at most tolerancePercent). Re-record with "
                     "scripts/perf_gate.sh --update. Ir depends on the exact binary: recorded with swiftVersion.",
            "swiftVersion": args.swift_version,
            "tolerancePercent": tolerance,
            "records": LARGE,
            "seed": 1,
            "conversions": figures,
        }
        with open(args.file, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print_table(figures, None, tolerance)
        print(f"perf-gate: recorded instructions/record in {args.file}")
        return 0
    if recorded is None:
        fail(f"{args.file} is missing: record it with scripts/perf_gate.sh --update")
    missing = [n for n in CONVERSIONS if n not in recorded.get("conversions", {})]
    if missing:
        fail(f"{args.file} has no figures for {', '.join(missing)}: re-record with scripts/perf_gate.sh --update")
    regressions = print_table(figures, recorded["conversions"], tolerance)
    same_toolchain = recorded.get("swiftVersion") == args.swift_version
    if not same_toolchain:
        print(f"perf-gate: note: instructions.json was recorded with '{recorded.get('swiftVersion')}', this is "
              f"'{args.swift_version}'; Ir depends on the compiler")
    if regressions:
        print(f"perf-gate: INSTRUCTION REGRESSION: Ir/record of {', '.join(regressions)} is more than "
              f"{tolerance}% above {args.file}."
              + ("" if same_toolchain else " The toolchain differs from the recorded one: that alone can explain it.")
              + " If the increase is intended, re-record: scripts/perf_gate.sh --update --only instructions",
              file=sys.stderr)
        return 2
    print(f"perf-gate: instructions/record within +{tolerance}% of {args.file}")
    return 0


def allocations_report(args: argparse.Namespace) -> int:
    """Every threshold file must exist (package-benchmark skips a benchmark whose file is missing, silently);
    prints the recorded mallocs per record: total/10k and steady state (m(10k) - m(1k)) / 9k."""
    print(f"{'conversion':<16} {'mallocs 1k':>11} {'mallocs 10k':>12} {'per record':>11} {'steady/rec':>11}  (recorded)")
    for name in CONVERSIONS:
        m = {}
        for n in (SMALL, LARGE):
            path = os.path.join(args.thresholds, f"{TARGET}.{name}.{n // 1000}k.p90.json")
            if not os.path.exists(path):
                fail(f"{path} is missing: record it with scripts/perf_gate.sh --update --only allocations")
            with open(path, encoding="utf-8") as f:
                m[n] = json.load(f)["mallocCountTotal"]
        print(f"{name:<16} {m[SMALL]:>11} {m[LARGE]:>12} {m[LARGE] / LARGE:>11.2f} "
              f"{(m[LARGE] - m[SMALL]) / (LARGE - SMALL):>11.2f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    for c in ("instructions-check", "instructions-update"):
        p = sub.add_parser(c)
        p.add_argument("--runs", required=True)
        p.add_argument("--file", required=True)
        p.add_argument("--swift-version", required=True)
    p = sub.add_parser("allocations-report")
    p.add_argument("--thresholds", required=True)
    a = ap.parse_args()
    if a.command == "allocations-report":
        return allocations_report(a)
    return instructions(a, update=a.command == "instructions-update")


if __name__ == "__main__":
    sys.exit(main())
