#!/usr/bin/env bash
# CaseBridge JSON Lines -> CSV benchmark: JSONL -> validate -> CaseBridge CSV with the release CLI, beside polars
# (streaming), DuckDB and Miller. (scripts/bench.sh runs it with the other conversions and writes one summary.)
#
#   scripts/bench_jsonl_csv.sh [--records N]... [--runs K] [--out DIR] [--seed S] [--no-build] [--callgrind N]
#                              [--inputs DIR] [--venv DIR] [--binary PATH]
#
#   --records N    input size in records (lines); repeat or comma-separate for several (default: 100000,1000000)
#   --runs K       paired iterations per size (default: 3)
#   --out DIR      working and result directory, relative to the repo root (default: bench-out/jsonl-csv, git-ignored)
#   --seed S       generator seed (default: 1)
#   --no-build     use the existing .build-release/release/casebridge instead of building it
#   --callgrind N  also count instructions (valgrind --tool=callgrind) of casebridge, validation on and off, on an
#                  N-record input, as Ir/record (default: 0, skip)
#   --inputs DIR   input cache directory (default: DIR/inputs of --out; scripts/bench.sh shares one)
#   --venv DIR     the virtual environment with the PyPI peers polars, duckdb and lxml (default: DIR/venv of --out;
#                  made with python3 -m venv and pip when missing; no PyPI: exit 69)
#   --binary PATH  time this release binary (implies --no-build; scripts/bench.sh builds once and passes it)
#
# The input is the JSON Lines benchmark's (scripts/gen_jsonl.py --records N --seed S: five entity types with
# different members, nested arrays and objects, about 0.1 % semantically bad lines; SHA-256 printed). K iterations,
# each of which times (with /usr/bin/time -v) these variants on the same file, in an order that alternates from one
# iteration to the next (ABCDE, EDCBA, ...):
#
#   cb-validate    casebridge convert IN --from jsonl --to csv -o OUTDIR --quarantine Q --report R
#                    --now 2026-01-01T00:00:00Z --run-id jsonl-csv-<i>   (one <type>.csv per entity type, README
#                    "Writing CSV"; exit 1 = records quarantined: OK)
#   cb-novalidate  the same with --no-validate                             (the cost of the semantic rules)
#   polars         scripts/peer_polars.py jsonl-csv IN OUT.csv  (pl.scan_ndjson(IN, infer_schema_length=None) ->
#                    sink_csv, streaming engine; one CSV, union of all members, lists and structs as JSON text)
#   duckdb         scripts/peer_duckdb.py jsonl-csv IN OUT.csv  (COPY (SELECT * FROM read_json(IN,
#                    format='newline_delimited')) TO OUT (HEADER); one CSV, nested values in DuckDB's text form)
#   miller         scripts/peer_miller.sh IN OUT.csv  (one CSV, streaming in two passes: the union of the flattened
#                    field names, then mlr --ijsonl --ocsv flatten then unsparsify -f NAMES then sort-within-records;
#                    nested values flattened to name.1.member columns)
#
# The peers convert only (no validation, no quarantine). After each run, outside the timing, the CSV records of the
# output are counted with Python's csv module (scripts/bench_csv_records.py). It prints, per size, median wall time,
# MB/s of input, records/s, peak RSS (max over runs, MiB), the paired ratios, and checks: read == accepted +
# quarantined == N in every CaseBridge report, quarantined == the generator's bad lines, CSV records written ==
# accepted entities and per type as reported; every peer writes N records, all rows as wide as the header.
# Results: DIR/results.json and DIR/results.md; per-run rows in DIR/runs/runs.tsv.
# No timing is asserted anywhere; the exit status is non-zero only when a run fails or a count check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

orig_args="$*"
sizes=()
runs=3
out="bench-out/jsonl-csv"
seed=1
build=1
callgrind=0
inputs=""
venv=""
binary_arg=""

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
    *) echo "bench_jsonl_csv.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
bench_tag=bench-jsonl-csv
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"
check_integers "${sizes[@]}" "$runs" "$seed" "$callgrind"
[[ "$runs" -ge 1 ]] || die 64 "--runs must be at least 1"
case "$out" in /*|.|..|../*|'') die 64 "--out must be a directory below the repo root" ;; esac

# ---- 1. tools -------------------------------------------------------------------------------------------------
require_tools
ensure_miller
[[ -n "$venv" ]] || venv="$out/venv"
ensure_venv "$venv"
[[ "$callgrind" -eq 0 ]] || ensure_valgrind

# ---- 2. release CLI -------------------------------------------------------------------------------------------
build_release .build-release "$build"
copy_binary
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs (the JSON Lines benchmark's) ---------------------------------------------------------------------
prepare_runs
gen_sha="$(sha256sum scripts/gen_jsonl.py | cut -d' ' -f1)"
input_of() { printf '%s\n' "$inputs/records-$1-seed$seed.jsonl"; }
make_input() {  # make_input N: generate (or reuse) the N-record JSON Lines input
  local in
  in="$(input_of "$1")"
  cached_input "$1" "$in" "$gen_sha" python3 scripts/gen_jsonl.py --records "$1" --seed "$seed" -o "$in" --stats "$in.stats.json"
}
for n in "${sizes[@]}"; do make_input "$n"; done

# ---- 4. runs --------------------------------------------------------------------------------------------------
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v, appends a row to runs.tsv, then (untimed)
# counts the CSV records written into DIR/VARIANT-ITER.csvrecords.json.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts="" outf
  rm -rf "$w/q" "$w/csv" "$w/out.csv"
  mkdir -p "$w/q"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      outf="$w/csv"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      time_casebridge "$tf" "$err" convert "$in" --from jsonl --to csv -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "jsonl-csv-$i" ${extra[@]+"${extra[@]}"}
      ;;
    polars|duckdb)
      outf="$w/out.csv"
      [[ "$variant" == duckdb ]] && counts="$dir/$variant-$i.counts.json"
      time_peer "$tf" "$err" "$venv/bin/python" "scripts/peer_$variant.py" jsonl-csv "$in" "$outf" \
        ${counts:+--counts "$counts"}
      ;;
    miller)
      outf="$w/out.csv"
      time_peer "$tf" "$err" scripts/peer_miller.sh "$in" "$outf"
      ;;
  esac
  record_run "$tf" "$n" "$i" "$variant" "$rc" "$outf" "$counts"
  python3 scripts/bench_csv_records.py "$dir/$variant-$i.csvrecords.json" "$outf"
}

# ---- 5. instruction counts (callgrind), first: they do not depend on the load ------------------------------------
rm -rf "$out/callgrind"
if [[ "$callgrind" -gt 0 ]]; then
  make_input "$callgrind"
  cg_setup "$out/callgrind"
  cin="$(input_of "$callgrind")"
  mkdir -p "$cg/q1" "$cg/q2"
  log "callgrind on $callgrind records: casebridge validate and --no-validate"
  cg_run cb-validate "$cg_bin" convert "$cin" --from jsonl --to csv -o "$cg/csv1" --quarantine "$cg/q1" \
    --report "$cg/cb-validate.report.json" --now 2026-01-01T00:00:00Z --run-id jsonl-csv-cg
  cg_run cb-novalidate "$cg_bin" convert "$cin" --from jsonl --to csv -o "$cg/csv2" --quarantine "$cg/q2" \
    --report "$cg/cb-novalidate.report.json" --now 2026-01-01T00:00:00Z --run-id jsonl-csv-cg --no-validate
  rm -rf "$cg/q1" "$cg/q2" "$cg/csv1" "$cg/csv2" "$cg/bin"
fi

# ---- 6. timed runs ----------------------------------------------------------------------------------------------
run_paired records input_of cb-validate cb-novalidate polars duckdb miller

# ---- 7. summary -------------------------------------------------------------------------------------------------
python3 scripts/bench_jsonl_csv_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_jsonl_csv.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" \
  --inputs "$inputs" --peer-python "$venv/bin/python" --callgrind "$callgrind" "${sizes[@]}"
