#!/usr/bin/env bash
# CaseBridge JSON Lines benchmark: JSONL -> validate -> JSONL with the release CLI, beside a Python json peer.
# (scripts/bench.sh runs it with the other conversions and writes one summary; this is the JSON Lines part.)
#
#   scripts/bench_jsonl.sh [--records N]... [--runs K] [--out DIR] [--seed S] [--no-build] [--callgrind N]
#                          [--inputs DIR] [--binary PATH]
#
#   --records N   input size in records (lines); repeat or comma-separate for several (default: 100000,1000000)
#   --runs K      paired iterations per size (default: 5)
#   --out DIR     working and result directory, relative to the repo root (default: bench-out/jsonl, git-ignored)
#   --seed S      generator seed (default: 1)
#   --no-build    use the existing .build-release/release/casebridge instead of building it
#   --callgrind N also count instructions (valgrind --tool=callgrind) of casebridge, validation on and off, on an
#                 N-record input, as Ir/record (default: 0, skip)
#   --inputs DIR  input cache directory (default: DIR/inputs of --out; scripts/bench.sh shares one)
#   --binary PATH time this release binary (implies --no-build; scripts/bench.sh builds once and passes it)
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
out="bench-out/jsonl"
seed=1
build=1
callgrind=0
inputs=""
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
    --no-build) build=0; shift ;;
    --callgrind) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; callgrind="$2"; shift 2 ;;
    --callgrind=*) callgrind="${1#*=}"; shift ;;
    --inputs) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; inputs="$2"; shift 2 ;;
    --inputs=*) inputs="${1#*=}"; shift ;;
    --binary) [[ $# -ge 2 ]] || { usage >&2; exit 64; }; binary_arg="$2"; build=0; shift 2 ;;
    --binary=*) binary_arg="${1#*=}"; build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_jsonl.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
for n in "${sizes[@]}" "$runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench_jsonl.sh: --records and --runs take positive integers, not '$n'" >&2; exit 64; }
done
for n in "$seed" "$callgrind"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench_jsonl.sh: --seed and --callgrind take non-negative integers, not '$n'" >&2; exit 64; }
done
case "$out" in /*|.|..|../*|'') echo "bench_jsonl.sh: --out must be a directory below the repo root" >&2; exit 64 ;; esac

bench_tag=bench-jsonl
# shellcheck source=scripts/bench_lib.sh
source "$here/bench_lib.sh"

# ---- 1./2. tools and the release CLI ------------------------------------------------------------------------------
require_tools
[[ "$callgrind" -eq 0 ]] || ensure_valgrind
build_release .build-release "$build"
copy_binary
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs ------------------------------------------------------------------------------------------------
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
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v and appends a row to runs.tsv.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts outf="$out/work/out.jsonl"
  rm -rf "$w/q" "$w/out.jsonl" "$w/quarantine.jsonl"
  mkdir -p "$w/q"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      time_casebridge "$tf" "$err" convert "$in" --from jsonl --to jsonl -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "bench-$i" ${extra[@]+"${extra[@]}"}
      ;;
    python)
      counts="$dir/$variant-$i.counts.json"
      time_peer "$tf" "$err" python3 scripts/peer_json.py "$in" "$outf" "$w/quarantine.jsonl" --counts "$counts"
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
  log "callgrind on $callgrind records: casebridge validate and --no-validate"
  cg_run cb-validate "$cg_bin" convert "$cin" --from jsonl --to jsonl -o "$cg/out1.jsonl" --quarantine "$cg/q1" \
    --report "$cg/cb-validate.report.json" --now 2026-01-01T00:00:00Z --run-id bench-cg
  cg_run cb-novalidate "$cg_bin" convert "$cin" --from jsonl --to jsonl -o "$cg/out2.jsonl" --quarantine "$cg/q2" \
    --report "$cg/cb-novalidate.report.json" --now 2026-01-01T00:00:00Z --run-id bench-cg --no-validate
  rm -rf "$cg/q1" "$cg/q2" "$cg/out1.jsonl" "$cg/out2.jsonl" "$cg/bin"
fi

# ---- 6. timed runs ----------------------------------------------------------------------------------------------
run_paired records input_of cb-validate cb-novalidate python

# ---- 7. summary -------------------------------------------------------------------------------------------------
python3 scripts/bench_jsonl_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_jsonl.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" \
  --inputs "$inputs" --callgrind "$callgrind" "${sizes[@]}"
