#!/usr/bin/env python3
"""Combined summary of a scripts/bench.sh run: DIR/summary.md (also printed) and DIR/summary.json.

    scripts/bench_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T
                             [--inputs DIR] [--peer-python PY] [--callgrind N] --status CONV=RC... -- N [N...]

Reads what each conversion's harness wrote under DIR/<conversion>/ (results.json: the variants' figures, counts,
checks, callgrind; runs/runs.tsv: every timed run) for the conversions named in --status (with the harness's exit
status), and puts them side by side: per size and conversion every variant's median wall, MB/s, records/s and peak
RSS, and the paired wall-time ratios (median of per-iteration ratios) of casebridge, validation on and off, to each
other variant; then the performance issue's targets, each evaluated at each size (met / NOT met, with the
measured figure). Nothing is asserted here: the exit status is 1 only when a harness failed (a run or a count
check) or left no results.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_lib as bl  # noqa: E402

TITLE = {
    "jsonl": "JSON Lines → JSON Lines",
    "csv": "CSV → JSON Lines",
    "xml": "CaseBridge XML → JSON Lines",
    "jsonl-csv": "JSON Lines → CSV",
}
CB = ("cb-validate", "cb-novalidate")
RSS_GROWTH_TARGET = 1.1


def size_of(s: dict) -> int:
    return s.get("records", s.get("rows"))


def rate_of(p: dict) -> int:
    return p.get("recordsPerSecond", p.get("rowsPerSecond"))


def conversion(out: str, conv: str, sizes: list[int]) -> dict | None:
    """One conversion's figures per size, with the paired ratios of casebridge to every other variant."""
    path = os.path.join(out, conv, "results.json")
    if not os.path.exists(path):
        return None
    res = json.load(open(path))
    rows = bl.load_runs(os.path.join(out, conv))
    per_size = {}
    for s in res["sizes"]:
        n = size_of(s)
        if n not in sizes:
            continue
        variants = {v: {"label": p["label"], "runs": p["runs"], "medianWallSeconds": p["medianWallSeconds"],
                        "mbPerSecond": p["mbPerSecond"], "recordsPerSecond": rate_of(p), "peakRssMiB": p["peakRssMiB"]}
                    for v, p in s["variants"].items()}
        ratios = {}
        for x in CB:
            for y in variants:
                if x in variants and y != x and not (x == "cb-novalidate" and y == "cb-validate"):
                    ratios[f"{x} / {y}"] = bl.paired_ratio(rows, n, "elapsed_s", x, y)
        per_size[n] = {"inputBytes": s["inputBytes"], "inputSha256": s["inputSha256"], "variants": variants,
                       "wallRatios": ratios}
    return {"results": path, "checksPassed": res["checks"]["passed"], "failures": res["checks"]["failures"],
            "machine": res["machine"], "sizes": per_size, "callgrind": res.get("callgrind")}


def target_rows(convs: dict, sizes: list[int]) -> list[dict]:
    """The performance issue's done-criteria (validation on), evaluated per size from the paired ratios."""
    rows = []

    def ratio(conv, n, key):
        c = convs.get(conv)
        return c["sizes"].get(n, {}).get("wallRatios", {}).get(key) if c else None

    def add(target, conv, n, measured, threshold, figure):
        rows.append({"target": target, "conversion": conv, "records": n, "measured": measured,
                     "threshold": threshold, "figure": figure,
                     "met": None if measured is None else measured <= threshold})

    for n in sizes:
        r = ratio("csv", n, "cb-validate / polars")
        add("CSV → JSONL at least as fast as polars streaming", "csv", n, r, 1.0, "wall casebridge / polars")
        add("(stretch) CSV → JSONL 2× polars streaming", "csv", n, r, 0.5, "wall casebridge / polars")
        add("CSV → JSONL at least 6× Miller", "csv", n, ratio("csv", n, "cb-validate / miller"), round(1 / 6, 3),
            "wall casebridge / Miller")
        add("XML → JSONL within 1.25× a C libxml2 reader walk with streaming XSD", "xml", n,
            ratio("xml", n, "cb-validate / c-stream"), 1.25, "wall casebridge / C walk")
        add("JSONL → CSV at least as fast as polars", "jsonl-csv", n, ratio("jsonl-csv", n, "cb-validate / polars"),
            1.0, "wall casebridge / polars")
        for conv in TITLE:
            add("validation on costs at most 1.3× --no-validate", conv, n,
                ratio(conv, n, "cb-validate / cb-novalidate"), 1.3, "wall validate / --no-validate")
        for conv in TITLE:
            c = convs.get(conv)
            v = c["sizes"].get(n, {}).get("variants", {}) if c else {}
            peaks = [v[x]["peakRssMiB"] for x in CB if x in v]
            add("peak RSS at most 64 MiB (every casebridge run)", conv, n, max(peaks) if peaks else None,
                bl.RSS_TARGET_MIB, "larger peak of validate and --no-validate, MiB")
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for conv in TITLE:
            c = convs.get(conv)
            growth = None
            if c and small in c["sizes"] and large in c["sizes"]:
                vs, vl = c["sizes"][small]["variants"], c["sizes"][large]["variants"]
                growth = max(round(vl[x]["peakRssMiB"] / vs[x]["peakRssMiB"], 3) for x in CB if x in vs and x in vl)
            add(f"peak RSS at {large:,} at most 1.1× the peak at {small:,}", conv, f"{small:,} → {large:,}", growth,
                RSS_GROWTH_TARGET, "peak at largest / smallest size (worse of validate, --no-validate)")
    return rows


def targets_table(targets: list[dict]) -> list[str]:
    """The targets as a Markdown table: one row per target and conversion, one column per size."""
    cols = list(dict.fromkeys(t["records"] for t in targets))
    rows: dict[tuple, dict] = {}
    for t in targets:
        rows.setdefault((t["target"], t["conversion"], t["figure"], t["threshold"]), {})[t["records"]] = t
    md = ["| target | conversion | measured as | threshold | " + " | ".join(fmt(c) for c in cols) + " |",
          "|---|---|---|---:|" + "---:|" * len(cols)]
    for (target, conv, figure, threshold), by in rows.items():
        cells = []
        for c in cols:
            t = by.get(c)
            cells.append("" if t is None else "not measured" if t["met"] is None else
                         f"{fmt(t['measured'])} " + ("met" if t["met"] else "**NOT met**"))
        md.append(f"| {target} | {TITLE[conv]} | {figure} | ≤ {fmt(threshold)} | " + " | ".join(cells) + " |")
    return md + [""]


def fmt(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.3f}".rstrip("0").rstrip(".") if x < 100 else f"{x:,.1f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def main() -> int:
    ap = bl.arguments(__doc__)
    ap.add_argument("--status", nargs="+", default=[], metavar="CONV=RC", help="each harness's exit status")
    a = ap.parse_args()
    status = dict(x.split("=", 1) for x in a.status)
    status = {k: int(v) for k, v in status.items()}
    convs = {c: conversion(a.out, c, a.sizes) for c in TITLE if c in status}
    ran = {c: x for c, x in convs.items() if x is not None}
    targets = target_rows(ran, a.sizes)
    failures = [f"{c}: the harness exited {rc}" for c, rc in status.items() if rc != 0]
    failures += [f"{c}: no results (DIR/{c}/results.json)" for c, x in convs.items() if x is None]
    peers = bl.peer_versions(a.peer_python, "polars", "duckdb", "lxml")
    m = bl.machine(a, miller=bl.sh("mlr", "--version"), **peers,
                   libxml2=bl.sh("pkg-config", "--modversion", "libxml-2.0"), gcc=bl.sh("gcc", "-dumpfullversion"))
    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed, "sizes": a.sizes, "machine": m,
              "harnessExitStatus": status, "conversions": ran, "targets": targets,
              "callgrind": {c: x["callgrind"] for c, x in ran.items() if x.get("callgrind")},
              "checks": {"passed": not failures, "failures": failures}}

    md = ["# CaseBridge benchmarks: all conversions side by side", "",
          f"Command: `{a.command}` ({a.runs} paired run(s) per size; started {m['dateUTC']}, summary "
          f"{m['summaryDateUTC']}). Machine: {m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB, Linux "
          f"{m['kernel']}, load average at start {' '.join(map(str, m['loadAverageAtStart']))}, at end "
          f"{' '.join(map(str, m['loadAverage']))}. Binary sha256 `{m['binarySha256'][:16]}…`, {bl.built_phrase(m)}; "
          f"{m['swift']}.", "",
          f"Peers: {m['polars']}; {m['duckdb']}; {m['lxml']}; {m['miller']}; system libxml2 {m['libxml2']} with gcc "
          f"{m['gcc']} (the C walk); Python {m['python']}.", "",
          "## Targets (performance issue; validation on; paired ratios, lower is better)", ""]
    md += targets_table(targets)
    for n in a.sizes:
        md += [f"## {n:,} records", ""]
        for c, x in ran.items():
            s = x["sizes"].get(n)
            if not s:
                continue
            md += [f"### {TITLE[c]} ({s['inputBytes'] / 1e6:.1f} MB, SHA-256 `{s['inputSha256'][:16]}…`)", "",
                   "| variant | median wall (s) | MB/s | records/s | peak RSS (MiB) | casebridge validate / it | "
                   "casebridge --no-validate / it |", "|---|---:|---:|---:|---:|---:|---:|"]
            for v, p in s["variants"].items():
                rv = s["wallRatios"].get(f"cb-validate / {v}")
                rn = s["wallRatios"].get(f"cb-novalidate / {v}")
                md.append(f"| {p['label']} | {p['medianWallSeconds']:.2f} | {fmt(p['mbPerSecond'])} "
                          f"| {fmt(p['recordsPerSecond'])} | {p['peakRssMiB']} | {fmt(rv)} | {fmt(rn)} |")
            md.append("")
    if result["callgrind"]:
        md += [f"## Instructions per record (valgrind --tool=callgrind, {a.callgrind:,}-record inputs, casebridge "
               "stripped of debug information)", "",
               "| conversion | casebridge validate | casebridge --no-validate | C walk + streaming XSD |",
               "|---|---:|---:|---:|"]
        for c, cg in result["callgrind"].items():
            v = cg["variants"]
            md.append(f"| {TITLE[c]} | " + " | ".join(fmt(v[k]["irPerRecord"]) if k in v else "–"
                                                      for k in ("cb-validate", "cb-novalidate", "c-stream")) + " |")
        md.append("")
    md += ["## Checks", ""]
    for c, rc in status.items():
        x = convs.get(c)
        md.append(f"- {TITLE[c]}: harness exit {rc}; count checks "
                  + ("none (no results)" if x is None else "passed" if x["checksPassed"] else
                     "FAILED: " + "; ".join(x["failures"]))
                  + f" (details: `{os.path.join(a.out, c, 'results.md')}`).")
    md.append("")
    text = "\n".join(md)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print()
    print(text)
    print(f"wrote {os.path.join(a.out, 'summary.md')} and {os.path.join(a.out, 'summary.json')}")
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
