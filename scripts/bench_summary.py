#!/usr/bin/env python3
"""Summary of a scripts/bench.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_summary.py --out DIR --seed S --runs K --command CMD --binary PATH N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports and peer counts it names, and the
generator's DIR/inputs/records-N-seedS.jsonl.stats.json. Figures:

  * median wall time over the K runs of a variant (from /usr/bin/time -v "Elapsed (wall clock)", 10 ms resolution);
  * MB/s = input bytes / 10^6 / median wall; records/s = input lines / median wall;
  * peak RSS = the largest "Maximum resident set size" over the K runs, in MiB;
  * paired ratios = the median over iterations of (A wall / B wall) within the same iteration.

Checks (exit 1 if one fails; timings are never checked): every CaseBridge report has read == accepted +
quarantined, read == the input's lines, output lines == accepted, and quarantined == the generator's count of
deliberately bad lines; the peer's counts agree likewise. Peak RSS of CaseBridge is compared with the 64 MiB target
of the issue's done-criterion and reported (not asserted).
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
VARIANTS = ["cb-validate", "cb-novalidate", "python"]
LABEL = {
    "cb-validate": "casebridge convert (validate)",
    "cb-novalidate": "casebridge convert --no-validate",
    "python": "Python json peer (peer_json.py)",
}


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine(a) -> dict:
    binary = a.binary
    model = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    mtime = datetime.datetime.fromtimestamp(os.stat(binary).st_mtime, datetime.timezone.utc)
    return {
        "dateUTC": a.started,
        "summaryDateUTC": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "cpuModel": model,
        "memTotalGiB": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadAverage": [round(x, 2) for x in os.getloadavg()],
        "swift": sh("swift", "--version").splitlines()[0] if sh("swift", "--version") else "",
        "python": platform.python_version(),
        "binary": binary,
        "binaryModifiedUTC": mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        # With --no-build the binary may predate these: then the commit below is only the tree's at run time.
        "builtByThisRun": a.built == 1,
        "gitCommitAtRun": a.source_commit,
        "sourceFilesDifferingFromCommit": a.source_dirty,
        "sourceStatusAtBuild": [x for x in open(os.path.join(a.out, "runs", "source-status.txt")).read().splitlines() if x]
        if os.path.exists(os.path.join(a.out, "runs", "source-status.txt")) else [],
        "binarySha256": sh("sha256sum", binary).split(" ")[0],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--built", type=int, default=0, help="1 when bench.sh built the binary in this run")
    ap.add_argument("--source-commit", default="unknown")
    ap.add_argument("--source-dirty", type=int, default=-1, help="changed/untracked files under Sources etc.")
    ap.add_argument("--started", required=True, help="UTC start of the runs")
    ap.add_argument("sizes", nargs="+", type=int)
    a = ap.parse_args()

    rows = list(csv.DictReader(open(os.path.join(a.out, "runs", "runs.tsv")), delimiter="\t"))
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = os.path.join(a.out, "inputs", f"records-{n}-seed{a.seed}.jsonl")
        stats = json.load(open(inp + ".stats.json"))
        nbytes, lines, bad = stats["bytes"], stats["records"], stats["badLines"]
        mine = [r for r in rows if int(r["records"]) == n]
        per: dict[str, dict] = {}
        for v in VARIANTS:
            rs = sorted((r for r in mine if r["variant"] == v), key=lambda r: int(r["iter"]))
            walls = [float(r["elapsed_s"]) for r in rs]
            rss = [int(r["maxrss_kb"]) / 1024 for r in rs]
            med = statistics.median(walls)
            per[v] = {
                "label": LABEL[v],
                "runs": len(rs),
                "wallSeconds": walls,
                "medianWallSeconds": round(med, 3),
                "minWallSeconds": min(walls),
                "maxWallSeconds": max(walls),
                "mbPerSecond": round(nbytes / 1e6 / med, 1) if med > 0 else None,
                "recordsPerSecond": round(lines / med) if med > 0 else None,
                "peakRssMiB": round(max(rss), 1),
                "rssMiB": [round(x, 1) for x in rss],
                "medianUserSeconds": statistics.median(float(r["user_s"]) for r in rs),
                "medianSysSeconds": statistics.median(float(r["sys_s"]) for r in rs),
                "exitCodes": sorted({int(r["rc"]) for r in rs}),
            }
            # Count checks.
            counts = []
            for r in rs:
                c = json.load(open(r["counts"]))
                if v.startswith("cb-"):
                    t = c["totals"]
                    inp0 = c["inputs"][0]
                    got = {"read": t["read"], "accepted": t["accepted"], "quarantined": t["quarantined"],
                           "ignored": t["ignored"], "warnings": t["warnings"], "disposition": inp0["disposition"],
                           "rules": t["rules"], "exitCode": c["exitCode"]}
                else:
                    got = dict(c)
                got["outputLines"] = int(r["out_lines"])
                counts.append(got)
                where = f"{n} records, {v}, iteration {r['iter']}"
                if got["read"] != got["accepted"] + got["quarantined"]:
                    failures.append(f"{where}: read {got['read']} != accepted {got['accepted']} + quarantined {got['quarantined']}")
                if got["read"] != lines:
                    failures.append(f"{where}: read {got['read']} != {lines} input lines")
                if got["outputLines"] != got["accepted"]:
                    failures.append(f"{where}: {got['outputLines']} output lines != accepted {got['accepted']}")
                if got["quarantined"] != bad:
                    failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad lines")
                if v.startswith("cb-") and got.get("disposition") != "processed":
                    failures.append(f"{where}: disposition {got.get('disposition')}")
            first = counts[0]
            if any({k: x[k] for k in ("read", "accepted", "quarantined")} != {k: first[k] for k in ("read", "accepted", "quarantined")} for x in counts):
                failures.append(f"{n} records, {v}: counts differ between iterations")
            per[v]["counts"] = first
        iters = sorted({int(r["iter"]) for r in mine})

        def wall(v, i):
            return next(float(r["elapsed_s"]) for r in mine if r["variant"] == v and int(r["iter"]) == i)

        def rss(v, i):
            return next(int(r["maxrss_kb"]) for r in mine if r["variant"] == v and int(r["iter"]) == i)

        def ratio(f, x, y):
            vals = [f(x, i) / f(y, i) for i in iters if f(y, i) > 0]
            return round(statistics.median(vals), 3) if vals else None

        ratios = {
            "wall cb-validate / python": ratio(wall, "cb-validate", "python"),
            "wall cb-novalidate / python": ratio(wall, "cb-novalidate", "python"),
            "wall cb-validate / cb-novalidate": ratio(wall, "cb-validate", "cb-novalidate"),
            "peak RSS cb-validate / python": ratio(rss, "cb-validate", "python"),
        }
        rss_ok = {v: per[v]["peakRssMiB"] < RSS_TARGET_MIB for v in ("cb-validate", "cb-novalidate")}
        sizes_out.append({"records": n, "inputPath": inp, "inputBytes": nbytes, "inputSha256": stats["sha256"],
                          "badLines": bad, "badByKind": stats["badByKind"], "byType": stats["byType"],
                          "variants": per, "pairedRatios": ratios,
                          "rssUnder64MiB": rss_ok})

    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed, "machine": machine(a),
              "sizes": sizes_out, "checks": {"passed": not failures, "failures": failures}}
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    m = result["machine"]
    built = (f"built by this run from commit {m['gitCommitAtRun'][:12]}"
             + (f" plus {m['sourceFilesDifferingFromCommit']} changed/untracked source file(s)"
                if m["sourceFilesDifferingFromCommit"] else "")
             if m["builtByThisRun"] else f"not built by this run (--no-build; binary of {m['binaryModifiedUTC']})")
    md = [f"Command: `{a.command}` ({a.runs} paired runs per size; started {m['dateUTC']}; "
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, {built})", ""]
    for s in sizes_out:
        md += [f"**{s['records']:,} records**, {s['inputBytes'] / 1e6:.1f} MB, SHA-256 `{s['inputSha256']}`, "
               f"{s['badLines']} deliberately bad lines", "",
               "| variant | median wall (s) | min–max (s) | MB/s | records/s | peak RSS (MiB) | user (s) | sys (s) |",
               "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for v in VARIANTS:
            p = s["variants"][v]
            md.append(f"| {p['label']} | {p['medianWallSeconds']:.2f} | {p['minWallSeconds']:.2f}–{p['maxWallSeconds']:.2f} "
                      f"| {p['mbPerSecond']} | {p['recordsPerSecond']:,} | {p['peakRssMiB']} "
                      f"| {p['medianUserSeconds']:.2f} | {p['medianSysSeconds']:.2f} |")
        md += ["", "| paired ratio (median of per-iteration ratios) | value |", "|---|---:|"]
        for k, val in s["pairedRatios"].items():
            md.append(f"| {k} | {val} |")
        c = s["variants"]["cb-validate"]["counts"]
        cn = s["variants"]["cb-novalidate"]["counts"]
        pc = s["variants"]["python"]["counts"]
        md += ["", f"Counts: casebridge read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
               f"(rules: {', '.join(f'{k} {v}' for k, v in c['rules'].items()) or 'none'}); "
               f"--no-validate: {cn['accepted']:,} + {cn['quarantined']:,}; "
               f"python peer: {pc['accepted']:,} + {pc['quarantined']:,}. "
               f"Peak RSS under 64 MiB: validate {'yes' if s['rssUnder64MiB']['cb-validate'] else 'NO'}, "
               f"--no-validate {'yes' if s['rssUnder64MiB']['cb-novalidate'] else 'NO'}.", ""]
    if failures:
        md += ["Count checks FAILED:", ""] + [f"- {x}" for x in failures] + [""]
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write("\n".join(md))

    # Console.
    print()
    for s in sizes_out:
        print(f"== {s['records']:,} records  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
              f"{s['badLines']} bad lines)")
        print(f"  {'variant':<34} {'median s':>9} {'MB/s':>8} {'records/s':>11} {'peak RSS MiB':>13}")
        for v in VARIANTS:
            p = s["variants"][v]
            print(f"  {p['label']:<34} {p['medianWallSeconds']:>9.2f} {p['mbPerSecond']:>8} "
                  f"{p['recordsPerSecond']:>11,} {p['peakRssMiB']:>13}")
        for k, val in s["pairedRatios"].items():
            print(f"  ratio {k:<40} {val}")
        c = s["variants"]["cb-validate"]["counts"]
        print(f"  report: read {c['read']} == accepted {c['accepted']} + quarantined {c['quarantined']}: "
              f"{c['read'] == c['accepted'] + c['quarantined']}; rules {c['rules']}")
        pc = s["variants"]["python"]["counts"]
        print(f"  python peer: read {pc['read']}, accepted {pc['accepted']}, quarantined {pc['quarantined']}")
        for v, ok in s["rssUnder64MiB"].items():
            print(f"  peak RSS {v} {s['variants'][v]['peakRssMiB']} MiB vs 64 MiB target: {'under' if ok else 'OVER'}")
        print()
    if failures:
        print("count checks FAILED:", file=sys.stderr)
        for x in failures:
            print("  " + x, file=sys.stderr)
    else:
        print("count checks passed")
    print(f"wrote {os.path.join(a.out, 'results.json')} and {os.path.join(a.out, 'results.md')}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
