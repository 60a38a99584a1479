#!/usr/bin/env python3
"""Summary of a scripts/bench_jsonl.sh run: tables on stdout, DIR/results.json and DIR/results.md.

    scripts/bench_jsonl_summary.py --out DIR --seed S --runs K --command CMD --binary PATH --started T N [N...]

Reads DIR/runs/runs.tsv (one row per timed run), the CaseBridge run reports and peer counts it names, and the
generator's DIR/inputs/records-N-seedS.jsonl.stats.json. Figures as in scripts/bench_lib.py (median wall, MB/s,
records/s, peak RSS, paired ratios = median of per-iteration ratios).

Checks (exit 1 if one fails; timings are never checked): every CaseBridge report has read == accepted +
quarantined, read == the input's lines, output lines == accepted, and quarantined == the generator's count of
deliberately bad lines; the peer's counts agree likewise. Peak RSS of CaseBridge is compared with the 64 MiB target
of the issue's done-criterion and reported (not asserted).
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_lib as bl  # noqa: E402

VARIANTS = ["cb-validate", "cb-novalidate", "python"]
LABEL = {
    "cb-validate": "casebridge convert (validate)",
    "cb-novalidate": "casebridge convert --no-validate",
    "python": "Python json peer (peer_json.py)",
}


def main() -> int:
    a = bl.arguments(__doc__).parse_args()
    rows = bl.load_runs(a.out)
    failures: list[str] = []
    sizes_out = []
    for n in a.sizes:
        inp = bl.input_path(a, f"records-{n}-seed{a.seed}.jsonl")
        stats = json.load(open(inp + ".stats.json"))
        nbytes, lines, bad = stats["bytes"], stats["records"], stats["badLines"]
        per: dict[str, dict] = {}
        for v in VARIANTS:
            rs = bl.runs_of(rows, n, v)
            per[v] = bl.variant_stats(rs, LABEL[v], nbytes, lines, "recordsPerSecond")
            counts = []
            for r in rs:
                got = bl.report_counts(r["counts"]) if v.startswith("cb-") else dict(json.load(open(r["counts"])))
                got["outputLines"] = int(r["out_lines"])
                counts.append(got)
                where = f"{n} records, {v}, iteration {r['iter']}"
                bl.check_sum(failures, where, got)
                if got["read"] != lines:
                    failures.append(f"{where}: read {got['read']} != {lines} input lines")
                if got["outputLines"] != got["accepted"]:
                    failures.append(f"{where}: {got['outputLines']} output lines != accepted {got['accepted']}")
                if got["quarantined"] != bad:
                    failures.append(f"{where}: quarantined {got['quarantined']} != {bad} deliberately bad lines")
                if v.startswith("cb-") and got.get("disposition") != "processed":
                    failures.append(f"{where}: disposition {got.get('disposition')}")
            bl.check_same_counts(failures, f"{n} records, {v}", counts, ("read", "accepted", "quarantined"))
            per[v]["counts"] = counts[0]
        ratios = {
            "wall cb-validate / python": bl.paired_ratio(rows, n, "elapsed_s", "cb-validate", "python"),
            "wall cb-novalidate / python": bl.paired_ratio(rows, n, "elapsed_s", "cb-novalidate", "python"),
            "wall cb-validate / cb-novalidate": bl.paired_ratio(rows, n, "elapsed_s", "cb-validate", "cb-novalidate"),
            "peak RSS cb-validate / python": bl.paired_ratio(rows, n, "maxrss_kb", "cb-validate", "python"),
        }
        rss_ok = {v: per[v]["peakRssMiB"] < bl.RSS_TARGET_MIB for v in ("cb-validate", "cb-novalidate")}
        sizes_out.append({"records": n, "inputPath": inp, "inputBytes": nbytes, "inputSha256": stats["sha256"],
                          "badLines": bad, "badByKind": stats["badByKind"], "byType": stats["byType"],
                          "variants": per, "pairedRatios": ratios,
                          "rssUnder64MiB": rss_ok})

    cg = bl.callgrind(a, "records-{n}-seed%d.jsonl.stats.json" % a.seed, "badLines", ("cb-validate", "cb-novalidate"),
                      failures)
    result = {"command": a.command, "runsPerSize": a.runs, "seed": a.seed, "machine": bl.machine(a),
              "sizes": sizes_out, "callgrind": cg, "checks": {"passed": not failures, "failures": failures}}
    m = result["machine"]
    md = [f"Command: `{a.command}` ({a.runs} paired runs per size; started {m['dateUTC']}; "
          f"{m['nproc']} × {m['cpuModel']}, {m['memTotalGiB']} GiB; binary sha256 `{m['binarySha256'][:16]}…`, "
          f"{bl.built_phrase(m)})", ""]
    for s in sizes_out:
        md += [f"**{s['records']:,} records**, {s['inputBytes'] / 1e6:.1f} MB, SHA-256 `{s['inputSha256']}`, "
               f"{s['badLines']} deliberately bad lines", ""]
        md += bl.table(s["variants"], VARIANTS, "records", "recordsPerSecond")
        md += bl.ratio_table(s["pairedRatios"])
        c = s["variants"]["cb-validate"]["counts"]
        cn = s["variants"]["cb-novalidate"]["counts"]
        pc = s["variants"]["python"]["counts"]
        md += ["", f"Counts: casebridge read {c['read']:,} = accepted {c['accepted']:,} + quarantined {c['quarantined']:,} "
               f"(rules: {', '.join(f'{k} {v}' for k, v in c['rules'].items()) or 'none'}); "
               f"--no-validate: {cn['accepted']:,} + {cn['quarantined']:,}; "
               f"python peer: {pc['accepted']:,} + {pc['quarantined']:,}. "
               f"Peak RSS under 64 MiB: validate {'yes' if s['rssUnder64MiB']['cb-validate'] else 'NO'}, "
               f"--no-validate {'yes' if s['rssUnder64MiB']['cb-novalidate'] else 'NO'}.", ""]
    md += bl.callgrind_table(cg, LABEL)
    if failures:
        md += ["Count checks FAILED:", ""] + [f"- {x}" for x in failures] + [""]

    print()
    for s in sizes_out:
        bl.console(s, "records", "recordsPerSecond", VARIANTS,
                   f"== {s['records']:,} records  ({s['inputBytes'] / 1e6:.1f} MB, sha256 {s['inputSha256']}, "
                   f"{s['badLines']} bad lines)")
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
