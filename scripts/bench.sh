#!/usr/bin/env bash
# CaseBridge benchmarks, all conversions side by side (the performance issue): one release build, the peers
# installed, each conversion timed against its peers, ONE combined summary with the issue's targets evaluated.
#
#   scripts/bench.sh [--only LIST] [--records N]... [--runs K] [--out DIR] [--seed S] [--no-build] [--binary PATH]
#                    [--callgrind[=N]]
#
#   --only LIST      comma-separated conversions to run (default: all four, in this order):
#                      jsonl      JSON Lines -> validate -> JSON Lines  vs Python json    (scripts/bench_jsonl.sh)
#                      csv        CSV -> validate -> JSON Lines          vs polars, DuckDB, Miller, Python csv
#                                                                                          (scripts/bench_csv.sh)
#                      xml        CaseBridge XML -> validate -> JSONL    vs a C libxml2 walk with streaming XSD,
#                                                                           lxml            (scripts/bench_xml.sh)
#                      jsonl-csv  JSON Lines -> validate -> CSV          vs polars, DuckDB, Miller
#                                                                                          (scripts/bench_jsonl_csv.sh)
#   --csv, --xml     earlier spellings, kept: JSON Lines plus CSV and/or XML (--csv = --only jsonl,csv)
#   --records N      input size in records (CSV: data rows); repeat or comma-separate (default: 100000,1000000)
#   --runs K         paired iterations per size (default: 3)
#   --out DIR        working and result directory, relative to the repo root (default: bench-out, git-ignored)
#   --seed S         generator seed (default: 1)
#   --no-build       use the existing .build-release/release/casebridge instead of building it
#   --binary PATH    time this release binary instead (implies --no-build; its *.resources bundles must be beside it)
#   --callgrind      also count instructions (valgrind --tool=callgrind on a copy of the binary stripped of debug
#                    information) of every CaseBridge conversion, validation on and off, on the 100,000-record
#                    input (--callgrind=N: on N records); XML also counts the C walks. Slow: valgrind runs the
#                    binary tens of times slower, so at 100,000 records each casebridge run takes tens of minutes on
#                    these machines; --callgrind=10000 gives a quick figure (whose Ir/record then carries more of
#                    the fixed start-up cost).
#
# Each conversion runs as its own harness (above; each documents its variants and checks) with the same sizes,
# runs and seed, the binary built here (a copy in DIR/bin, so a rebuild elsewhere cannot swap it), one input cache
# DIR/inputs and ONE virtual environment DIR/venv with the PyPI peers polars, duckdb and lxml (python3 -m venv; pip
# install; when pip cannot reach PyPI the script says so and exits 69: no peer is skipped). Debian miller, valgrind,
# gcc, pkg-config and libxml2-dev are installed with apt-get when missing. Every variant of a conversion is timed
# under /usr/bin/time -v on the same file, K iterations alternating the order (ABC..., ...CBA); figures: median
# wall, MB/s, records/s, peak RSS (max over runs), paired ratios (median of per-iteration ratios).
#
# Results: DIR/<conversion>/results.{json,md} (each harness's full tables and counts) and the combined
# DIR/summary.md and DIR/summary.json (scripts/bench_summary.py): per size and conversion the variants' figures and
# the paired ratios of casebridge (validate and --no-validate) to each peer, and the targets table (met / NOT met
# with the measured figure). No timing is asserted anywhere: the exit status is non-zero only when a run fails or a
# count check fails (read == accepted + quarantined, the expected counts of the generators, the peers' rows).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

orig_args="$*"
sizes=()
runs=3
out="bench-out"
seed=1
build=1
only=""
old_only=""
callgrind=0
binary_arg=""
ALL_CONVERSIONS="jsonl,csv,xml,jsonl-csv"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; only="$2"; shift 2 ;;
    --only=*) only="${1#*=}"; shift ;;
    --csv) old_only="$old_only,csv"; shift ;;
    --xml) old_only="$old_only,xml"; shift ;;
    --records) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; IFS=',' read -r -a more <<<"$2"; sizes+=("${more[@]}"); shift 2 ;;
    --records=*) IFS=',' read -r -a more <<<"${1#*=}"; sizes+=("${more[@]}"); shift ;;
    --runs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --out) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --seed) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    --callgrind) callgrind=100000; shift ;;
    --callgrind=*) callgrind="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    --binary) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; binary_arg="$2"; build=0; shift 2 ;;
    --binary=*) binary_arg="${1#*=}"; build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
bench_tag=bench
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"
check_integers "${sizes[@]}" "$runs" "$seed" "$callgrind"
for n in "${sizes[@]}" "$runs"; do [[ "$n" -ge 1 ]] || die 64 "--records and --runs must be at least 1"; done
case "$out" in /*|.|..|../*|'') die 64 "--out must be a directory below the repo root" ;; esac
[[ -z "$only" || -z "$old_only" ]] || die 64 "give --only, or the older --csv/--xml, not both"
[[ -n "$only" ]] || only="${old_only:+jsonl$old_only}"
[[ -n "$only" ]] || only="$ALL_CONVERSIONS"
conversions=()
for c in ${ALL_CONVERSIONS//,/ }; do  # in the fixed order, each once
  [[ ",$only," == *",$c,"* ]] && conversions+=("$c")
done
for c in ${only//,/ }; do
  [[ ",$ALL_CONVERSIONS," == *",$c,"* ]] || die 64 "unknown conversion '$c' in --only (known: $ALL_CONVERSIONS)"
done
[[ ${#conversions[@]} -gt 0 ]] || die 64 "--only names no conversion"

# ---- 1. tools and peers (once, for every harness) -------------------------------------------------------------
require_tools
ensure_miller
venv="$out/venv"
ensure_venv "$venv"
[[ "$callgrind" -eq 0 ]] || ensure_valgrind

# ---- 2. the release CLI, built once -----------------------------------------------------------------------------
build_release .build-release "$build"
copy_binary
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
mkdir -p "$out/runs"
printf '%s\n' "$source_status" >"$out/runs/source-status.txt"
cut -d' ' -f1-3 /proc/loadavg >"$out/runs/loadavg-start.txt"

# ---- 3. the conversions, one harness each -----------------------------------------------------------------------
common=(--runs "$runs" --seed "$seed" --inputs "$inputs" --binary "$bin" --callgrind "$callgrind")
for n in "${sizes[@]}"; do common+=(--records "$n"); done
statuses=()
for c in "${conversions[@]}"; do
  rm -f "$out/$c/results.json" "$out/$c/results.md"
  case "$c" in
    jsonl) cmd=(scripts/bench_jsonl.sh "${common[@]}" --out "$out/$c") ;;
    csv) cmd=(scripts/bench_csv.sh "${common[@]/--records/--rows}" --venv "$venv" --out "$out/$c") ;;
    xml) cmd=(scripts/bench_xml.sh "${common[@]}" --venv "$venv" --out "$out/$c"
              --variants cb-validate,cb-novalidate,c-stream,lxml) ;;
    jsonl-csv) cmd=(scripts/bench_jsonl_csv.sh "${common[@]}" --venv "$venv" --out "$out/$c") ;;
  esac
  log "== $c: ${cmd[*]}"
  rc=0
  "${cmd[@]}" || rc=$?
  statuses+=("$c=$rc")
  [[ $rc -eq 0 ]] || log "$c: the harness exited $rc (a failed run or count check; see above); going on"
done

# ---- 4. the combined summary ------------------------------------------------------------------------------------
python3 scripts/bench_summary.py --out "$out" --seed "$seed" --runs "$runs" --command "scripts/bench.sh${orig_args:+ $orig_args}" \
  --binary "$bin" --built-binary "$bin_built" --built "$build" --source-commit "$source_commit" \
  --source-dirty "$source_dirty" --started "$started" --inputs "$inputs" --peer-python "$venv/bin/python" \
  --callgrind "$callgrind" --status "${statuses[@]}" -- "${sizes[@]}"
