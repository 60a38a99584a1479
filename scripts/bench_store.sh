#!/usr/bin/env bash
# Case store import benchmark (issue 12): `casebridge import` of the benchmark CSV into a new store beside
# `casebridge convert --to jsonl` of the same file, same binary.
#
#   scripts/bench_store.sh [--rows N] [--runs K] [--out DIR] [--seed S] [--binary PATH] [--scratch-path DIR]
#
#   --rows N            input size in data rows (default: 100000)
#   --runs K            paired iterations (default: 3)
#   --out DIR           working directory (default: bench-out/store, git-ignored)
#   --seed S            generator seed (default: 1)
#   --binary PATH       time this release binary instead of building one
#   --scratch-path DIR  SwiftPM scratch path of the release build (default: .build)
#
# It generates IN.csv with scripts/gen_csv.py (reused when present with the same rows and seed), builds the release
# CLI (swift build -c release --product casebridge) unless --binary is given, then runs K iterations, each timing
# with /usr/bin/time -v both
#
#   convert  casebridge convert IN.csv --to jsonl -o OUT.jsonl --quarantine Q --report R
#   import   casebridge import IN.csv --store NEW.sqlite --quarantine Q --report R   (a fresh store every time)
#
# in an order that alternates (convert first on even iterations, import first on odd ones) so that drift on a shared
# machine hits both. It prints the median wall ratio import/convert (median of the per-iteration ratios), the
# median CPU (user + sys) ratio, and per command the median wall, user, sys and the peak RSS (max over runs), plus
# the store and JSONL sizes. Exit 1 = rows quarantined is expected (gen_csv.py plants bad rows); any other status
# fails the script. Nothing is asserted about timing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

rows=100000
runs=3
out="bench-out/store"
seed=1
binary=""
scratch=".build"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --scratch-path) scratch="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench_store.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench_store.sh: /usr/bin/time (GNU time) is required" >&2; exit 69; }

mkdir -p "$out/inputs" "$out/runs"
in="$out/inputs/rows-$rows-seed-$seed.csv"
if [ ! -s "$in" ]; then
  echo "generating $in" >&2
  python3 "$here/gen_csv.py" --rows "$rows" --seed "$seed" -o "$in" >&2
fi
if [ -z "$binary" ]; then
  echo "building the release CLI" >&2
  swift build -c release --product casebridge --scratch-path "$scratch" >&2
  binary="$scratch/release/casebridge"
fi
[ -x "$binary" ] || { echo "bench_store.sh: no binary at $binary" >&2; exit 69; }

tsv="$out/runs/runs.tsv"
printf 'iteration\tcommand\twall_s\tuser_s\tsys_s\trss_kib\tbytes\n' > "$tsv"

# run ITER NAME ARGS...: times one command; appends a row to runs.tsv.
run() {
  local iter="$1" name="$2"; shift 2
  local tf="$out/runs/$name-$iter.time"
  local status=0
  /usr/bin/time -v -o "$tf" "$binary" "$@" > "$out/runs/$name-$iter.out" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "bench_store.sh: $name failed with status $status (see $out/runs/$name-$iter.out)" >&2
    cat "$tf" >&2 || true
    exit 1
  fi
  local bytes
  if [ "$name" = import ]; then bytes=$(stat -c %s "$out/runs/store.sqlite"); else bytes=$(stat -c %s "$out/runs/out.jsonl"); fi
  python3 - "$tf" "$iter" "$name" "$bytes" >> "$tsv" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def field(label):
    m = re.search(r"^\s*" + re.escape(label) + r":\s*(.+)$", text, re.M)
    return m.group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
print("\t".join([sys.argv[2], sys.argv[3], "%.2f" % secs, field("User time (seconds)"), field("System time (seconds)"),
                 field("Maximum resident set size (kbytes)"), sys.argv[4]]))
PY
}

convert() {
  rm -rf "$out/runs/out.jsonl" "$out/runs/qc" "$out/runs/rc.json"
  run "$1" convert convert "$in" --to jsonl -o "$out/runs/out.jsonl" --quarantine "$out/runs/qc" --report "$out/runs/rc.json"
}
import() {
  rm -rf "$out/runs/store.sqlite" "$out/runs/store.sqlite-wal" "$out/runs/store.sqlite-shm" "$out/runs/qi" "$out/runs/ri.json"
  run "$1" import import "$in" --store "$out/runs/store.sqlite" --quarantine "$out/runs/qi" --report "$out/runs/ri.json"
}

for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) -eq 0 ]; then convert "$i"; import "$i"; else import "$i"; convert "$i"; fi
  echo "iteration $i of $runs done" >&2
done

python3 - "$tsv" "$rows" "$in" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = {}
for r in rows:
    by.setdefault(r["iteration"], {})[r["command"]] = r
def f(r, k): return float(r[k])
wall_ratio = statistics.median(f(p["import"], "wall_s") / f(p["convert"], "wall_s") for p in by.values())
cpu = lambda r: f(r, "user_s") + f(r, "sys_s")
cpu_ratio = statistics.median(cpu(p["import"]) / cpu(p["convert"]) for p in by.values())
print(f"input: {sys.argv[3]} ({sys.argv[2]} rows), {len(by)} paired iterations")
print(f"median wall ratio import/convert: {wall_ratio:.2f}x")
print(f"median CPU ratio import/convert:  {cpu_ratio:.2f}x")
for cmd in ("convert", "import"):
    rs = [p[cmd] for p in by.values()]
    med = lambda k: statistics.median(f(r, k) for r in rs)
    rss = max(f(r, "rss_kib") for r in rs) / 1024
    size = max(f(r, "bytes") for r in rs) / 1e6
    print(f"{cmd:8s} wall {med('wall_s'):.2f} s  user {med('user_s'):.2f} s  sys {med('sys_s'):.2f} s  "
          f"CPU {statistics.median(cpu(r) for r in rs):.2f} s  peak RSS {rss:.1f} MiB  output {size:.0f} MB")
PY
