#!/usr/bin/env python3
"""Summary of a scripts/bench_jsonl_csv.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_jsonl_csv_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T
                                       [--inputs DIR] [--peer-python PY] [--callgrind N] N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports, DuckDB's COPY row counts, the CSV
record counts of every run's output (DIR/runs/N/VARIANT-ITER.csvrecords.json, by scripts/bench_csv_records.py) and
the generator's records-N-seedS.jsonl.stats.json. Figures as in scripts/bench_lib.py (median wall, MB/s, records/s,
peak RSS, paired ratios = median of per-iteration ratios).

Checks (exit 1 if one fails; timings are never checked): every CaseBridge report has read == N == accepted +
quarantined, quarantined == the generator's bad lines, disposition processed, exit code == the process's, and the
CSV records written == accepted, per type (<type>.csv) == the report's accepted entities of that type; every peer
wrote N CSV records, each row as wide as its header (and DuckDB's COPY counted N rows).
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_lib as bl  # noqa: E402

VARIANTS = ["cb-validate", "cb-novalidate", "polars", "duckdb", "miller"]
LABEL = {
    "cb-validate": "casebridge convert --to csv (validate)",
    "cb-novalidate": "casebridge convert --to csv --no-validate",
    "polars": "polars `scan_ndjson().sink_csv()` (streaming)",
    "duckdb": "DuckDB `COPY (FROM read_json()) TO (HEADER)`",
    "miller": "Miller `flatten then unsparsify -f` (2 passes)",
}
RATIOS = [
    ("wall cb-validate / polars", "elapsed_s", "cb-validate", "polars"),
    ("wall cb-novalidate / polars", "elapsed_s", "cb-novalidate", "polars"),
    ("wall cb-validate / duckdb", "elapsed_s", "cb-validate", "duckdb"),
    ("wall cb-novalidate / duckdb", "elapsed_s", "cb-novalidate", "duckdb"),
    ("wall cb-validate / miller", "elapsed_s", "cb-validate", "miller"),
    ("wall cb-novalidate / miller", "elapsed_s", "cb-novalidate", "miller"),
    ("wall cb-validate / cb-novalidate", "elapsed_s", "cb-validate", "cb-novalidate"),
    ("wall polars / miller", "elapsed_s", "polars", "miller"),
    ("peak RSS cb-validate / polars", "maxrss_kb", "cb-validate", "polars"),
]


def check_run(failures: list[str], where: str, v: str, r: dict, stats: dict, out: str) -> dict:
    n, bad = stats["records"], stats["badLines"]
    written = json.load(open(os.path.join(out, "runs", r["size"], f"{v}-{r['iter']}.csvrecords.json")))
    if v.startswith("cb-"):
        got = bl.report_counts(r["counts"], entities=True)
        bl.check_sum(failures, where, got)
        if got["read"] != n:
            failures.append(f"{where}: read {got['read']} != {n} input lines")
        if got["quarantined"] != bad:
            failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad lines")
        if got["disposition"] != "processed":
            failures.append(f"{where}: disposition {got['disposition']}")
        if got["exitCode"] != int(r["rc"]):
            failures.append(f"{where}: report exitCode {got['exitCode']} != process exit {r['rc']}")
        if written["records"] != got["accepted"]:
            failures.append(f"{where}: {written['records']} CSV records written != accepted {got['accepted']}")
        per_type = {name[:-4]: x["records"] for name, x in written["files"].items()}
        if per_type != got["entities"]:
            failures.append(f"{where}: CSV records per type {per_type} != accepted entities {got['entities']}")
    else:
        got = {}
        if written["records"] != n:
            failures.append(f"{where}: {written['records']} CSV records written != {n} input lines")
        if r["counts"]:  # DuckDB's COPY row count
            got["rows"] = json.load(open(r["counts"]))["rows"]
            if got["rows"] != n:
                failures.append(f"{where}: COPY wrote {got['rows']} rows != {n} input lines")
    ragged = sum(x["ragged"] for x in written["files"].values())
    if ragged:
        failures.append(f"{where}: {ragged} CSV rows not as wide as their header")
    got["csvRecords"] = written["records"]
    got["csvColumns"] = {name: x["columns"] for name, x in written["files"].items()}
    return got


def main() -> int:
    a = bl.arguments(__doc__).parse_args()
    rows = bl.load_runs(a.out)
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = bl.input_path(a, f"records-{n}-seed{a.seed}.jsonl")
        stats = json.load(open(inp + ".stats.json"))
        per: dict[str, dict] = {}
        for v in VARIANTS:
            rs = bl.runs_of(rows, n, v)
            per[v] = bl.variant_stats(rs, LABEL[v], stats["bytes"], stats["records"], "recordsPerSecond")
            counts = [check_run(failures, f"{n} records, {v}, iteration {r['iter']}", v, r, stats, a.out) for r in rs]
            bl.check_same_counts(failures, f"{n} records, {v}", counts, ("read", "accepted", "quarantined", "csvRecords"))
            per[v]["counts"] = counts[0]
        ratios = {name: bl.paired_ratio(rows, n, field, x, y) for name, field, x, y in RATIOS}
        sizes_out.append({"records": n, "inputPath": inp, "inputBytes": stats["bytes"], "inputSha256": stats["sha256"],
                          "badLines": stats["badLines"], "badByKind": stats["badByKind"], "byType": stats["byType"],
                          "variants": per, "pairedRatios": ratios})

    cg = bl.callgrind(a, "records-{n}-seed%d.jsonl.stats.json" % a.seed, "badLines", ("cb-validate", "cb-novalidate"),
                      failures)
    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed,
              "machine": bl.machine(a, miller=bl.sh("mlr", "--version"), **bl.peer_versions(a.peer_python, "polars", "duckdb")),
              "sizes": sizes_out, "callgrind": cg, "checks": {"passed": not failures, "failures": failures}}
    m = result["machine"]
    md = [f"Command: `{a.command}` ({a.runs} paired runs per size; started {m['dateUTC']}; "
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, "
          f"{bl.built_phrase(m)}; {m['polars']}; {m['duckdb']}; {m['miller']}; load average at start "
          f"{' '.join(map(str, m['loadAverageAtStart']))}, at end {' '.join(map(str, m['loadAverage']))})", ""]
    for s in sizes_out:
        md += [f"**{s['records']:,} records**, {s['inputBytes'] / 1e6:.1f} MB, SHA-256 `{s['inputSha256']}`, "
               f"{s['badLines']} deliberately bad lines", ""]
        md += bl.table(s["variants"], VARIANTS, "records", "recordsPerSecond", output_column=True)
        md += bl.ratio_table(s["pairedRatios"])
        c = s["variants"]["cb-validate"]["counts"]
        cols = {v: s["variants"][v]["counts"]["csvColumns"] for v in VARIANTS}
        md += ["", f"Counts: casebridge read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
               f"(rules: {', '.join(f'{k} {x}' for k, x in c['rules'].items()) or 'none'}), "
               f"{c['csvRecords']:,} CSV records in {len(cols['cb-validate'])} files "
               f"({', '.join(f'{k} {x} columns' for k, x in cols['cb-validate'].items())}); "
               + "; ".join(f"{v}: {s['variants'][v]['counts']['csvRecords']:,} CSV records, "
                           f"{sum(cols[v].values())} columns" for v in ("polars", "duckdb", "miller")) + ".", ""]
    md += bl.callgrind_table(cg, LABEL)
    md += ["Count checks: " + ("passed (casebridge reports, CSV records per type; peers' CSV records)."
                               if not failures else "FAILED:"), ""]
    if failures:
        md += [f"- {x}" for x in failures] + [""]

    print()
    for s in sizes_out:
        bl.console(s, "records", "recordsPerSecond", VARIANTS,
                   f"== {s['records']:,} records  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
                   f"{s['badLines']} bad lines)")
        print()
    if cg:
        for v, x in cg["variants"].items():
            print(f"callgrind {v}: {x['ir']:,} Ir, {x['irPerRecord']:,} Ir/record")
    return bl.finish(a.out, result, md, failures)


if __name__ == "__main__":
    sys.exit(main())
