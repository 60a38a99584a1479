#!/usr/bin/env bash
# CaseBridge benchmark harness: JSONL -> validate -> JSONL with the release CLI, beside a Python json peer.
#
#   scripts/bench.sh [--records N]... [--runs K] [--out DIR] [--seed S] [--no-build]
#
#   --records N   input size in records (lines); repeat or comma-separate for several (default: 100000,1000000)
#   --runs K      paired iterations per size (default: 5)
#   --out DIR     working and result directory, relative to the repo root (default: bench-out, git-ignored)
#   --seed S      generator seed (default: 1)
#   --no-build    use the existing .build-release/release/casebridge instead of building it
#   --csv         afterwards, also run scripts/bench_csv.sh (CSV -> validate -> JSONL beside Miller and Python's csv
#                 module) with the same sizes and runs; its results go to DIR/csv/
#
# For each size it generates a deterministic input with scripts/gen_jsonl.py (SHA-256 printed), then runs K
# iterations, each of which times (with /usr/bin/time -v) the three variants on the same file, in an order that
# alternates from one iteration to the next (ABC, CBA, ...) so that drift on a shared machine hits all of them:
#
#   cb-validate    casebridge convert IN --from jsonl --to jsonl -o OUT --quarantine Q --report R
#                    --now 2026-01-01T00:00:00Z --run-id bench-<i>           (exit 1 = records quarantined: OK)
#   cb-novalidate  the same with --no-validate                                 (the cost of the semantic rules)
#   python         scripts/peer_json.py IN OUT QUARANTINE                      (Python's json module peer)
#
# It prints, per size, median wall time, MB/s of input (10^6 bytes / median wall), records/s, peak RSS (max over
# runs, MiB), the paired ratios (median of per-iteration ratios), and checks read == accepted + quarantined in
# every CaseBridge report. Results: DIR/results.json (machine-readable) and DIR/results.md (Markdown fragment).
# No timing is asserted anywhere; the exit status is non-zero only when a run fails or a count check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

orig_args="$*"
sizes=()
runs=5
out="bench-out"
seed=1
build=1
csv=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; IFS=',' read -r -a more <<<"$2"; sizes+=("${more[@]}"); shift 2 ;;
    --records=*) IFS=',' read -r -a more <<<"${1#*=}"; sizes+=("${more[@]}"); shift ;;
    --runs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --out) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --seed) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    --csv) csv=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
for n in "${sizes[@]}" "$runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --records and --runs take positive integers, not '$n'" >&2; exit 64; }
done
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "bench.sh: --seed takes a non-negative integer, not '$seed'" >&2; exit 64; }

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- 1. tools -------------------------------------------------------------------------------------------------
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if [[ ! -x /usr/bin/time ]]; then
  log "/usr/bin/time is missing: installing the Debian package 'time'"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y time; then
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y time
  fi
fi
[[ -x /usr/bin/time ]] || { echo "bench.sh: /usr/bin/time (GNU time) is required" >&2; exit 69; }
command -v python3 >/dev/null || { echo "bench.sh: python3 is required" >&2; exit 69; }
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "bench.sh: python3 >= 3.11 is required (datetime.fromisoformat with Z)" >&2; exit 69; }

# ---- 2. release CLI -------------------------------------------------------------------------------------------
bin="$root/.build-release/release/casebridge"
if [[ $build -eq 1 ]]; then
  log "building the release CLI (swift build -c release --product casebridge --scratch-path .build-release)"
  # Others may be editing Sources/ meanwhile; SwiftPM then stops with "was modified during the build".
  # Retry a few times (the finished part of the build is kept), and stop on any other failure.
  for attempt in 1 2 3 4 5; do
    # What the binary is built from: the commit, and how many files under Package.swift, Sources/ and Schemas/
    # differ from it or are untracked when the build starts (0: the binary is exactly that commit's).
    source_commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
    source_status="$(git status --porcelain -- Package.swift Sources Schemas 2>/dev/null || true)"
    source_dirty="$(printf '%s' "$source_status" | grep -c . || true)"
    blog="$(mktemp)"
    if swift build -c release --product casebridge --scratch-path .build-release 2>&1 | tee "$blog" >&2; then
      rm -f "$blog"
      break
    fi
    if grep -q "was modified during the build" "$blog" && [[ $attempt -lt 5 ]]; then
      rm -f "$blog"
      log "a source file changed during the build; retrying ($attempt/5)"
      sleep 5
      continue
    fi
    rm -f "$blog"
    echo "bench.sh: the release build failed" >&2
    exit 70
  done
fi
[[ -x "$bin" ]] || { echo "bench.sh: $bin is missing (build it, or drop --no-build)" >&2; exit 69; }
if [[ $build -eq 0 ]]; then source_commit=unknown; source_dirty=-1; source_status=""; fi  # --no-build: unknown
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs ------------------------------------------------------------------------------------------------
mkdir -p "$out/inputs"
rm -rf "$out/runs" "$out/work"
mkdir -p "$out/runs" "$out/work"
printf '%s\n' "$source_status" >"$out/runs/source-status.txt"  # `git status --porcelain` when the build started
tsv="$out/runs/runs.tsv"
printf 'records\titer\tvariant\trc\telapsed_s\tmaxrss_kb\tuser_s\tsys_s\tout_lines\tcounts\n' >"$tsv"

gen_sha="$(sha256sum scripts/gen_jsonl.py | cut -d' ' -f1)"
for n in "${sizes[@]}"; do
  in="$out/inputs/records-$n-seed$seed.jsonl"
  stamp="$in.stamp"
  if [[ -f "$in" && -f "$stamp" && "$(cat "$stamp")" == "$gen_sha" ]] \
     && [[ "$(sha256sum "$in" | cut -d' ' -f1)" == "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$in.stats.json")" ]]; then
    log "reusing $in (generated by this gen_jsonl.py)"
  else
    log "generating $n records -> $in"
    rm -f "$stamp"
    python3 scripts/gen_jsonl.py --records "$n" --seed "$seed" -o "$in" --stats "$in.stats.json" >/dev/null
    echo "$gen_sha" >"$stamp"
  fi
  printf 'input %-10s sha256 %s  %s bytes  %s\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$in"
done

# ---- 4. runs --------------------------------------------------------------------------------------------------
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v and appends a row to runs.tsv.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts rc=0 outf
  rm -rf "$w/q" "$w/out.jsonl" "$w/quarantine.jsonl"
  mkdir -p "$w/q"
  outf="$w/out.jsonl"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      /usr/bin/time -v -o "$tf" "$bin" convert "$in" --from jsonl --to jsonl -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "bench-$i" \
        ${extra[@]+"${extra[@]}"} 2>"$err" || rc=$?
      if [[ $rc -ne 0 && $rc -ne 1 ]]; then
        echo "bench.sh: casebridge failed (exit $rc): $variant iteration $i on $in; stderr:" >&2
        cat "$err" >&2
        exit 70
      fi
      ;;
    python)
      counts="$dir/$variant-$i.counts.json"
      /usr/bin/time -v -o "$tf" python3 scripts/peer_json.py "$in" "$outf" "$w/quarantine.jsonl" \
        --counts "$counts" 2>"$err" || rc=$?
      if [[ $rc -ne 0 ]]; then
        echo "bench.sh: peer_json.py failed (exit $rc) on $in; stderr:" >&2
        cat "$err" "$tf" >&2
        exit 70
      fi
      ;;
  esac
  local lines
  lines="$(wc -l <"$outf")"
  python3 - "$tf" "$n" "$i" "$variant" "$rc" "$lines" "$counts" >>"$tsv" <<'PY'
import sys
tf, n, i, variant, rc, lines, counts = sys.argv[1:]
v = {}
for line in open(tf):
    k, _, val = line.strip().rpartition(": ")
    v[k] = val
e = v["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
secs = sum(float(x) * 60 ** k for k, x in enumerate(reversed(e)))
print("\t".join([n, i, variant, rc, f"{secs:.2f}", v["Maximum resident set size (kbytes)"],
                 v["User time (seconds)"], v["System time (seconds)"], lines, counts]))
PY
  tail -n 1 "$tsv" | awk -F'\t' '{printf "  %-8s it %s %-14s rc %s  wall %7ss  rss %7.1f MiB  user %6ss  sys %5ss  out %s lines\n", $1, $2, $3, $4, $5, $6/1024, $7, $8, $9}' >&2
}

variants=(cb-validate cb-novalidate python)
for n in "${sizes[@]}"; do
  in="$out/inputs/records-$n-seed$seed.jsonl"
  dir="$out/runs/$n"
  mkdir -p "$dir"
  cat "$in" >/dev/null  # warm the page cache: every variant reads a cached file
  log "$n records: $runs paired iteration(s) of ${variants[*]}"
  for ((i = 1; i <= runs; i++)); do
    if ((i % 2 == 1)); then order=(0 1 2); else order=(2 1 0); fi
    for k in "${order[@]}"; do timed "${variants[$k]}" "$i" "$n" "$in" "$dir"; done
  done
done
rm -rf "$out/work"

# ---- 5./6. summary --------------------------------------------------------------------------------------------
python3 scripts/bench_summary.py --out "$out" --seed "$seed" --runs "$runs" --command "scripts/bench.sh${orig_args:+ $orig_args}" \
  --binary "$bin" --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" \
  --started "$started" "${sizes[@]}"

# ---- 7. CSV (optional) -------------------------------------------------------------------------------------------
if [[ "$csv" == 1 ]]; then
  csv_args=(--runs "$runs" --out "$out/csv" --seed "$seed" --no-build)
  for n in "${sizes[@]}"; do csv_args+=(--rows "$n"); done
  scripts/bench_csv.sh "${csv_args[@]}"
fi
