#!/usr/bin/env python3
"""Summary of a scripts/bench_csv.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_csv_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports and peer counts it names, and the
generator's DIR/inputs/rows-N-seedS.csv.stats.json. Figures:

  * median wall time over the K runs of a variant (from /usr/bin/time -v "Elapsed (wall clock)", 10 ms resolution);
  * MB/s = input bytes / 10^6 / median wall; rows/s = input data rows / median wall;
  * peak RSS = the largest "Maximum resident set size" over the K runs, in MiB;
  * paired ratios = the median over iterations of (A / B) within the same iteration.

Checks (exit 1 if one fails; timings are never checked): every CaseBridge report has read == accepted +
quarantined, read == the input's data rows, ignored == 1 (the header), quarantined == the generator's count of
deliberately bad rows, rules == the bad rows by kind (ip.invalid, timestamp.missing-zone, hash.length), accepted
entities by type == what the default profile yields from the good rows, and output lines == accepted entities;
the Python peer's counts agree likewise (output lines == accepted rows); Miller writes one line per data row.
Peak RSS of CaseBridge is compared with a 64 MiB target and reported (not asserted).
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
VARIANTS = ["cb-validate", "cb-novalidate", "miller", "python"]
LABEL = {
    "cb-validate": "casebridge convert (validate)",
    "cb-novalidate": "casebridge convert --no-validate",
    "miller": "Miller `mlr --icsv --ojsonl cat`",
    "python": "Python csv peer (peer_csv.py)",
}
RULE_OF_KIND = {"ip-leading-zero": "ip.invalid", "timestamp-without-zone": "timestamp.missing-zone",
                "md5-wrong-length": "hash.length"}


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine(a) -> dict:
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
    swift = sh("swift", "--version")
    return {
        "dateUTC": a.started,
        "summaryDateUTC": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "cpuModel": model,
        "memTotalGiB": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadAverageAtStart": [float(x) for x in open(os.path.join(a.out, "runs", "loadavg-start.txt")).read().split()]
        if os.path.exists(os.path.join(a.out, "runs", "loadavg-start.txt")) else [],
        "loadAverage": [round(x, 2) for x in os.getloadavg()],
        "swift": swift.splitlines()[0] if swift else "",
        "python": platform.python_version(),
        "miller": sh("mlr", "--version"),
        "binary": a.binary,
        "builtBinary": a.built_binary,
        "binaryModifiedUTC": mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "builtByThisRun": a.built == 1,
        "gitCommitAtRun": a.source_commit,
        "sourceFilesDifferingFromCommit": a.source_dirty,
        "sourceStatusAtBuild": [x for x in open(status).read().splitlines() if x] if os.path.exists(status) else [],
        "binarySha256": sh("sha256sum", a.binary).split(" ")[0],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--binary", required=True, help="the binary that was timed")
    ap.add_argument("--built-binary", default="", help="where it was built (the timed one is a copy)")
    ap.add_argument("--built", type=int, default=0, help="1 when bench_csv.sh built the binary in this run")
    ap.add_argument("--source-commit", default="unknown")
    ap.add_argument("--source-dirty", type=int, default=-1, help="changed/untracked files under Sources etc.")
    ap.add_argument("--started", required=True, help="UTC start of the runs")
    ap.add_argument("sizes", nargs="+", type=int)
    a = ap.parse_args()

    rows = list(csv.DictReader(open(os.path.join(a.out, "runs", "runs.tsv")), delimiter="\t"))
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = os.path.join(a.out, "inputs", f"rows-{n}-seed{a.seed}.csv")
        stats = json.load(open(inp + ".stats.json"))
        nbytes, nrows, bad = stats["bytes"], stats["rows"], stats["badRows"]
        want_rules = {RULE_OF_KIND[k]: v for k, v in stats["badByKind"].items()}
        want_entities = stats["goodEntities"]
        mine = [r for r in rows if int(r["rows"]) == n]
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
                "rowsPerSecond": round(nrows / med) if med > 0 else None,
                "peakRssMiB": round(max(rss), 1),
                "rssMiB": [round(x, 1) for x in rss],
                "medianUserSeconds": statistics.median(float(r["user_s"]) for r in rs),
                "medianSysSeconds": statistics.median(float(r["sys_s"]) for r in rs),
                "outputLines": int(rs[0]["out_lines"]),
                "outputBytes": int(rs[0]["out_bytes"]),
                "exitCodes": sorted({int(r["rc"]) for r in rs}),
            }
            counts = []
            for r in rs:
                where = f"{n} rows, {v}, iteration {r['iter']}"
                out_lines = int(r["out_lines"])
                if v == "miller":
                    got = {"outputLines": out_lines}
                    if out_lines != nrows:
                        failures.append(f"{where}: {out_lines} output lines != {nrows} data rows")
                    counts.append(got)
                    continue
                c = json.load(open(r["counts"]))
                if v.startswith("cb-"):
                    t = c["totals"]
                    inp0 = c["inputs"][0]
                    got = {"read": t["read"], "accepted": t["accepted"], "quarantined": t["quarantined"],
                           "ignored": t["ignored"], "warnings": t["warnings"], "disposition": inp0["disposition"],
                           "rules": t["rules"], "entities": dict(sorted(t["entities"].items())),
                           "exitCode": c["exitCode"]}
                else:
                    got = dict(c)
                got["outputLines"] = out_lines
                counts.append(got)
                if got["read"] != got["accepted"] + got["quarantined"]:
                    failures.append(f"{where}: read {got['read']} != accepted {got['accepted']} + quarantined {got['quarantined']}")
                if got["read"] != nrows:
                    failures.append(f"{where}: read {got['read']} != {nrows} data rows")
                if got["quarantined"] != bad:
                    failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad rows")
                if got["ignored"] != 1:
                    failures.append(f"{where}: ignored {got['ignored']} != 1 (the header row)")
                if v.startswith("cb-"):
                    if got["disposition"] != "processed":
                        failures.append(f"{where}: disposition {got['disposition']}")
                    if got["rules"] != want_rules:
                        failures.append(f"{where}: rules {got['rules']} != expected {want_rules}")
                    if got["entities"] != want_entities:
                        failures.append(f"{where}: entities {got['entities']} != expected {want_entities}")
                    if out_lines != sum(got["entities"].values()):
                        failures.append(f"{where}: {out_lines} output lines != {sum(got['entities'].values())} accepted entities")
                    if got["exitCode"] != int(r["rc"]):
                        failures.append(f"{where}: report exitCode {got['exitCode']} != process exit {r['rc']}")
                elif out_lines != got["accepted"]:
                    failures.append(f"{where}: {out_lines} output lines != accepted {got['accepted']}")
            keys = ("read", "accepted", "quarantined", "outputLines")
            first = counts[0]
            if any({k: x.get(k) for k in keys} != {k: first.get(k) for k in keys} for x in counts):
                failures.append(f"{n} rows, {v}: counts differ between iterations")
            per[v]["counts"] = first
        iters = sorted({int(r["iter"]) for r in mine})

        def get(field, v, i):
            return next(float(r[field]) for r in mine if r["variant"] == v and int(r["iter"]) == i)

        def ratio(field, x, y):
            vals = [get(field, x, i) / get(field, y, i) for i in iters if get(field, y, i) > 0]
            return round(statistics.median(vals), 3) if vals else None

        ratios = {
            "wall cb-validate / miller": ratio("elapsed_s", "cb-validate", "miller"),
            "wall cb-novalidate / miller": ratio("elapsed_s", "cb-novalidate", "miller"),
            "wall cb-validate / python": ratio("elapsed_s", "cb-validate", "python"),
            "wall cb-novalidate / python": ratio("elapsed_s", "cb-novalidate", "python"),
            "wall cb-validate / cb-novalidate": ratio("elapsed_s", "cb-validate", "cb-novalidate"),
            "wall python / miller": ratio("elapsed_s", "python", "miller"),
            "peak RSS cb-validate / miller": ratio("maxrss_kb", "cb-validate", "miller"),
            "peak RSS cb-validate / python": ratio("maxrss_kb", "cb-validate", "python"),
        }
        rss_ok = {v: per[v]["peakRssMiB"] < RSS_TARGET_MIB for v in ("cb-validate", "cb-novalidate")}
        sizes_out.append({"rows": n, "inputPath": inp, "inputBytes": nbytes, "inputSha256": stats["sha256"],
                          "physicalLines": stats["physicalLines"], "quotedRows": stats["quotedRows"],
                          "notesWith": stats["notesWith"], "badRows": bad, "badByKind": stats["badByKind"],
                          "expectedEntities": want_entities, "variants": per, "pairedRatios": ratios,
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
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, {built}; "
          f"{m['miller']}; Python {m['python']}; load average at start {' '.join(map(str, m['loadAverageAtStart']))}, "
          f"at end {' '.join(map(str, m['loadAverage']))})", ""]
    for s in sizes_out:
        nw = s["notesWith"]
        md += [f"**{s['rows']:,} rows**, {s['inputBytes'] / 1e6:.1f} MB ({s['physicalLines']:,} physical lines; "
               f"{s['quotedRows']:,} rows with a quoted field; notes with commas {nw.get('comma', 0):,}, "
               f"doubled quotes {nw.get('quote', 0):,}, embedded newlines {nw.get('newline', 0):,}), "
               f"SHA-256 `{s['inputSha256']}`, {s['badRows']} deliberately bad rows", "",
               "| variant | median wall (s) | min–max (s) | MB/s | rows/s | peak RSS (MiB) | user (s) | sys (s) | output |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for v in VARIANTS:
            p = s["variants"][v]
            md.append(f"| {p['label']} | {p['medianWallSeconds']:.2f} | {p['minWallSeconds']:.2f}–{p['maxWallSeconds']:.2f} "
                      f"| {p['mbPerSecond']} | {p['rowsPerSecond']:,} | {p['peakRssMiB']} "
                      f"| {p['medianUserSeconds']:.2f} | {p['medianSysSeconds']:.2f} "
                      f"| {p['outputLines']:,} lines, {p['outputBytes'] / 1e6:.1f} MB |")
        md += ["", "| paired ratio (median of per-iteration ratios) | value |", "|---|---:|"]
        for k, val in s["pairedRatios"].items():
            md.append(f"| {k} | {val} |")
        c = s["variants"]["cb-validate"]["counts"]
        cn = s["variants"]["cb-novalidate"]["counts"]
        pc = s["variants"]["python"]["counts"]
        md += ["", f"Counts: casebridge read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
               f"(rules: {', '.join(f'{k} {v}' for k, v in c['rules'].items()) or 'none'}; "
               f"entities: {', '.join(f'{k} {v:,}' for k, v in c['entities'].items())}); "
               f"--no-validate: {cn['accepted']:,} + {cn['quarantined']:,}; "
               f"python peer: {pc['accepted']:,} + {pc['quarantined']:,}; "
               f"Miller: {s['variants']['miller']['counts']['outputLines']:,} objects (no validation). "
               f"Peak RSS under 64 MiB: validate {'yes' if s['rssUnder64MiB']['cb-validate'] else 'NO'}, "
               f"--no-validate {'yes' if s['rssUnder64MiB']['cb-novalidate'] else 'NO'}.", ""]
    md += ["Count checks: " + ("passed (read == accepted + quarantined, expected rows, bad rows, rules and entities "
                               "in every CaseBridge report; peer and Miller line counts)." if not failures else "FAILED:"), ""]
    if failures:
        md += [f"- {x}" for x in failures] + [""]
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write("\n".join(md))

    print()
    for s in sizes_out:
        print(f"== {s['rows']:,} rows  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
              f"{s['badRows']} bad rows)")
        print(f"  {'variant':<34} {'median s':>9} {'MB/s':>8} {'rows/s':>11} {'peak RSS MiB':>13}")
        for v in VARIANTS:
            p = s["variants"][v]
            print(f"  {p['label']:<34} {p['medianWallSeconds']:>9.2f} {p['mbPerSecond']:>8} "
                  f"{p['rowsPerSecond']:>11,} {p['peakRssMiB']:>13}")
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
