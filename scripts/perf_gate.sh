#!/usr/bin/env bash
# Performance regression gates (issue 6, "Keep it fast"); run by .ci/run after the tests.
#
#   scripts/perf_gate.sh [--update] [--only allocations|instructions] [--no-build]
#
# Two gates over the same deterministic inputs (scripts/gen_csv.py, gen_jsonl.py and gen_xml.py, seed 1, 1k and
# 10k records, under bench-out/perfgate/inputs), for four conversions with validation on: CSV -> JSONL (default CSV
# profile), JSONL -> JSONL, CaseBridge XML -> JSONL, JSONL -> CSV.
#
#   allocations   package-benchmark (ordo-one/benchmark, MallocInterposer trait) runs the library Pipeline
#                 in-process (Benchmarks/CaseBridgeBenchmarks) and `swift package benchmark thresholds check`
#                 compares mallocCountTotal of every conversion and size with Benchmarks/Thresholds/*.p90.json
#                 (tolerance in the benchmark code: +2 %).
#   instructions  the release CLI (a copy stripped of debug info: valgrind cannot read Swift's DWARF) runs each
#                 conversion of the 1k and 10k inputs under `valgrind --tool=callgrind`; Ir/record = Ir(10k)/10k is
#                 compared with Benchmarks/Thresholds/instructions.json (tolerance in that file, +3 %); the
#                 steady-state (Ir(10k) - Ir(1k)) / 9k is printed beside it.
#
# A regression beyond a tolerance exits 2 with the figures. An improvement beyond it passes with a note to
# re-record. --update re-records both threshold sets from this tree (commit the changed files under
# Benchmarks/Thresholds/). --only runs one gate. --no-build uses the release CLI already built in .build.
# Instruction counts depend on the exact binary: instructions.json records the toolchain that recorded it.
# Exit codes: 0 pass, 2 regression, 64 usage, 69 missing tool, 70 a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_tag="perf-gate"
out="bench-out/perfgate"
inputs="$PWD/$out/inputs"
# shellcheck source=scripts/bench_lib.sh
source scripts/bench_lib.sh

update=0; only=""; build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --update) update=1; shift ;;
    --only) [[ $# -ge 2 ]] || die 64 "--only needs allocations or instructions"; only="$2"; shift 2 ;;
    --only=*) only="${1#*=}"; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die 64 "unknown argument: $1 (see --help)" ;;
  esac
done
case "$only" in ""|allocations|instructions) ;; *) die 64 "--only takes allocations or instructions" ;; esac
run_alloc=1; run_ir=1
[[ "$only" == instructions ]] && run_alloc=0
[[ "$only" == allocations ]] && run_ir=0

thresholds="Benchmarks/Thresholds"
sizes=(1000 10000)
seed=1
# Hashing seeds must not vary between runs: dictionaries and sets then grow and probe identically.
export SWIFT_DETERMINISTIC_HASHING=1
mkdir -p "$inputs"
gate_started=$SECONDS

command -v python3 >/dev/null || die 69 "python3 is required"
if [[ $run_ir -eq 1 ]] && ! command -v valgrind >/dev/null; then
  log "valgrind is missing: installing the Debian package 'valgrind'"
  apt_install valgrind >/dev/null || true
  command -v valgrind >/dev/null || die 69 "valgrind is required for the instruction gate"
fi

# ---- release CLI (also writes the XML inputs) ------------------------------------------------------------------
if [[ $build -eq 1 ]]; then
  log "swift build -c release --product casebridge"
  swift build -c release --product casebridge >&2
fi
bin="$(swift build -c release --show-bin-path)/casebridge"
[[ -x "$bin" ]] || die 69 "$bin is missing: build it (swift build -c release --product casebridge)"

# ---- inputs -----------------------------------------------------------------------------------------------------
# Cached by the generators' hash (and, for XML, the writer binary's: gen_xml.py writes through casebridge --to xml).
gen_sha="$(cat scripts/gen_csv.py scripts/gen_jsonl.py | sha256sum | cut -d' ' -f1)"
xml_sha="$(cat scripts/gen_jsonl.py scripts/gen_xml.py "$bin" | sha256sum | cut -d' ' -f1)"
t0=$SECONDS
for n in "${sizes[@]}"; do
  in="$inputs/csv-$n.csv"
  cached_input "$n" "$in" "$gen_sha" python3 scripts/gen_csv.py --rows "$n" --seed "$seed" -o "$in" \
    --stats "$in.stats.json"
  in="$inputs/jsonl-$n.jsonl"
  cached_input "$n" "$in" "$gen_sha" python3 scripts/gen_jsonl.py --records "$n" --seed "$seed" -o "$in" \
    --stats "$in.stats.json"
  in="$inputs/xml-$n.xml"
  cached_input "$n" "$in" "$xml_sha" python3 scripts/gen_xml.py --records "$n" --seed "$seed" --casebridge "$bin" \
    --work "$out/gen" -o "$in" --stats "$in.stats.json"
done
rm -rf "$out/gen"
log "inputs ready in $((SECONDS - t0)) s: $out/inputs"

status=0

# ---- instructions/record (callgrind) ----------------------------------------------------------------------------
if [[ $run_ir -eq 1 ]]; then
  t0=$SECONDS
  cg="$out/callgrind"
  rm -rf "$cg"
  mkdir -p "$cg/bin"
  cp -f "$bin" "$cg/bin/casebridge"
  for r in "$(dirname "$bin")"/*.resources; do [[ -e "$r" ]] && cp -R "$r" "$cg/bin/"; done
  strip --strip-debug "$cg/bin/casebridge"
  # cg_one NAME STEM TO N: one conversion of the N-record input under callgrind; its exit code goes to RUN.rc.
  cg_one() {
    local name="$1" stem="$2" to="$3" n="$4" run outf rc=0
    run="$cg/$name-$n"
    outf="$run.out"; [[ "$to" == csv ]] && outf="$run.outdir"
    valgrind --tool=callgrind --callgrind-out-file="$run.callgrind" \
      "$cg/bin/casebridge" convert "$inputs/$stem-$n.$stem" --from "$stem" --to "$to" -o "$outf" \
      --quarantine "$run.q" --report "$run.report.json" --now 2026-01-01T00:00:00Z --run-id perfgate \
      >"$run.stdout" 2>"$run.stderr" || rc=$?
    rm -rf "$outf" "$run.q"
    echo "$rc" >"$run.rc"
  }
  # Instruction counts do not depend on the load: the runs go two at a time (CI has 2 cores).
  jobs_max=2; running=0
  for c in "csv-to-jsonl csv jsonl" "jsonl-to-jsonl jsonl jsonl" "xml-to-jsonl xml jsonl" "jsonl-to-csv jsonl csv"; do
    read -r name stem to <<<"$c"
    for n in "${sizes[@]}"; do
      if [[ $running -ge $jobs_max ]]; then wait -n || true; running=$((running - 1)); fi
      cg_one "$name" "$stem" "$to" "$n" &
      running=$((running + 1))
    done
  done
  wait
  for f in "$cg"/*.rc; do
    rc="$(cat "$f")"
    # 1: finished with the deliberately bad records quarantined.
    [[ "$rc" == 0 || "$rc" == 1 ]] || { cat "${f%.rc}.stderr" >&2; die 70 "casebridge $(basename "${f%.rc}") exited $rc"; }
  done
  log "callgrind runs took $((SECONDS - t0)) s"
  ir_args=(--runs "$cg" --file "$thresholds/instructions.json" --swift-version "$(swift --version 2>/dev/null | head -1)")
  if [[ $update -eq 1 ]]; then
    python3 scripts/perf_gate.py instructions-update "${ir_args[@]}" || die 70 "cannot record instruction thresholds"
  else
    rc=0
    python3 scripts/perf_gate.py instructions-check "${ir_args[@]}" || rc=$?
    [[ $rc -eq 0 ]] || { [[ $rc -eq 2 ]] || die 70 "instruction check failed to run"; status=2; }
  fi
fi

# ---- allocations/record (package-benchmark) ---------------------------------------------------------------------
if [[ $run_alloc -eq 1 ]]; then
  t0=$SECONDS
  export CASEBRIDGE_PERF_INPUTS="$inputs"
  alloc_log="$PWD/$out/allocations.txt"
  # Benchmarks/ is its own package (library users never fetch package-benchmark) that depends on the root by path.
  # It builds in the root's scratch directory: the CaseBridge modules compiled by `swift build -c release` are
  # reused as they are, so only package-benchmark and the benchmark target are compiled here.
  shared=(--scratch-path ../.build)
  if [[ $update -eq 1 ]]; then
    (cd Benchmarks && swift package "${shared[@]}" --allow-writing-to-package-directory benchmark thresholds update --no-progress) \
      >"$alloc_log" 2>&1 || { cat "$alloc_log" >&2; die 70 "swift package benchmark thresholds update failed"; }
    cat "$alloc_log"
  else
    rc=0
    (cd Benchmarks && swift package "${shared[@]}" benchmark thresholds check --no-progress) >"$alloc_log" 2>&1 || rc=$?
    grep -v -E '^\[[0-9]+/[0-9]+\]|^(Building|Build |Compiling|Write |Linking)' "$alloc_log" || true
    # `swift package` exits 1 for both outcomes; the plugin names which (its own exit codes are 2 and 4).
    if [[ $rc -eq 0 ]]; then
      log "allocations: every benchmark within its tolerance of $thresholds"
    elif grep -q 'benchmarkThresholdRegression' "$alloc_log"; then
      echo "perf-gate: ALLOCATION REGRESSION: mallocCountTotal above $thresholds beyond the tolerance (table" \
        "above). If the increase is intended, re-record: scripts/perf_gate.sh --update --only allocations" >&2
      status=2
    elif grep -q 'benchmarkThresholdImprovement' "$alloc_log"; then
      log "allocations: fewer than recorded beyond the tolerance (an improvement): passes; re-record with" \
        "scripts/perf_gate.sh --update --only allocations and commit $thresholds"
    else
      cat "$alloc_log" >&2
      die 70 "swift package benchmark thresholds check failed (exit $rc)"
    fi
  fi
  # A missing thresholds file makes package-benchmark skip that benchmark silently: every one must exist.
  python3 scripts/perf_gate.py allocations-report --thresholds "$thresholds" || die 70 "allocation thresholds incomplete"
  log "allocation gate took $((SECONDS - t0)) s (build included)"
fi

log "perf gate took $((SECONDS - gate_started)) s in all"
exit $status
