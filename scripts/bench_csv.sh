#!/usr/bin/env bash
# CaseBridge CSV benchmark: CSV -> validate -> JSON Lines with the release CLI, beside Miller and a Python csv peer.
#
#   scripts/bench_csv.sh [--rows N]... [--runs K] [--out DIR] [--seed S] [--scratch-path DIR] [--no-build]
#
#   --rows N            input size in data rows; repeat or comma-separate for several (default: 100000,1000000)
#   --runs K            paired iterations per size (default: 5)
#   --out DIR           working and result directory, relative to the repo root (default: bench-out/csv, git-ignored)
#   --seed S            generator seed (default: 1)
#   --scratch-path DIR  SwiftPM scratch path of the release build (default: .build-release, or .build-csvbench when
#                       another process is using .build-release at that moment; both are git-ignored)
#   --no-build          use the existing DIR/release/casebridge instead of building it
#
# For each size it generates a deterministic CSV with scripts/gen_csv.py (header case_number, first_name,
# last_name, ip, port, observed_at, email, md5, notes; quoted fields with commas, doubled quotes and embedded
# newlines; about 0.1 % semantically bad rows; SHA-256 printed), then runs K iterations, each of which times (with
# /usr/bin/time -v) the four variants on the same file, in an order that alternates from one iteration to the next
# (ABCD, DCBA, ...) so that drift on a shared machine hits all of them:
#
#   cb-validate    casebridge convert IN.csv --to jsonl -o OUT --quarantine Q --report R
#                    --now 2026-01-01T00:00:00Z --run-id csv-<i>   (default CSV profile; exit 1 = rows quarantined: OK)
#   cb-novalidate  the same with --no-validate                       (the cost of the semantic rules)
#   miller         mlr --icsv --ojsonl cat IN.csv > OUT              (Miller 6: CSV -> JSON Lines, no validation)
#   python         scripts/peer_csv.py IN.csv OUT QUARANTINE.csv     (Python csv + json peer with per-row checks)
#
# It prints, per size, median wall time, MB/s of input (10^6 bytes / median wall), rows/s, peak RSS (max over runs,
# MiB), the paired ratios (median of per-iteration ratios), and checks read == accepted + quarantined in every
# CaseBridge report (and the expected rows, quarantined rows, rules and entities). Results: DIR/results.json
# (machine-readable) and DIR/results.md (Markdown fragment); per-run rows in DIR/runs/runs.tsv.
# No timing is asserted anywhere; the exit status is non-zero only when a run fails or a count check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

orig_args="$*"
sizes=()
runs=5
out="bench-out/csv"
seed=1
build=1
scratch=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; IFS=',' read -r -a more <<<"$2"; sizes+=("${more[@]}"); shift 2 ;;
    --rows=*) IFS=',' read -r -a more <<<"${1#*=}"; sizes+=("${more[@]}"); shift ;;
    --runs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --out) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --seed) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    --scratch-path) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; scratch="$2"; shift 2 ;;
    --scratch-path=*) scratch="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_csv.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
for n in "${sizes[@]}" "$runs" "$seed"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench_csv.sh: not a non-negative integer: $n" >&2; exit 64; }
done
[[ "$runs" -ge 1 ]] || { echo "bench_csv.sh: --runs must be at least 1" >&2; exit 64; }
case "$out" in /*|.|..|../*|'') echo "bench_csv.sh: --out must be a directory below the repo root" >&2; exit 64 ;; esac

bench_tag=bench-csv
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"

# ---- 1. tools -------------------------------------------------------------------------------------------------
require_tools
if ! command -v mlr >/dev/null; then
  log "mlr is missing: installing the Debian package 'miller'"
  apt_install miller || true
fi
command -v mlr >/dev/null || die 69 "mlr (Miller, Debian package 'miller') is required"

# ---- 2. release CLI -------------------------------------------------------------------------------------------
# Another helper's scripts/bench.sh builds and runs .build-release; do not rebuild under it while it is in use.
if [[ -z "$scratch" ]]; then
  scratch=".build-release"
  if [[ $build -eq 1 ]] && release_in_use; then
    scratch=".build-csvbench"
    log "another process is using .build-release (or scripts/bench.sh is running): building in $scratch instead"
  fi
fi
case "$scratch" in .build*) ;; *) die 64 "--scratch-path must be a git-ignored .build* directory" ;; esac
build_release "$scratch" "$build"
copy_binary
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs ------------------------------------------------------------------------------------------------
prepare_runs
gen_sha="$(sha256sum scripts/gen_csv.py | cut -d' ' -f1)"
input_of() { printf '%s\n' "$out/inputs/rows-$1-seed$seed.csv"; }
for n in "${sizes[@]}"; do
  in="$(input_of "$n")"
  if input_is_current "$in" "$gen_sha"; then
    log "reusing $in (generated by this gen_csv.py)"
  else
    log "generating $n rows -> $in"
    rm -f "$in.stamp"
    python3 scripts/gen_csv.py --rows "$n" --seed "$seed" -o "$in" --stats "$in.stats.json" >/dev/null 2>&1
    echo "$gen_sha" >"$in.stamp"
  fi
  printf 'input %-10s sha256 %s  %s bytes  %s\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$in"
done

# ---- 4. runs --------------------------------------------------------------------------------------------------
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v and appends a row to runs.tsv.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts="" outf="$out/work/out.jsonl"
  rm -rf "$w/q" "$w/out.jsonl" "$w/quarantine.csv"
  mkdir -p "$w/q"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      time_casebridge "$tf" "$err" convert "$in" --to jsonl -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "csv-$i" ${extra[@]+"${extra[@]}"}
      ;;
    miller)
      rc=0
      /usr/bin/time -v -o "$tf" mlr --icsv --ojsonl cat "$in" >"$outf" 2>"$err" || rc=$?
      [[ $rc -eq 0 ]] || run_failed "mlr on $in" "$rc" "$err" "$tf"
      ;;
    python)
      counts="$dir/$variant-$i.counts.json"
      time_peer "$tf" "$err" python3 scripts/peer_csv.py "$in" "$outf" "$w/quarantine.csv" --counts "$counts"
      ;;
  esac
  record_run "$tf" "$n" "$i" "$variant" "$rc" "$outf" "$counts"
}

run_paired rows input_of cb-validate cb-novalidate miller python

# ---- 5./6. summary --------------------------------------------------------------------------------------------
python3 scripts/bench_csv_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_csv.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" "${sizes[@]}"
