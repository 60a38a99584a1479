#!/usr/bin/env python3
"""Summary of a scripts/bench_xml.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_xml_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T
                                 [--variants LIST] [--callgrind N] [--inputs DIR] [--peer-python PY] N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports and the peers' counts it names, the
generator's DIR/inputs/records-N-seedS.xml.stats.json, and DIR/callgrind/. Figures as in scripts/bench_lib.py
(median wall, MB/s, records/s, peak RSS, paired ratios = median of per-iteration ratios).

Checks (exit 1 if one fails; timings are never checked):
  * casebridge (both variants): read == N == accepted + quarantined, quarantined == the generator's bad records,
    ip.invalid and hash.length == the generator's ip-leading-zero and md5-wrong-length records, the other rules
    together == its schema-invalid records (timestamp without zone), output lines == accepted, disposition
    processed, the report's exit code == the process's;
  * C walks: records == N and (stream, expand) records with a schema validity error == the schema-invalid records;
  * lxml peer: read == N, accepted + quarantined == N, quarantined == bad records, schema-invalid and
    semantic-invalid as generated, output lines == accepted.
The performance issue's targets are compared and reported, never asserted: casebridge (validate) within 1.25x of
the C streaming walk; peak RSS <= 64 MiB; the largest size's peak RSS <= 1.1x the smallest's.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_lib as bl  # noqa: E402

ALL = ["cb-validate", "cb-novalidate", "c-stream", "c-expand", "c-parse", "lxml"]
LABEL = {
    "cb-validate": "casebridge convert --from xml (validate)",
    "cb-novalidate": "casebridge convert --from xml --no-validate",
    "c-stream": "C libxml2 reader walk + streaming XSD",
    "c-expand": "C walk + per-record expand/xmlSchemaValidateOneElement",
    "c-parse": "C libxml2 reader walk, no validation",
    "lxml": "Python lxml iterparse peer (peer_xml.py)",
}
RATIOS = [
    ("wall cb-validate / c-stream", "elapsed_s", "cb-validate", "c-stream"),
    ("wall cb-novalidate / c-stream", "elapsed_s", "cb-novalidate", "c-stream"),
    ("wall cb-validate / c-expand", "elapsed_s", "cb-validate", "c-expand"),
    ("wall cb-validate / lxml", "elapsed_s", "cb-validate", "lxml"),
    ("wall cb-novalidate / lxml", "elapsed_s", "cb-novalidate", "lxml"),
    ("wall cb-validate / cb-novalidate", "elapsed_s", "cb-validate", "cb-novalidate"),
    ("wall c-expand / c-stream", "elapsed_s", "c-expand", "c-stream"),
    ("wall c-stream / c-parse", "elapsed_s", "c-stream", "c-parse"),
    ("wall lxml / c-stream", "elapsed_s", "lxml", "c-stream"),
    ("CPU (user+sys) cb-validate / c-stream", "cpu_s", "cb-validate", "c-stream"),
    ("CPU (user+sys) cb-validate / c-expand", "cpu_s", "cb-validate", "c-expand"),
    ("CPU (user+sys) cb-validate / lxml", "cpu_s", "cb-validate", "lxml"),
    ("CPU (user+sys) cb-validate / cb-novalidate", "cpu_s", "cb-validate", "cb-novalidate"),
    ("peak RSS cb-validate / c-stream", "maxrss_kb", "cb-validate", "c-stream"),
    ("peak RSS cb-validate / lxml", "maxrss_kb", "cb-validate", "lxml"),
]
WALL_TARGET = 1.25
RSS_GROWTH_TARGET = 1.1
RULE_OF_KIND = {"ip-leading-zero": "ip.invalid", "md5-wrong-length": "hash.length"}


def check_run(failures: list[str], where: str, v: str, r: dict, stats: dict) -> dict:
    n, bad = stats["records"], stats["badRecords"]
    out_lines = int(r["out_lines"])
    if v.startswith("cb-"):
        got = bl.report_counts(r["counts"], entities=True)
        got["outputLines"] = out_lines
        bl.check_sum(failures, where, got)
        if got["read"] != n:
            failures.append(f"{where}: read {got['read']} != {n} records")
        if got["quarantined"] != bad:
            failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad records")
        for kind, rule in RULE_OF_KIND.items():
            if got["rules"].get(rule, 0) != stats["badByKind"].get(kind, 0):
                failures.append(f"{where}: rule {rule} {got['rules'].get(rule, 0)} != {stats['badByKind'].get(kind, 0)} {kind} records")
        other = sum(c for rule, c in got["rules"].items() if rule not in RULE_OF_KIND.values())
        if other != stats["schemaInvalid"]:
            failures.append(f"{where}: rules other than {sorted(RULE_OF_KIND.values())} fired {other} times, "
                            f"!= {stats['schemaInvalid']} schema-invalid records")
        if out_lines != got["accepted"]:
            failures.append(f"{where}: {out_lines} output lines != accepted {got['accepted']}")
        if got["disposition"] != "processed":
            failures.append(f"{where}: disposition {got['disposition']}")
        if got["exitCode"] != int(r["rc"]):
            failures.append(f"{where}: report exitCode {got['exitCode']} != process exit {r['rc']}")
        return got
    got = dict(json.load(open(r["counts"])))
    if v.startswith("c-"):
        if got["records"] != n:
            failures.append(f"{where}: {got['records']} records != {n}")
        want_invalid = 0 if v == "c-parse" else stats["schemaInvalid"]
        if got["invalidRecords"] != want_invalid:
            failures.append(f"{where}: {got['invalidRecords']} schema-invalid records != {want_invalid}")
        if not got["wellFormed"] or got["bytes"] != stats["bytes"]:
            failures.append(f"{where}: not read to its end ({got['bytes']} of {stats['bytes']} bytes)")
        return got
    got["outputLines"] = out_lines
    bl.check_sum(failures, where, got)
    if got["read"] != n:
        failures.append(f"{where}: read {got['read']} != {n} records")
    if got["quarantined"] != bad:
        failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad records")
    if (got["schemaInvalid"], got["semanticInvalid"]) != (stats["schemaInvalid"], stats["semanticInvalid"]):
        failures.append(f"{where}: schema/semantic invalid {got['schemaInvalid']}/{got['semanticInvalid']} != "
                        f"{stats['schemaInvalid']}/{stats['semanticInvalid']}")
    if out_lines != got["accepted"]:
        failures.append(f"{where}: {out_lines} output lines != accepted {got['accepted']}")
    return got


def main() -> int:
    ap = bl.arguments(__doc__)
    ap.add_argument("--variants", default=",".join(ALL))
    ap.add_argument("--exclude", action="append", default=[], metavar="SIZE:VARIANT:ITER",
                    help="leave a run out of the figures (e.g. one disturbed from outside); listed in results.md")
    ap.add_argument("--exclude-reason", default="")
    a = ap.parse_args()
    ran = [v for v in ALL if v in a.variants.split(",")]
    rows = bl.load_runs(a.out)
    excluded = [r for r in rows if f"{r['size']}:{r['variant']}:{r['iter']}" in a.exclude]
    rows = [r for r in rows if r not in excluded]
    for r in rows:  # CPU time of the run: on a loaded machine it is steadier than the wall clock
        r["cpu_s"] = float(r["user_s"]) + float(r["sys_s"])
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = bl.input_path(a, f"records-{n}-seed{a.seed}.xml")
        stats = json.load(open(inp + ".stats.json"))
        per: dict[str, dict] = {}
        for v in ran:
            rs = bl.runs_of(rows, n, v)
            per[v] = bl.variant_stats(rs, LABEL[v], stats["bytes"], n, "recordsPerSecond")
            counts = [check_run(failures, f"{n} records, {v}, iteration {r['iter']}", v, r, stats) for r in rs]
            keys = ("records", "invalidRecords") if v.startswith("c-") else ("read", "accepted", "quarantined")
            bl.check_same_counts(failures, f"{n} records, {v}", counts, keys)
            per[v]["counts"] = counts[0]
            per[v]["writesOutput"] = not v.startswith("c-")
        ratios = {name: bl.paired_ratio(rows, n, field, x, y) for name, field, x, y in RATIOS if x in ran and y in ran}
        targets = {}
        for k in ("wall cb-validate / c-stream", "CPU (user+sys) cb-validate / c-stream"):
            if k in ratios:
                targets[f"{k} <= {WALL_TARGET}"] = ratios[k] <= WALL_TARGET
        for v in ("cb-validate", "cb-novalidate"):
            if v in per:
                targets[f"peak RSS {v} <= {bl.RSS_TARGET_MIB} MiB"] = per[v]["peakRssMiB"] <= bl.RSS_TARGET_MIB
        sizes_out.append({"records": n, "inputPath": inp, "inputBytes": stats["bytes"], "inputSha256": stats["sha256"],
                          "generator": stats, "variants": per, "pairedRatios": ratios, "targets": targets})

    growth = {}
    if len(sizes_out) >= 2:
        small, large = min(sizes_out, key=lambda s: s["records"]), max(sizes_out, key=lambda s: s["records"])
        for v in ran:
            growth[v] = round(large["variants"][v]["peakRssMiB"] / small["variants"][v]["peakRssMiB"], 3)
    cg = bl.callgrind(a, "records-{n}-seed%d.xml.stats.json" % a.seed, "badRecords",
                      ("cb-validate", "cb-novalidate", "c-stream", "c-expand"), failures)
    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed, "variants": ran,
              "machine": bl.machine(a, **bl.peer_versions(a.peer_python, "lxml"), libxml2=bl.sh("pkg-config", "--modversion", "libxml-2.0"),
                                    gcc=bl.sh("gcc", "-dumpfullversion")),
              "excludedRuns": excluded, "excludeReason": a.exclude_reason,
              "sizes": sizes_out, "peakRssLargestOverSmallest": growth, "callgrind": cg,
              "checks": {"passed": not failures, "failures": failures}}
    m = result["machine"]
    md = [f"Command: `{a.command}` (up to {a.runs} paired runs per size; started {m['dateUTC']}; "
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, "
          f"{bl.built_phrase(m)}; system libxml2 {m['libxml2']} (casebridge and the C walk), gcc {m['gcc']}; "
          f"{m['lxml']}; Python {m['python']}; load average at start "
          f"{' '.join(map(str, m['loadAverageAtStart']))}, at end {' '.join(map(str, m['loadAverage']))})", ""]
    for s in sizes_out:
        g = s["generator"]
        kinds = ", ".join(f"{k} {v}" for k, v in g["badByKind"].items())
        ks = sorted({x["runs"] for x in s["variants"].values()})
        md += [f"**{s['records']:,} records** ({'/'.join(map(str, ks))} paired run(s)), {s['inputBytes'] / 1e6:.1f} MB, "
               f"SHA-256 `{s['inputSha256']}` "
               f"(the records of the JSON Lines input with SHA-256 `{g['jsonlSha256'][:16]}…`); "
               f"{g['badRecords']} deliberately bad records ({kinds}; {g['schemaInvalid']} fail the XSD)", ""]
        md += bl.table(s["variants"], ran, "records", "recordsPerSecond", output_column=True)
        md += bl.ratio_table(s["pairedRatios"])
        parts = []
        for v in ran:
            c = s["variants"][v]["counts"]
            if v.startswith("cb-"):
                parts.append(f"{v}: read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
                             f"(rules: {', '.join(f'{k} {x}' for k, x in c['rules'].items()) or 'none'})")
            elif v.startswith("c-"):
                parts.append(f"{v}: {c['records']:,} records, {c['invalidRecords']:,} schema-invalid")
            else:
                parts.append(f"lxml: read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
                             f"({c['schemaInvalid']} by the XSD, {c['semanticInvalid']} by the ip/digest checks)")
        md += ["", "Counts: " + "; ".join(parts) + ".", ""]
        t = s["targets"]
        if t:
            md += ["Targets (reported, not asserted): " + ", ".join(f"{k} {'yes' if x else 'NO'}" for k, x in t.items()) + ".", ""]
    if growth:
        md += ["Peak RSS, largest size / smallest size: " + ", ".join(f"{v} {x}" for v, x in growth.items())
               + f" (target for casebridge: <= {RSS_GROWTH_TARGET}).", ""]
    md += bl.callgrind_table(cg, LABEL)
    if excluded:
        md += ["Runs left out of the figures: " + "; ".join(
            f"{r['size']} records {r['variant']} iteration {r['iter']} (wall {r['elapsed_s']} s, user {r['user_s']} s, "
            f"peak RSS {int(r['maxrss_kb']) / 1024:.1f} MiB)" for r in excluded)
            + (f" — {a.exclude_reason}" if a.exclude_reason else "") + ".", ""]
    md += ["Count checks: " + ("passed (records read, accepted, quarantined and by rule for casebridge and the lxml "
                               "peer; records and schema-invalid records for the C walks)." if not failures else "FAILED:"), ""]
    if failures:
        md += [f"- {x}" for x in failures] + [""]

    print()
    for s in sizes_out:
        bl.console(s, "records", "recordsPerSecond", ran,
                   f"== {s['records']:,} records  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
                   f"{s['generator']['badRecords']} bad records)")
        for k, x in s["targets"].items():
            print(f"  target {k}: {'yes' if x else 'NO'}")
        print()
    if growth:
        print(f"peak RSS largest/smallest: {growth}")
    if cg:
        for v, x in cg["variants"].items():
            print(f"callgrind {v}: {x['ir']:,} Ir, {x['irPerRecord']:,} Ir/record")
    return bl.finish(a.out, result, md, failures)


if __name__ == "__main__":
    sys.exit(main())
