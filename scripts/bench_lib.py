"""Shared parts of the benchmark summaries (scripts/bench_summary.py, bench_csv_summary.py, bench_xml_summary.py).

Each harness writes DIR/runs/runs.tsv (one row per timed run: size, iter, variant, rc, elapsed_s, maxrss_kb,
user_s, sys_s, out_lines, out_bytes, counts) through scripts/bench_lib.sh. Figures, the same for every harness:

  * median wall time over the K runs of a variant (from /usr/bin/time -v "Elapsed (wall clock)", 10 ms resolution);
  * MB/s = input bytes / 10^6 / median wall; records/s (rows/s) = input records / median wall;
  * peak RSS = the largest "Maximum resident set size" over the K runs, in MiB;
  * paired ratios = the median over iterations of (A / B) within the same iteration.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

RSS_TARGET_MIB = 64


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def arguments(doc: str) -> argparse.ArgumentParser:
    """The arguments every harness passes to its summary."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--binary", required=True, help="the binary that was timed")
    ap.add_argument("--built-binary", default="", help="where it was built (the timed one is a copy)")
    ap.add_argument("--built", type=int, default=0, help="1 when the harness built the binary in this run")
    ap.add_argument("--source-commit", default="unknown")
    ap.add_argument("--source-dirty", type=int, default=-1, help="changed/untracked files under Sources etc.")
    ap.add_argument("--started", required=True, help="UTC start of the runs")
    ap.add_argument("--inputs", default="", help="the input cache directory (default: OUT/inputs)")
    ap.add_argument("--peer-python", default="", help="the venv's python with the PyPI peers (for their versions)")
    ap.add_argument("--callgrind", type=int, default=0, help="records of the callgrind input (0: none)")
    ap.add_argument("sizes", nargs="+", type=int)
    return ap


def input_path(a, name: str) -> str:
    """The path of a cached input under --inputs (default OUT/inputs)."""
    return os.path.join(a.inputs or os.path.join(a.out, "inputs"), name)


def peer_versions(python: str, *modules: str) -> dict:
    """The versions of PyPI peers (polars, duckdb, lxml) importable by `python` (the benchmark's venv)."""
    code = {
        "polars": "import polars; print('polars', polars.__version__)",
        "duckdb": "import duckdb; print('duckdb', duckdb.__version__)",
        "lxml": "import lxml.etree as e; print('lxml', '.'.join(map(str, e.LXML_VERSION[:3])), "
                "'with libxml2', '.'.join(map(str, e.LIBXML_VERSION)))",
    }
    return {m: sh(python, "-c", code[m]) if python else "" for m in modules}


def callgrind(a, stats_name: str, bad_key: str, variants, failures: list[str]) -> dict | None:
    """Instruction counts from OUT/callgrind/ (written by cg_run in bench_lib.sh) on the --callgrind input, whose
    generator statistics are the input cache's `stats_name` (with {n} for the size): Ir, Ir per record and per byte,
    and the exit status of each variant that ran; for a CaseBridge run (NAME.report.json beside) the report's counts,
    checked: read == n == accepted + quarantined, quarantined == the generator's stats[bad_key]."""
    n = a.callgrind
    d = os.path.join(a.out, "callgrind")
    if n <= 0 or not os.path.isdir(d):
        return None
    stats = json.load(open(input_path(a, stats_name.format(n=n))))
    res = {"records": n, "inputBytes": stats["bytes"], "variants": {}}
    for v in variants:
        p = os.path.join(d, f"{v}.ir")
        if not os.path.exists(p):
            continue
        ir = int(open(p).read().split()[0])
        res["variants"][v] = {"ir": ir, "irPerRecord": round(ir / n), "irPerByte": round(ir / stats["bytes"], 1),
                              "exit": int(open(os.path.join(d, f"{v}.rc")).read())}
        rep = os.path.join(d, f"{v}.report.json")
        if os.path.exists(rep):
            c = report_counts(rep)
            res["variants"][v]["counts"] = {k: c[k] for k in ("read", "accepted", "quarantined")}
            check_sum(failures, f"callgrind {v}", c)
            if c["read"] != n or c["quarantined"] != stats[bad_key]:
                failures.append(f"callgrind {v}: read {c['read']}, quarantined {c['quarantined']} != {n}, {stats[bad_key]}")
    return res


def callgrind_table(cg: dict | None, label: dict) -> list[str]:
    """The Markdown lines of the instruction counts (empty without --callgrind)."""
    if not cg:
        return []
    md = [f"Instructions (valgrind --tool=callgrind, {cg['records']:,} records, {cg['inputBytes'] / 1e6:.1f} MB; "
          "casebridge stripped of debug information):", "",
          "| variant | Ir | Ir/record | Ir/byte |", "|---|---:|---:|---:|"]
    for v, x in cg["variants"].items():
        md.append(f"| {label[v]} | {x['ir']:,} | {x['irPerRecord']:,} | {x['irPerByte']} |")
    return md + [""]


def machine(a, **tools: str) -> dict:
    """The machine, toolchain and binary of the run; `tools` adds versions of peers (name -> version text)."""
    model = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    mtime = datetime.datetime.fromtimestamp(os.stat(a.built_binary or a.binary).st_mtime, datetime.timezone.utc)
    status = os.path.join(a.out, "runs", "source-status.txt")
    load0 = os.path.join(a.out, "runs", "loadavg-start.txt")
    swift = sh("swift", "--version")
    m = {
        "dateUTC": a.started,
        "summaryDateUTC": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "cpuModel": model,
        "memTotalGiB": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadAverageAtStart": [float(x) for x in open(load0).read().split()] if os.path.exists(load0) else [],
        "loadAverage": [round(x, 2) for x in os.getloadavg()],
        "swift": swift.splitlines()[0] if swift else "",
        "python": platform.python_version(),
        "binary": a.binary,
        "builtBinary": a.built_binary,
        "binaryModifiedUTC": mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        # With --no-build the binary may predate these: then the commit below is only the tree's at run time.
        "builtByThisRun": a.built == 1,
        "gitCommitAtRun": a.source_commit,
        "sourceFilesDifferingFromCommit": a.source_dirty,
        "sourceStatusAtBuild": [x for x in open(status).read().splitlines() if x] if os.path.exists(status) else [],
        "binarySha256": sh("sha256sum", a.binary).split(" ")[0],
    }
    m.update(tools)
    return m


def built_phrase(m: dict) -> str:
    if not m["builtByThisRun"]:
        return f"not built by this run (--no-build; binary of {m['binaryModifiedUTC']})"
    extra = m["sourceFilesDifferingFromCommit"]
    return (f"built by this run from commit {m['gitCommitAtRun'][:12]}"
            + (f" plus {extra} changed/untracked source file(s)" if extra else ""))


def load_runs(out: str) -> list[dict]:
    return list(csv.DictReader(open(os.path.join(out, "runs", "runs.tsv")), delimiter="\t"))


def variant_stats(rs: list[dict], label: str, nbytes: int, units: int, per_second_key: str) -> dict:
    """Median, range, throughput, peak RSS and CPU times of one variant's runs (rs sorted by iteration)."""
    walls = [float(r["elapsed_s"]) for r in rs]
    rss = [int(r["maxrss_kb"]) / 1024 for r in rs]
    med = statistics.median(walls)
    return {
        "label": label,
        "runs": len(rs),
        "wallSeconds": walls,
        "medianWallSeconds": round(med, 3),
        "minWallSeconds": min(walls),
        "maxWallSeconds": max(walls),
        "mbPerSecond": round(nbytes / 1e6 / med, 1) if med > 0 else None,
        per_second_key: round(units / med) if med > 0 else None,
        "peakRssMiB": round(max(rss), 1),
        "rssMiB": [round(x, 1) for x in rss],
        "medianUserSeconds": statistics.median(float(r["user_s"]) for r in rs),
        "medianSysSeconds": statistics.median(float(r["sys_s"]) for r in rs),
        "outputLines": int(rs[0]["out_lines"]),
        "outputBytes": int(rs[0]["out_bytes"]),
        "exitCodes": sorted({int(r["rc"]) for r in rs}),
    }


def runs_of(rows: list[dict], n: int, variant: str) -> list[dict]:
    return sorted((r for r in rows if int(r["size"]) == n and r["variant"] == variant), key=lambda r: int(r["iter"]))


def paired_ratio(rows: list[dict], n: int, field: str, x: str, y: str):
    """Median over iterations of x's field / y's field in the same iteration (None when there is none)."""
    mine = [r for r in rows if int(r["size"]) == n]
    by = {(r["variant"], int(r["iter"])): float(r[field]) for r in mine}
    iters = sorted({int(r["iter"]) for r in mine})
    vals = [by[(x, i)] / by[(y, i)] for i in iters if (x, i) in by and (y, i) in by and by[(y, i)] > 0]
    return round(statistics.median(vals), 3) if vals else None


def report_counts(path: str, entities: bool = False) -> dict:
    """The counts of a CaseBridge run report (--report)."""
    c = json.load(open(path))
    t = c["totals"]
    got = {"read": t["read"], "accepted": t["accepted"], "quarantined": t["quarantined"], "ignored": t["ignored"],
           "warnings": t["warnings"], "disposition": c["inputs"][0]["disposition"], "rules": t["rules"]}
    if entities:
        got["entities"] = dict(sorted(t["entities"].items()))
    got["exitCode"] = c["exitCode"]
    return got


def check_sum(failures: list[str], where: str, got: dict) -> None:
    if got["read"] != got["accepted"] + got["quarantined"]:
        failures.append(f"{where}: read {got['read']} != accepted {got['accepted']} + quarantined {got['quarantined']}")


def check_same_counts(failures: list[str], where: str, counts: list[dict], keys) -> None:
    first = counts[0]
    if any({k: x.get(k) for k in keys} != {k: first.get(k) for k in keys} for x in counts):
        failures.append(f"{where}: counts differ between iterations")


def table(per: dict, variants: list[str], unit: str, per_second_key: str, output_column: bool = False) -> list[str]:
    """The Markdown table of the variants of one size."""
    head = f"| variant | median wall (s) | min–max (s) | MB/s | {unit}/s | peak RSS (MiB) | user (s) | sys (s) |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if output_column:
        head += " output |"
        rule += "---:|"
    md = [head, rule]
    for v in variants:
        p = per[v]
        row = (f"| {p['label']} | {p['medianWallSeconds']:.2f} | {p['minWallSeconds']:.2f}–{p['maxWallSeconds']:.2f} "
               f"| {p['mbPerSecond']} | {p[per_second_key]:,} | {p['peakRssMiB']} "
               f"| {p['medianUserSeconds']:.2f} | {p['medianSysSeconds']:.2f} |")
        if output_column:
            row += (f" {p['outputLines']:,} lines, {p['outputBytes'] / 1e6:.1f} MB |" if p.get("writesOutput", True)
                    else " none (counts only) |")
        md.append(row)
    return md


def ratio_table(ratios: dict) -> list[str]:
    md = ["", "| paired ratio (median of per-iteration ratios) | value |", "|---|---:|"]
    for k, val in ratios.items():
        md.append(f"| {k} | {val} |")
    return md


def console(s: dict, unit: str, per_second_key: str, variants: list[str], head: str) -> None:
    """The console summary of one size: the variants and the paired ratios."""
    print(head)
    print(f"  {'variant':<34} {'median s':>9} {'MB/s':>8} {unit + '/s':>11} {'peak RSS MiB':>13}")
    for v in variants:
        p = s["variants"][v]
        print(f"  {p['label']:<34} {p['medianWallSeconds']:>9.2f} {p['mbPerSecond']:>8} "
              f"{p[per_second_key]:>11,} {p['peakRssMiB']:>13}")
    for k, val in s["pairedRatios"].items():
        print(f"  ratio {k:<40} {val}")


def finish(out: str, result: dict, md: list[str], failures: list[str]) -> int:
    """Writes results.json and results.md, reports the count checks, and gives the exit status."""
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md))
    if failures:
        print("count checks FAILED:", file=sys.stderr)
        for x in failures:
            print("  " + x, file=sys.stderr)
    else:
        print("count checks passed")
    print(f"wrote {os.path.join(out, 'results.json')} and {os.path.join(out, 'results.md')}")
    return 1 if failures else 0
