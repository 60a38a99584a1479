#!/usr/bin/env bash
# CaseBridge provider IP log benchmark: isp-log -> validate -> JSON Lines with the release CLI.
#
#   scripts/bench_isp.sh [--rows N]... [--runs K] [--out DIR] [--seed S] [--scratch-path DIR] [--no-build]
#
#   --rows N            input size in data rows; repeat or comma-separate for several (default: 1000000)
#   --runs K            iterations per size and variant (default: 3)
#   --out DIR           working and result directory, relative to the repo root (default: bench-out/isp, git-ignored)
#   --seed S            generator seed (default: 1)
#   --scratch-path DIR  SwiftPM scratch path of the release build (default: .build-release)
#   --no-build          use the existing DIR/release/casebridge instead of building it
#
# For each size it generates a deterministic IP log with scripts/gen_isp_log.py (the Placeholder Games layout:
# user id, username, IP, first seen in epoch seconds, last seen in epoch milliseconds, port; IPv4, CGNAT and IPv6
# documentation addresses; about 0.1 % of the rows wrong on purpose; SHA-256 printed), then times, K times each,
# alternating the order:
#
#   cb-validate    casebridge convert IN.log --profile Schemas/profiles/providers/placeholder-games-iplog.json
#                    --to jsonl -o OUT --quarantine Q --report R --now 2026-01-01T00:00:00Z --run-id isp-<i>
#   cb-novalidate  the same with --no-validate (the cost of the semantic rules)
#
# and prints, per size and variant, the median wall time, rows/s, MB/s of input and the peak RSS (max over runs),
# after checking in every report that read == accepted + quarantined, that read is the number of rows and that
# quarantined is the generator's number of wrong rows. Results: DIR/results.md; per-run rows in DIR/runs.tsv.
# No timing is asserted anywhere; the exit status is non-zero only when a run or a count check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

sizes=()
runs=3
out="bench-out/isp"
seed=1
build=1
scratch=".build-release"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; IFS=',' read -r -a more <<<"$2"; sizes+=("${more[@]}"); shift 2 ;;
    --runs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; runs="$2"; shift 2 ;;
    --out) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; out="$2"; shift 2 ;;
    --seed) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; seed="$2"; shift 2 ;;
    --scratch-path) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; scratch="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_isp.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000)
for n in "${sizes[@]}" "$runs" "$seed"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench_isp.sh: not a non-negative integer: $n" >&2; exit 64; }
done
[[ "$runs" -ge 1 ]] || { echo "bench_isp.sh: --runs must be at least 1" >&2; exit 64; }
case "$out" in /*|.|..|../*|'') echo "bench_isp.sh: --out must be a directory below the repo root" >&2; exit 64 ;; esac
case "$scratch" in .build*) ;; *) echo "bench_isp.sh: --scratch-path must be a git-ignored .build* directory" >&2; exit 64 ;; esac
[[ -x /usr/bin/time ]] || { echo "bench_isp.sh: /usr/bin/time (GNU time, Debian package 'time') is required" >&2; exit 69; }
command -v python3 >/dev/null || { echo "bench_isp.sh: python3 is required" >&2; exit 69; }

log() { printf '[bench-isp %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

bin="$root/$scratch/release/casebridge"
if [[ $build -eq 1 ]]; then
  log "building the release CLI (swift build -c release --product casebridge --scratch-path $scratch)"
  swift build -c release --product casebridge --scratch-path "$scratch" >&2
fi
[[ -x "$bin" ]] || { echo "bench_isp.sh: $bin is missing (build it, or drop --no-build)" >&2; exit 69; }
# A private copy (with its resource bundles), so a rebuild during the runs cannot swap the binary.
rm -rf "$out/bin" "$out/work"
mkdir -p "$out/bin" "$out/inputs" "$out/work"
cp -f "$bin" "$out/bin/casebridge"
for r in "$(dirname "$bin")"/*.resources; do [[ -e "$r" ]] && cp -R "$r" "$out/bin/"; done
bin="$root/$out/bin/casebridge"
profile="Schemas/profiles/providers/placeholder-games-iplog.json"
tsv="$out/runs.tsv"
printf 'rows\titer\tvariant\trc\telapsed_s\tmaxrss_kb\tread\taccepted\tquarantined\n' >"$tsv"

for n in "${sizes[@]}"; do
  in="$out/inputs/isp-$n-seed$seed.log"
  stats="$in.stats.json"
  if [[ ! -f "$in" || ! -f "$stats" || "$(sha256sum "$in" | cut -d' ' -f1)" != "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$stats")" ]]; then
    log "generating $n rows -> $in"
    python3 scripts/gen_isp_log.py --rows "$n" --seed "$seed" -o "$in" --stats "$stats" >/dev/null
  fi
  bad="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["badRows"])' "$stats")"
  printf 'input %-10s sha256 %s  %s bytes  %s wrong rows\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$bad"
  cat "$in" >/dev/null  # warm the page cache
  for ((i = 1; i <= runs; i++)); do
    if ((i % 2 == 1)); then order=(cb-validate cb-novalidate); else order=(cb-novalidate cb-validate); fi
    for v in "${order[@]}"; do
      w="$out/work"
      rm -rf "$w/q" "$w/out.jsonl"
      extra=()
      [[ "$v" == cb-novalidate ]] && extra=(--no-validate)
      rc=0
      /usr/bin/time -v -o "$w/time.txt" "$bin" convert "$in" --profile "$profile" --to jsonl -o "$w/out.jsonl" \
        --quarantine "$w/q" --report "$w/report.json" --now 2026-01-01T00:00:00Z --run-id "isp-$i" \
        ${extra[@]+"${extra[@]}"} 2>"$w/stderr.txt" || rc=$?
      if [[ $rc -ne 0 && $rc -ne 1 ]]; then
        echo "bench_isp.sh: casebridge failed (exit $rc): $v iteration $i; stderr:" >&2
        cat "$w/stderr.txt" >&2
        exit 70
      fi
      python3 - "$w/time.txt" "$w/report.json" "$n" "$i" "$v" "$rc" "$bad" >>"$tsv" <<'PY'
import json, sys
tf, report, n, i, variant, rc, bad = sys.argv[1:]
v = {}
for line in open(tf):
    k, _, val = line.strip().rpartition(": ")
    v[k] = val
e = v["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
secs = sum(float(x) * 60 ** k for k, x in enumerate(reversed(e)))
inp = json.load(open(report))["inputs"][0]
read, acc, q = inp["read"], inp["accepted"], inp["quarantined"]
if read != acc + q or read != int(n) or q != int(bad):
    sys.exit(f"count check failed: read {read}, accepted {acc}, quarantined {q}, rows {n}, wrong rows {bad}")
print("\t".join([n, i, variant, rc, f"{secs:.2f}", v["Maximum resident set size (kbytes)"], str(read), str(acc), str(q)]))
PY
      tail -n 1 "$tsv" | awk -F'\t' '{printf "  %-8s it %s %-14s rc %s  wall %7ss  rss %7.1f MiB  read %s  quarantined %s\n", $1, $2, $3, $4, $5, $6/1024, $7, $9}' >&2
    done
  done
done
rm -rf "$out/work"

python3 - "$tsv" "$out" "$seed" "$runs" <<'PY' | tee "$out/results.md"
import csv, os, statistics, sys
tsv, out, seed, runs = sys.argv[1:]
rows = list(csv.DictReader(open(tsv), delimiter="\t"))
print(f"| rows | variant | median wall (s) | rows/s | MB/s | peak RSS (MiB) | runs |")
print(f"|---:|---|---:|---:|---:|---:|---:|")
for n in sorted({r["rows"] for r in rows}, key=int):
    size = os.path.getsize(os.path.join(out, "inputs", f"isp-{n}-seed{seed}.log"))
    for v in ("cb-validate", "cb-novalidate"):
        rs = [r for r in rows if r["rows"] == n and r["variant"] == v]
        if not rs:
            continue
        wall = statistics.median(float(r["elapsed_s"]) for r in rs)
        rss = max(int(r["maxrss_kb"]) for r in rs) / 1024
        print(f"| {int(n):,} | {v} | {wall:.2f} | {int(n) / wall:,.0f} | {size / 1e6 / wall:.1f} | {rss:.0f} | {len(rs)} |")
PY
