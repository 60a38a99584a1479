#!/usr/bin/env bash
# CaseBridge CSV benchmark: CSV -> validate -> JSON Lines with the release CLI, beside polars (streaming), DuckDB,
# Miller and a Python csv peer.
#
#   scripts/bench_csv.sh [--rows N]... [--runs K] [--out DIR] [--seed S] [--scratch-path DIR] [--no-build]
#                        [--callgrind N] [--inputs DIR] [--venv DIR] [--binary PATH]
#
#   --rows N            input size in data rows; repeat or comma-separate for several (default: 100000,1000000)
#   --runs K            paired iterations per size (default: 5)
#   --out DIR           working and result directory, relative to the repo root (default: bench-out/csv, git-ignored)
#   --seed S            generator seed (default: 1)
#   --scratch-path DIR  SwiftPM scratch path of the release build (default: .build-release, or .build-csvbench when
#                       another process is using .build-release at that moment; both are git-ignored)
#   --no-build          use the existing DIR/release/casebridge instead of building it
#   --callgrind N       also count instructions (valgrind --tool=callgrind) of casebridge, validation on and off, on
#                       an N-row input, as Ir/row (default: 0, skip)
#   --inputs DIR        input cache directory (default: DIR/inputs of --out; scripts/bench.sh shares one)
#   --venv DIR          the virtual environment with the PyPI peers polars, duckdb and lxml (default: DIR/venv of
#                       --out; made with python3 -m venv and pip when missing; no PyPI: exit 69)
#   --binary PATH       time this release binary (implies --no-build; scripts/bench.sh builds once and passes it)
#
# For each size it generates a deterministic CSV with scripts/gen_csv.py (header case_number, first_name,
# last_name, ip, port, observed_at, email, md5, notes; quoted fields with commas, doubled quotes and embedded
# newlines; about 0.1 % semantically bad rows; SHA-256 printed), then runs K iterations, each of which times (with
# /usr/bin/time -v) the six variants on the same file, in an order that alternates from one iteration to the next
# (ABCDEF, FEDCBA, ...) so that drift on a shared machine hits all of them:
#
#   cb-validate    casebridge convert IN.csv --to jsonl -o OUT --quarantine Q --report R
#                    --now 2026-01-01T00:00:00Z --run-id csv-<i>   (default CSV profile; exit 1 = rows quarantined: OK)
#   cb-novalidate  the same with --no-validate                       (the cost of the semantic rules)
#   polars         scripts/peer_polars.py csv-jsonl IN.csv OUT       (pl.scan_csv(IN).sink_ndjson(OUT), streaming
#                                                                      engine; no validation)
#   duckdb         scripts/peer_duckdb.py csv-jsonl IN.csv OUT       (COPY (SELECT * FROM read_csv(IN)) TO OUT
#                                                                      (FORMAT json); no validation)
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
callgrind=0
inputs=""
venv=""
binary_arg=""

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
    --callgrind) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; callgrind="$2"; shift 2 ;;
    --callgrind=*) callgrind="${1#*=}"; shift ;;
    --inputs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; inputs="$2"; shift 2 ;;
    --inputs=*) inputs="${1#*=}"; shift ;;
    --venv) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; venv="$2"; shift 2 ;;
    --venv=*) venv="${1#*=}"; shift ;;
    --binary) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; binary_arg="$2"; build=0; shift 2 ;;
    --binary=*) binary_arg="${1#*=}"; build=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_csv.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
for n in "${sizes[@]}" "$runs" "$seed" "$callgrind"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench_csv.sh: not a non-negative integer: $n" >&2; exit 64; }
done
[[ "$runs" -ge 1 ]] || { echo "bench_csv.sh: --runs must be at least 1" >&2; exit 64; }
case "$out" in /*|.|..|../*|'') echo "bench_csv.sh: --out must be a directory below the repo root" >&2; exit 64 ;; esac

bench_tag=bench-csv
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"

# ---- 1. tools -------------------------------------------------------------------------------------------------
require_tools
ensure_miller
[[ -n "$venv" ]] || venv="$out/venv"
ensure_venv "$venv"
[[ "$callgrind" -eq 0 ]] || ensure_valgrind

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
input_of() { printf '%s\n' "$inputs/rows-$1-seed$seed.csv"; }
make_input() {  # make_input N: generate (or reuse) the N-row CSV input
  local in
  in="$(input_of "$1")"
  cached_input "$1" "$in" "$gen_sha" python3 scripts/gen_csv.py --rows "$1" --seed "$seed" -o "$in" --stats "$in.stats.json"
}
for n in "${sizes[@]}"; do make_input "$n"; done

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
    polars|duckdb)
      counts=""
      [[ "$variant" == duckdb ]] && counts="$dir/$variant-$i.counts.json"
      time_peer "$tf" "$err" "$venv/bin/python" "scripts/peer_$variant.py" csv-jsonl "$in" "$outf" \
        ${counts:+--counts "$counts"}
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

# ---- 5. instruction counts (callgrind), first: they do not depend on the load ------------------------------------
rm -rf "$out/callgrind"
if [[ "$callgrind" -gt 0 ]]; then
  make_input "$callgrind"
  cg_setup "$out/callgrind"
  cin="$(input_of "$callgrind")"
  mkdir -p "$cg/q1" "$cg/q2"
  log "callgrind on $callgrind rows: casebridge validate and --no-validate"
  cg_run cb-validate "$cg_bin" convert "$cin" --to jsonl -o "$cg/out1.jsonl" --quarantine "$cg/q1" \
    --report "$cg/cb-validate.report.json" --now 2026-01-01T00:00:00Z --run-id csv-cg
  cg_run cb-novalidate "$cg_bin" convert "$cin" --to jsonl -o "$cg/out2.jsonl" --quarantine "$cg/q2" \
    --report "$cg/cb-novalidate.report.json" --now 2026-01-01T00:00:00Z --run-id csv-cg --no-validate
  rm -rf "$cg/q1" "$cg/q2" "$cg/out1.jsonl" "$cg/out2.jsonl" "$cg/bin"
fi

# ---- 6. timed runs ----------------------------------------------------------------------------------------------
run_paired rows input_of cb-validate cb-novalidate polars duckdb miller python

# ---- 7. summary -------------------------------------------------------------------------------------------------
python3 scripts/bench_csv_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_csv.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" \
  --inputs "$inputs" --peer-python "$venv/bin/python" --callgrind "$callgrind" "${sizes[@]}"
