#!/usr/bin/env bash
# CaseBridge XML benchmark: CaseBridge XML -> validate -> JSON Lines with the release CLI, beside a bare C libxml2
# reader walk with the same streaming XSD validation (compiled here) and a Python lxml iterparse peer.
#
#   scripts/bench_xml.sh [--records N]... [--runs K] [--out DIR] [--seed S] [--scratch-path DIR] [--no-build]
#                        [--variants LIST] [--callgrind N] [--generator-binary PATH] [--inputs DIR] [--venv DIR]
#                        [--binary PATH]
#
#   --records N         input size in records (entity elements); repeat or comma-separate (default: 100000,1000000)
#   --runs K            paired iterations per size (default: 5)
#   --out DIR           working and result directory, relative to the repo root (default: bench-out/xml, git-ignored)
#   --seed S            generator seed (default: 1)
#   --scratch-path DIR  SwiftPM scratch path of the release build (default: .build-release, or .build-xmlbench when
#                       another process is using .build-release at that moment; both are git-ignored)
#   --no-build          use the existing DIR/release/casebridge instead of building it
#   --variants LIST     comma-separated subset of: cb-validate,cb-novalidate,c-stream,c-expand,c-parse,lxml
#                       (default: all; the summary leaves out the ratios whose variants did not run)
#   --callgrind N       also count instructions (valgrind --tool=callgrind) of casebridge and of the C streaming walk
#                       on an N-record input, as Ir/record (default: 10000; 0: skip)
#   --generator-binary  the casebridge that writes the XML input (--to xml; default: the benchmarked binary)
#   --inputs DIR        input cache directory (default: DIR/inputs of --out; scripts/bench.sh shares one)
#   --venv DIR          the virtual environment with the PyPI peers polars, duckdb and lxml (default: DIR/venv of
#                       --out; made with python3 -m venv and pip when missing; no PyPI: exit 69)
#   --binary PATH       time this release binary (implies --no-build; scripts/bench.sh builds once and passes it)
#
# For each size it makes a deterministic CaseBridge XML input with scripts/gen_xml.py: the SAME records as
# `scripts/gen_jsonl.py --records N --seed S` (the JSON Lines benchmark's input), written by `casebridge convert
# --to xml` with the deliberately bad records injected back as text (see gen_xml.py; SHA-256 printed). Then it
# runs K iterations, each of which times (with /usr/bin/time -v) these variants on the same file, in an order that
# alternates from one iteration to the next (ABC..., ...CBA) so that drift on a shared machine hits all of them:
#
#   cb-validate    casebridge convert IN.xml --from xml --to jsonl -o OUT --quarantine Q --report R
#                    --now 2026-01-01T00:00:00Z --run-id xml-<i>     (exit 1 = records quarantined: OK)
#   cb-novalidate  the same with --no-validate                          (the cost of the semantic rules)
#   c-stream       bench_xml_walk stream XSD IN.xml   (bare C libxml2 xmlTextReader walk with libxml2's streaming
#                    XSD validation of the whole document: the performance issue's baseline)
#   c-expand       bench_xml_walk expand XSD IN.xml   (the same walk; per record xmlTextReaderExpand +
#                    xmlSchemaValidateOneElement, as CaseBridge validates for exact per-record attribution)
#   c-parse        bench_xml_walk none XSD IN.xml     (the same walk without validation: parsing alone)
#   lxml           scripts/peer_xml.py XSD IN.xml OUT Q   (lxml iterparse, per-record XSD validation, ip and
#                    digest-length checks, JSON Lines with json.dumps; lxml installed into the --venv)
#
# The C walk is compiled by this script: gcc -O2 scripts/bench_xml_walk.c $(pkg-config --cflags --libs libxml-2.0)
# (Debian gcc, pkg-config and libxml2-dev are installed when missing). It prints, per size, median wall time,
# MB/s, records/s, peak RSS (max over runs, MiB), the paired ratios (median of per-iteration ratios), and checks
# the counts of every run against the generator's: records read, accepted, quarantined (and by rule) for
# casebridge and the lxml peer, records and schema-invalid records for the C walks. Results: DIR/results.json and
# DIR/results.md; per-run rows in DIR/runs/runs.tsv; callgrind figures in DIR/callgrind/.
# No timing is asserted anywhere; the exit status is non-zero only when a run fails or a count check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

orig_args="$*"
sizes=()
runs=5
out="bench-out/xml"
seed=1
build=1
scratch=""
variants_arg="cb-validate,cb-novalidate,c-stream,c-expand,c-parse,lxml"
callgrind=10000
gen_bin=""
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
    --scratch-path) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; scratch="$2"; shift 2 ;;
    --scratch-path=*) scratch="${1#*=}"; shift ;;
    --variants) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; variants_arg="$2"; shift 2 ;;
    --variants=*) variants_arg="${1#*=}"; shift ;;
    --callgrind) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; callgrind="$2"; shift 2 ;;
    --callgrind=*) callgrind="${1#*=}"; shift ;;
    --generator-binary) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; gen_bin="$2"; shift 2 ;;
    --generator-binary=*) gen_bin="${1#*=}"; shift ;;
    --inputs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; inputs="$2"; shift 2 ;;
    --inputs=*) inputs="${1#*=}"; shift ;;
    --venv) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; venv="$2"; shift 2 ;;
    --venv=*) venv="${1#*=}"; shift ;;
    --binary) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; binary_arg="$2"; build=0; shift 2 ;;
    --binary=*) binary_arg="${1#*=}"; build=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_xml.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
bench_tag=bench-xml
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"
check_integers "${sizes[@]}" "$runs" "$seed" "$callgrind"
[[ "$runs" -ge 1 ]] || die 64 "--runs must be at least 1"
case "$out" in /*|.|..|../*|'') die 64 "--out must be a directory below the repo root" ;; esac
IFS=',' read -r -a variants <<<"$variants_arg"
for v in "${variants[@]}"; do
  case "$v" in cb-validate|cb-novalidate|c-stream|c-expand|c-parse|lxml) ;; *) die 64 "unknown variant: $v" ;; esac
done

# ---- 1. tools -------------------------------------------------------------------------------------------------
require_tools
if ! command -v gcc >/dev/null || ! command -v pkg-config >/dev/null || ! pkg-config --exists libxml-2.0; then
  log "installing gcc, pkg-config and libxml2-dev (the C walk is compiled against the system libxml2)"
  apt_install gcc pkg-config libxml2-dev || true
fi
pkg-config --exists libxml-2.0 || die 69 "libxml2's development files (Debian libxml2-dev) are required"
[[ -n "$venv" ]] || venv="$out/venv"
ensure_venv "$venv"
[[ "$callgrind" -eq 0 ]] || ensure_valgrind

# ---- 2. release CLI and the C walk ------------------------------------------------------------------------------
# Another helper's harness may be building or running .build-release; do not rebuild under it while it is in use.
if [[ -z "$scratch" ]]; then
  scratch=".build-release"
  if [[ $build -eq 1 ]] && release_in_use; then
    scratch=".build-xmlbench"
    log "another process is using .build-release (or scripts/bench.sh is running): building in $scratch instead"
  fi
fi
case "$scratch" in .build*) ;; *) die 64 "--scratch-path must be a git-ignored .build* directory" ;; esac
build_release "$scratch" "$build"
copy_binary
[[ -n "$gen_bin" ]] || gen_bin="$bin"
walk="$out/bin/bench_xml_walk"
# shellcheck disable=SC2046  # pkg-config's flags are separate words
gcc -O2 -Wall -Wextra -o "$walk" scripts/bench_xml_walk.c $(pkg-config --cflags --libs libxml-2.0) \
  || die 70 "cannot compile scripts/bench_xml_walk.c"
xsd="Schemas/xml/casebridge-case-1.0.xsd"
[[ -f "$xsd" ]] || die 69 "$xsd is missing (CaseBridge XML has not landed in this tree)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs ------------------------------------------------------------------------------------------------
prepare_runs
# The input depends on both generators and on the writer of the binary that converts the twin (gen_xml.py).
gen_sha="$(cat scripts/gen_jsonl.py scripts/gen_xml.py "$gen_bin" | sha256sum | cut -d' ' -f1)"
input_of() { printf '%s\n' "$inputs/records-$1-seed$seed.xml"; }
make_input() {  # make_input N: generate (or reuse) the N-record XML input
  local n="$1" in
  in="$(input_of "$n")"
  if input_is_current "$in" "$gen_sha"; then
    log "reusing $in (generated by these generators and writer)"
  else
    log "generating $n records -> $in (gen_jsonl records, written by casebridge --to xml)"
    rm -f "$in.stamp"
    python3 scripts/gen_xml.py --records "$n" --seed "$seed" --casebridge "$gen_bin" --work "$out/gen" \
      -o "$in" --stats "$in.stats.json" >/dev/null
    rm -f "$out/gen/twin-$n-seed$seed.jsonl" "$out/gen/twin-$n-seed$seed.xml"  # large; the stats keep their hashes
    echo "$gen_sha" >"$in.stamp"
  fi
  printf 'input %-10s sha256 %s  %s bytes  %s\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$in"
}
for n in "${sizes[@]}"; do make_input "$n"; done

# ---- 4. runs --------------------------------------------------------------------------------------------------
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v and appends a row to runs.tsv.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts outf=""
  rm -rf "$w/q" "$w/out.jsonl" "$w/quarantine.xml"
  mkdir -p "$w/q"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      outf="$w/out.jsonl"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      time_casebridge "$tf" "$err" convert "$in" --from xml --to jsonl -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "xml-$i" ${extra[@]+"${extra[@]}"}
      ;;
    c-stream|c-expand|c-parse)
      local mode="${variant#c-}"
      [[ "$mode" == parse ]] && mode=none
      counts="$dir/$variant-$i.counts.json"
      time_peer "$tf" "$err" "$walk" "$mode" "$xsd" "$in" "$counts"
      ;;
    lxml)
      counts="$dir/$variant-$i.counts.json"
      outf="$w/out.jsonl"
      time_peer "$tf" "$err" "$venv/bin/python" scripts/peer_xml.py "$xsd" "$in" "$outf" "$w/quarantine.xml" \
        --counts "$counts"
      ;;
  esac
  record_run "$tf" "$n" "$i" "$variant" "$rc" "$outf" "$counts"
}


# ---- 5. instruction counts (callgrind), first: they do not depend on the load ------------------------------------
# valgrind runs a copy of the binary stripped of debug information (cg_setup in bench_lib.sh).
rm -rf "$out/callgrind"
if [[ "$callgrind" -gt 0 ]]; then
  make_input "$callgrind"
  cg_setup "$out/callgrind"
  cin="$(input_of "$callgrind")"
  mkdir -p "$cg/q1" "$cg/q2"
  log "callgrind on $callgrind records: casebridge validate, --no-validate, and the C streaming walk"
  cg_run cb-validate "$cg_bin" convert "$cin" --from xml --to jsonl -o "$cg/out1.jsonl" --quarantine "$cg/q1" \
    --report "$cg/cb-validate.report.json" --now 2026-01-01T00:00:00Z --run-id xml-cg
  cg_run cb-novalidate "$cg_bin" convert "$cin" --from xml --to jsonl -o "$cg/out2.jsonl" --quarantine "$cg/q2" \
    --report "$cg/cb-novalidate.report.json" --now 2026-01-01T00:00:00Z --run-id xml-cg --no-validate
  cg_run c-stream "$walk" stream "$xsd" "$cin" "$cg/c-stream.counts.json"
  cg_run c-expand "$walk" expand "$xsd" "$cin" "$cg/c-expand.counts.json"
  rm -rf "$cg/q1" "$cg/q2" "$cg/out1.jsonl" "$cg/out2.jsonl" "$cg/bin"
fi

# ---- 6. timed runs ----------------------------------------------------------------------------------------------
run_paired records input_of "${variants[@]}"

# ---- 7. summary -------------------------------------------------------------------------------------------------
python3 scripts/bench_xml_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_xml.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" \
  --variants "$variants_arg" --callgrind "$callgrind" --inputs "$inputs" --peer-python "$venv/bin/python" "${sizes[@]}"
