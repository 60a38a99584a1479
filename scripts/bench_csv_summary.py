#!/usr/bin/env python3
"""Summary of a scripts/bench_csv.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_csv_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports and peer counts it names, and the
generator's DIR/inputs/rows-N-seedS.csv.stats.json. Figures as in scripts/bench_lib.py (median wall, MB/s, rows/s,
peak RSS, paired ratios = median of per-iteration ratios).

Checks (exit 1 if one fails; timings are never checked): every CaseBridge report has read == accepted +
quarantined, read == the input's data rows, ignored == 1 (the header), quarantined == the generator's count of
deliberately bad rows, rules == the bad rows by kind (ip.invalid, timestamp.missing-zone, hash.length), accepted
entities by type == what the default profile yields from the good rows, and output lines == accepted entities;
the Python peer's counts agree likewise (output lines == accepted rows); polars, DuckDB (whose COPY row count is
checked too) and Miller write one line per data row.
Peak RSS of CaseBridge is compared with a 64 MiB target and reported (not asserted).
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_lib as bl  # noqa: E402

VARIANTS = ["cb-validate", "cb-novalidate", "polars", "duckdb", "miller", "python"]
PEERS_WITHOUT_COUNTS = ("polars", "duckdb", "miller")  # converters: every data row becomes one output line
LABEL = {
    "cb-validate": "casebridge convert (validate)",
    "cb-novalidate": "casebridge convert --no-validate",
    "polars": "polars `scan_csv().sink_ndjson()` (streaming)",
    "duckdb": "DuckDB `COPY (FROM read_csv()) TO (FORMAT json)`",
    "miller": "Miller `mlr --icsv --ojsonl cat`",
    "python": "Python csv peer (peer_csv.py)",
}
RULE_OF_KIND = {"ip-leading-zero": "ip.invalid", "timestamp-without-zone": "timestamp.missing-zone",
                "md5-wrong-length": "hash.length"}


def main() -> int:
    a = bl.arguments(__doc__).parse_args()
    rows = bl.load_runs(a.out)
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = bl.input_path(a, f"rows-{n}-seed{a.seed}.csv")
        stats = json.load(open(inp + ".stats.json"))
        nbytes, nrows, bad = stats["bytes"], stats["rows"], stats["badRows"]
        want_rules = {RULE_OF_KIND[k]: v for k, v in stats["badByKind"].items()}
        want_entities = stats["goodEntities"]
        per: dict[str, dict] = {}
        for v in VARIANTS:
            rs = bl.runs_of(rows, n, v)
            per[v] = bl.variant_stats(rs, LABEL[v], nbytes, nrows, "rowsPerSecond")
            counts = []
            for r in rs:
                where = f"{n} rows, {v}, iteration {r['iter']}"
                out_lines = int(r["out_lines"])
                if v in PEERS_WITHOUT_COUNTS:
                    got = {"outputLines": out_lines}
                    if out_lines != nrows:
                        failures.append(f"{where}: {out_lines} output lines != {nrows} data rows")
                    if r["counts"]:  # DuckDB's COPY row count
                        got["rows"] = json.load(open(r["counts"]))["rows"]
                        if got["rows"] != nrows:
                            failures.append(f"{where}: COPY wrote {got['rows']} rows != {nrows} data rows")
                    counts.append(got)
                    continue
                got = bl.report_counts(r["counts"], entities=True) if v.startswith("cb-") else dict(json.load(open(r["counts"])))
                got["outputLines"] = out_lines
                counts.append(got)
                bl.check_sum(failures, where, got)
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
            bl.check_same_counts(failures, f"{n} rows, {v}", counts, ("read", "accepted", "quarantined", "outputLines"))
            per[v]["counts"] = counts[0]

        def ratio(field, x, y):
            return bl.paired_ratio(rows, n, field, x, y)

        ratios = {
            "wall cb-validate / polars": ratio("elapsed_s", "cb-validate", "polars"),
            "wall cb-novalidate / polars": ratio("elapsed_s", "cb-novalidate", "polars"),
            "wall cb-validate / duckdb": ratio("elapsed_s", "cb-validate", "duckdb"),
            "wall cb-novalidate / duckdb": ratio("elapsed_s", "cb-novalidate", "duckdb"),
            "wall cb-validate / miller": ratio("elapsed_s", "cb-validate", "miller"),
            "wall cb-novalidate / miller": ratio("elapsed_s", "cb-novalidate", "miller"),
            "wall cb-validate / python": ratio("elapsed_s", "cb-validate", "python"),
            "wall cb-novalidate / python": ratio("elapsed_s", "cb-novalidate", "python"),
            "wall cb-validate / cb-novalidate": ratio("elapsed_s", "cb-validate", "cb-novalidate"),
            "wall python / miller": ratio("elapsed_s", "python", "miller"),
            "wall polars / miller": ratio("elapsed_s", "polars", "miller"),
            "peak RSS cb-validate / polars": ratio("maxrss_kb", "cb-validate", "polars"),
            "peak RSS cb-validate / miller": ratio("maxrss_kb", "cb-validate", "miller"),
            "peak RSS cb-validate / python": ratio("maxrss_kb", "cb-validate", "python"),
        }
        rss_ok = {v: per[v]["peakRssMiB"] < bl.RSS_TARGET_MIB for v in ("cb-validate", "cb-novalidate")}
        sizes_out.append({"rows": n, "inputPath": inp, "inputBytes": nbytes, "inputSha256": stats["sha256"],
                          "physicalLines": stats["physicalLines"], "quotedRows": stats["quotedRows"],
                          "notesWith": stats["notesWith"], "badRows": bad, "badByKind": stats["badByKind"],
                          "expectedEntities": want_entities, "variants": per, "pairedRatios": ratios,
                          "rssUnder64MiB": rss_ok})

    cg = bl.callgrind(a, "rows-{n}-seed%d.csv.stats.json" % a.seed, "badRows", ("cb-validate", "cb-novalidate"), failures)
    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed,
              "machine": bl.machine(a, miller=bl.sh("mlr", "--version"), **bl.peer_versions(a.peer_python, "polars", "duckdb")),
              "sizes": sizes_out, "callgrind": cg, "checks": {"passed": not failures, "failures": failures}}
    m = result["machine"]
    md = [f"Command: `{a.command}` ({a.runs} paired runs per size; started {m['dateUTC']}; "
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, "
          f"{bl.built_phrase(m)}; {m['polars']}; {m['duckdb']}; {m['miller']}; Python {m['python']}; load average at start "
          f"{' '.join(map(str, m['loadAverageAtStart']))}, at end {' '.join(map(str, m['loadAverage']))})", ""]
    for s in sizes_out:
        nw = s["notesWith"]
        md += [f"**{s['rows']:,} rows**, {s['inputBytes'] / 1e6:.1f} MB ({s['physicalLines']:,} physical lines; "
               f"{s['quotedRows']:,} rows with a quoted field; notes with commas {nw.get('comma', 0):,}, "
               f"doubled quotes {nw.get('quote', 0):,}, embedded newlines {nw.get('newline', 0):,}), "
               f"SHA-256 `{s['inputSha256']}`, {s['badRows']} deliberately bad rows", ""]
        md += bl.table(s["variants"], VARIANTS, "rows", "rowsPerSecond", output_column=True)
        md += bl.ratio_table(s["pairedRatios"])
        c = s["variants"]["cb-validate"]["counts"]
        cn = s["variants"]["cb-novalidate"]["counts"]
        pc = s["variants"]["python"]["counts"]
        md += ["", f"Counts: casebridge read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
               f"(rules: {', '.join(f'{k} {v}' for k, v in c['rules'].items()) or 'none'}; "
               f"entities: {', '.join(f'{k} {v:,}' for k, v in c['entities'].items())}); "
               f"--no-validate: {cn['accepted']:,} + {cn['quarantined']:,}; "
               f"python peer: {pc['accepted']:,} + {pc['quarantined']:,}; "
               f"polars: {s['variants']['polars']['counts']['outputLines']:,}, DuckDB: "
               f"{s['variants']['duckdb']['counts']['outputLines']:,}, Miller: "
               f"{s['variants']['miller']['counts']['outputLines']:,} objects (no validation). "
               f"Peak RSS under 64 MiB: validate {'yes' if s['rssUnder64MiB']['cb-validate'] else 'NO'}, "
               f"--no-validate {'yes' if s['rssUnder64MiB']['cb-novalidate'] else 'NO'}.", ""]
    md += bl.callgrind_table(cg, LABEL)
    md += ["Count checks: " + ("passed (read == accepted + quarantined, expected rows, bad rows, rules and entities "
                               "in every CaseBridge report; peer, polars, DuckDB and Miller line counts)." if not failures else "FAILED:"), ""]
    if failures:
        md += [f"- {x}" for x in failures] + [""]

    print()
    for s in sizes_out:
        bl.console(s, "rows", "rowsPerSecond", VARIANTS,
                   f"== {s['rows']:,} rows  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
                   f"{s['badRows']} bad rows)")
        c = s["variants"]["cb-validate"]["counts"]
        print(f"  report: read {c['read']} == accepted {c['accepted']} + quarantined {c['quarantined']}: "
              f"{c['read'] == c['accepted'] + c['quarantined']}; rules {c['rules']}")
        pc = s["variants"]["python"]["counts"]
        print(f"  python peer: read {pc['read']}, accepted {pc['accepted']}, quarantined {pc['quarantined']}")
        for v, ok in s["rssUnder64MiB"].items():
            print(f"  peak RSS {v} {s['variants'][v]['peakRssMiB']} MiB vs 64 MiB target: {'under' if ok else 'OVER'}")
        print()
    return bl.finish(a.out, result, md, failures)


if __name__ == "__main__":
    sys.exit(main())
