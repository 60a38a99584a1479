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

log() { printf '[bench-csv %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- 1. tools -------------------------------------------------------------------------------------------------
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {  # apt_install PACKAGE: install a Debian package, running apt-get update first only if needed
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$1"; then
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$1"
  fi
}
if [[ ! -x /usr/bin/time ]]; then
  log "/usr/bin/time is missing: installing the Debian package 'time'"
  apt_install time || true
fi
[[ -x /usr/bin/time ]] || { echo "bench_csv.sh: /usr/bin/time (GNU time) is required" >&2; exit 69; }
if ! command -v mlr >/dev/null; then
  log "mlr is missing: installing the Debian package 'miller'"
  apt_install miller || true
fi
command -v mlr >/dev/null || { echo "bench_csv.sh: mlr (Miller, Debian package 'miller') is required" >&2; exit 69; }
command -v python3 >/dev/null || { echo "bench_csv.sh: python3 is required" >&2; exit 69; }
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "bench_csv.sh: python3 >= 3.11 is required (datetime.fromisoformat with Z)" >&2; exit 69; }

# ---- 2. release CLI -------------------------------------------------------------------------------------------
# Another helper's scripts/bench.sh builds and runs .build-release; do not rebuild under it while it is in use.
release_in_use() {
  local p cmd
  for p in /proc/[0-9]*; do
    [[ "${p#/proc/}" == "$$" || "${p#/proc/}" == "$BASHPID" ]] && continue
    cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *".build-release"* || "$cmd" == *"scripts/bench.sh"* ]] && return 0
  done
  return 1
}
if [[ -z "$scratch" ]]; then
  scratch=".build-release"
  if [[ $build -eq 1 ]] && release_in_use; then
    scratch=".build-csvbench"
    log "another process is using .build-release (or scripts/bench.sh is running): building in $scratch instead"
  fi
fi
case "$scratch" in .build*) ;; *) echo "bench_csv.sh: --scratch-path must be a git-ignored .build* directory" >&2; exit 64 ;; esac
bin="$root/$scratch/release/casebridge"
if [[ $build -eq 1 ]]; then
  log "building the release CLI (swift build -c release --product casebridge --scratch-path $scratch)"
  # Others may be editing Sources/ meanwhile; SwiftPM then stops with "was modified during the build".
  # Retry a few times (the finished part of the build is kept), and stop on any other failure.
  for attempt in 1 2 3 4 5; do
    source_commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
    source_status="$(git status --porcelain -- Package.swift Sources Schemas 2>/dev/null || true)"
    source_dirty="$(printf '%s' "$source_status" | grep -c . || true)"
    blog="$(mktemp)"
    if swift build -c release --product casebridge --scratch-path "$scratch" 2>&1 | tee "$blog" >&2; then
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
    echo "bench_csv.sh: the release build failed" >&2
    exit 70
  done
fi
[[ -x "$bin" ]] || { echo "bench_csv.sh: $bin is missing (build it, or drop --no-build)" >&2; exit 69; }
if [[ $build -eq 0 ]]; then source_commit=unknown; source_dirty=-1; source_status=""; fi  # --no-build: unknown
# Copy the binary (and its resource bundles, which Bundle.module finds beside the executable) so that a rebuild of
# $scratch by someone else during the runs cannot swap it under us.
rm -rf "$out/bin"
mkdir -p "$out/bin"
cp -f "$bin" "$out/bin/casebridge"
for r in "$(dirname "$bin")"/*.resources; do [[ -e "$r" ]] && cp -R "$r" "$out/bin/"; done
bin_built="$bin"
bin="$root/$out/bin/casebridge"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- 3. inputs ------------------------------------------------------------------------------------------------
mkdir -p "$out/inputs"
rm -rf "$out/runs" "$out/work"
mkdir -p "$out/runs" "$out/work"
printf '%s\n' "$source_status" >"$out/runs/source-status.txt"  # `git status --porcelain` when the build started
cut -d' ' -f1-3 /proc/loadavg >"$out/runs/loadavg-start.txt"     # the machine is shared: load when the runs began
tsv="$out/runs/runs.tsv"
printf 'rows\titer\tvariant\trc\telapsed_s\tmaxrss_kb\tuser_s\tsys_s\tout_lines\tout_bytes\tcounts\n' >"$tsv"

gen_sha="$(sha256sum scripts/gen_csv.py | cut -d' ' -f1)"
for n in "${sizes[@]}"; do
  in="$out/inputs/rows-$n-seed$seed.csv"
  stamp="$in.stamp"
  if [[ -f "$in" && -f "$stamp" && -f "$in.stats.json" && "$(cat "$stamp")" == "$gen_sha" ]] \
     && [[ "$(sha256sum "$in" | cut -d' ' -f1)" == "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$in.stats.json")" ]]; then
    log "reusing $in (generated by this gen_csv.py)"
  else
    log "generating $n rows -> $in"
    rm -f "$stamp"
    python3 scripts/gen_csv.py --rows "$n" --seed "$seed" -o "$in" --stats "$in.stats.json" >/dev/null 2>&1
    echo "$gen_sha" >"$stamp"
  fi
  printf 'input %-10s sha256 %s  %s bytes  %s\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$in"
done

# ---- 4. runs --------------------------------------------------------------------------------------------------
# timed VARIANT ITER N IN DIR: runs one variant under /usr/bin/time -v and appends a row to runs.tsv.
timed() {
  local variant="$1" i="$2" n="$3" in="$4" dir="$5"
  local w="$out/work" tf="$dir/$variant-$i.time" err="$dir/$variant-$i.stderr" counts="" rc=0 outf
  rm -rf "$w/q" "$w/out.jsonl" "$w/quarantine.csv"
  mkdir -p "$w/q"
  outf="$w/out.jsonl"
  case "$variant" in
    cb-validate|cb-novalidate)
      counts="$dir/$variant-$i.report.json"
      local extra=()
      [[ "$variant" == cb-novalidate ]] && extra=(--no-validate)
      /usr/bin/time -v -o "$tf" "$bin" convert "$in" --to jsonl -o "$outf" \
        --quarantine "$w/q" --report "$counts" --now 2026-01-01T00:00:00Z --run-id "csv-$i" \
        ${extra[@]+"${extra[@]}"} 2>"$err" || rc=$?
      if [[ $rc -ne 0 && $rc -ne 1 ]]; then
        echo "bench_csv.sh: casebridge failed (exit $rc): $variant iteration $i on $in; stderr:" >&2
        cat "$err" >&2
        exit 70
      fi
      ;;
    miller)
      /usr/bin/time -v -o "$tf" mlr --icsv --ojsonl cat "$in" >"$outf" 2>"$err" || rc=$?
      if [[ $rc -ne 0 ]]; then
        echo "bench_csv.sh: mlr failed (exit $rc) on $in; stderr:" >&2
        cat "$err" "$tf" >&2
        exit 70
      fi
      ;;
    python)
      counts="$dir/$variant-$i.counts.json"
      /usr/bin/time -v -o "$tf" python3 scripts/peer_csv.py "$in" "$outf" "$w/quarantine.csv" \
        --counts "$counts" 2>"$err" || rc=$?
      if [[ $rc -ne 0 ]]; then
        echo "bench_csv.sh: peer_csv.py failed (exit $rc) on $in; stderr:" >&2
        cat "$err" "$tf" >&2
        exit 70
      fi
      ;;
  esac
  local lines bytes
  lines="$(wc -l <"$outf")"
  bytes="$(stat -c %s "$outf")"
  python3 - "$tf" "$n" "$i" "$variant" "$rc" "$lines" "$bytes" "$counts" >>"$tsv" <<'PY'
import sys
tf, n, i, variant, rc, lines, nbytes, counts = sys.argv[1:]
v = {}
for line in open(tf):
    k, _, val = line.strip().rpartition(": ")
    v[k] = val
e = v["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
secs = sum(float(x) * 60 ** k for k, x in enumerate(reversed(e)))
print("\t".join([n, i, variant, rc, f"{secs:.2f}", v["Maximum resident set size (kbytes)"],
                 v["User time (seconds)"], v["System time (seconds)"], lines, nbytes, counts]))
PY
  tail -n 1 "$tsv" | awk -F'\t' '{printf "  %-8s it %s %-14s rc %s  wall %7ss  rss %7.1f MiB  user %6ss  sys %5ss  out %s lines\n", $1, $2, $3, $4, $5, $6/1024, $7, $8, $9}' >&2
}

variants=(cb-validate cb-novalidate miller python)
for n in "${sizes[@]}"; do
  in="$out/inputs/rows-$n-seed$seed.csv"
  dir="$out/runs/$n"
  mkdir -p "$dir"
  cat "$in" >/dev/null  # warm the page cache: every variant reads a cached file
  log "$n rows: $runs paired iteration(s) of ${variants[*]}"
  for ((i = 1; i <= runs; i++)); do
    if ((i % 2 == 1)); then order=(0 1 2 3); else order=(3 2 1 0); fi
    for k in "${order[@]}"; do timed "${variants[$k]}" "$i" "$n" "$in" "$dir"; done
  done
done
rm -rf "$out/work"

# ---- 5./6. summary --------------------------------------------------------------------------------------------
python3 scripts/bench_csv_summary.py --out "$out" --seed "$seed" --runs "$runs" \
  --command "scripts/bench_csv.sh${orig_args:+ $orig_args}" --binary "$bin" --built-binary "$bin_built" \
  --built "$build" --source-commit "$source_commit" --source-dirty "$source_dirty" --started "$started" "${sizes[@]}"
