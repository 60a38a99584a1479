# Shared parts of the benchmark harnesses (scripts/bench.sh, bench_csv.sh, bench_xml.sh). Source it after setting
#   bench_tag   the log prefix and error-message name, e.g. "bench-csv"
#   out         the working and result directory, relative to the repository root (the caller has cd'ed there)
# and optionally
#   inputs      the input cache directory (default: $out/inputs; scripts/bench.sh shares one between harnesses)
#   binary_arg  a release binary to time instead of building one (--binary; see build_release)
# Every harness: release CLI built with SwiftPM (retrying when a source changes during the build), the binary and
# its resource bundles copied into $out/bin so that a rebuild by someone else cannot swap it during the runs,
# deterministic inputs cached under $inputs, K paired iterations per size whose order alternates (ABC, CBA,
# ...), every run under /usr/bin/time -v with one row per run in $out/runs/runs.tsv, a warm page cache.
# shellcheck shell=bash

[[ -n "${inputs:-}" ]] || inputs="$out/inputs"

log() { printf '[%s %s] %s\n' "$bench_tag" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { local code="$1"; shift; echo "$bench_tag: $*" >&2; exit "$code"; }

# ---- tools ------------------------------------------------------------------------------------------------------
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {  # apt_install PACKAGE...: install Debian packages, running apt-get update first only if needed
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; then
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
  fi
}
# require_tools: GNU time (installed when missing) and Python >= 3.11.
require_tools() {
  if [[ ! -x /usr/bin/time ]]; then
    log "/usr/bin/time is missing: installing the Debian package 'time'"
    apt_install time || true
  fi
  [[ -x /usr/bin/time ]] || die 69 "/usr/bin/time (GNU time) is required"
  command -v python3 >/dev/null || die 69 "python3 is required"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die 69 "python3 >= 3.11 is required (datetime.fromisoformat with Z)"
}

# ensure_miller: Miller (Debian package 'miller'), installed when missing.
ensure_miller() {
  if ! command -v mlr >/dev/null; then
    log "mlr is missing: installing the Debian package 'miller'"
    apt_install miller || true
  fi
  command -v mlr >/dev/null || die 69 "mlr (Miller, Debian package 'miller') is required"
}

# ensure_venv VENV: ONE virtual environment with the PyPI peers (polars, duckdb, lxml), made with python3 -m venv and
# pip when one of them cannot be imported. No peer is skipped: when pip cannot install them (PyPI unreachable, no
# wheel for this platform) the harness says so and stops with exit 69.
ensure_venv() {
  local venv="$1"
  "$venv/bin/python" -c 'import polars, duckdb, lxml.etree' 2>/dev/null && return 0
  log "installing polars, duckdb and lxml into $venv (python3 -m venv; pip install)"
  python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; } || die 69 "cannot make a venv at $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check polars duckdb lxml \
    || die 69 "pip could not install polars, duckdb and lxml into $venv (is PyPI reachable? see pip's message above);" \
      "these peers are required: the benchmark does not skip them"
  "$venv/bin/python" -c 'import polars, duckdb, lxml.etree' || die 69 "polars, duckdb or lxml does not import in $venv"
}

# ensure_valgrind: valgrind (Debian package 'valgrind'), installed when missing.
ensure_valgrind() {
  if ! command -v valgrind >/dev/null; then
    log "valgrind is missing: installing the Debian package 'valgrind'"
    apt_install valgrind || true
  fi
  command -v valgrind >/dev/null || die 69 "valgrind is required for --callgrind (or pass --callgrind 0)"
}

# check_counts N...: every argument a non-negative integer.
check_integers() {
  local n
  for n in "$@"; do [[ "$n" =~ ^[0-9]+$ ]] || die 64 "not a non-negative integer: $n"; done
}

# ---- release CLI ------------------------------------------------------------------------------------------------
# release_in_use: another process is using .build-release (or scripts/bench.sh is running).
release_in_use() {
  local p cmd
  for p in /proc/[0-9]*; do
    [[ "${p#/proc/}" == "$$" || "${p#/proc/}" == "$BASHPID" ]] && continue
    cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *".build-release"* || "$cmd" == *"scripts/bench.sh"* ]] && return 0
  done
  return 1
}

# build_release SCRATCH BUILD(0|1): builds `swift build -c release --product casebridge --scratch-path SCRATCH`
# when BUILD is 1. Sets bin (the built binary), source_commit, source_dirty (-1 with --no-build) and
# source_status (`git status --porcelain` of Package.swift, Sources and Schemas when the build started).
build_release() {
  local scratch="$1" build="$2" attempt blog
  bin="$PWD/$scratch/release/casebridge"
  source_commit=unknown; source_dirty=-1; source_status=""
  if [[ "$build" -eq 1 ]]; then
    log "building the release CLI (swift build -c release --product casebridge --scratch-path $scratch)"
    # Others may be editing Sources/ meanwhile; SwiftPM then stops with "was modified during the build".
    # Retry a few times (the finished part of the build is kept), and stop on any other failure.
    for attempt in 1 2 3 4 5; do
      # What the binary is built from: the commit, and how many files under Package.swift, Sources/ and Schemas/
      # differ from it or are untracked when the build starts (0: the binary is exactly that commit's).
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
      die 70 "the release build failed"
    done
  fi
  # --binary PATH (scripts/bench.sh passes the copy it built once): time that binary instead of the scratch path's.
  [[ -z "${binary_arg:-}" ]] || bin="$(cd "$(dirname "$binary_arg")" && pwd)/$(basename "$binary_arg")"
  [[ -x "$bin" ]] || die 69 "$bin is missing (build it, or drop --no-build)"
  return 0
}

# copy_binary: copies $bin and its resource bundles (which Bundle.module finds beside the executable) to
# $out/bin, so that a rebuild of the scratch path by someone else during the runs cannot swap it under us.
# Sets bin_built (where it was built) and bin (the copy, which is timed).
copy_binary() {
  local r
  rm -rf "$out/bin"
  mkdir -p "$out/bin"
  cp -f "$bin" "$out/bin/casebridge"
  for r in "$(dirname "$bin")"/*.resources; do [[ -e "$r" ]] && cp -R "$r" "$out/bin/"; done
  bin_built="$bin"
  bin="$PWD/$out/bin/casebridge"
}

# ---- runs -------------------------------------------------------------------------------------------------------
# prepare_runs: fresh $out/runs and $out/work; records the source status and the load average at the start; starts
# $out/runs/runs.tsv (sets tsv).
prepare_runs() {
  mkdir -p "$inputs"
  rm -rf "$out/runs" "$out/work"
  mkdir -p "$out/runs" "$out/work"
  printf '%s\n' "$source_status" >"$out/runs/source-status.txt"  # `git status --porcelain` when the build started
  cut -d' ' -f1-3 /proc/loadavg >"$out/runs/loadavg-start.txt"     # the machine is shared: load when the runs began
  tsv="$out/runs/runs.tsv"
  printf 'size\titer\tvariant\trc\telapsed_s\tmaxrss_kb\tuser_s\tsys_s\tout_lines\tout_bytes\tcounts\n' >"$tsv"
}

# input_is_current IN STAMP_VALUE: IN exists, IN.stamp holds STAMP_VALUE, and IN's SHA-256 is the one in
# IN.stats.json (what the generator wrote).
input_is_current() {
  local in="$1" want="$2"
  [[ -f "$in" && -f "$in.stamp" && -f "$in.stats.json" && "$(cat "$in.stamp")" == "$want" ]] || return 1
  [[ "$(sha256sum "$in" | cut -d' ' -f1)" == "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$in.stats.json")" ]]
}

# cached_input N IN STAMP_VALUE GENERATOR...: reuses IN when input_is_current IN STAMP_VALUE, else runs GENERATOR
# (which writes IN and IN.stats.json) and stamps IN; then prints IN's size, SHA-256 and path.
cached_input() {
  local n="$1" in="$2" stamp="$3"
  shift 3
  if input_is_current "$in" "$stamp"; then
    log "reusing $in (made by the same generator)"
  else
    log "generating $n records -> $in"
    rm -f "$in.stamp"
    "$@" >/dev/null
    echo "$stamp" >"$in.stamp"
  fi
  printf 'input %-10s sha256 %s  %s bytes  %s\n' "$n" "$(sha256sum "$in" | cut -d' ' -f1)" "$(stat -c %s "$in")" "$in"
}

# record_run TIMEFILE N ITER VARIANT RC OUTFILE COUNTS: appends the run's row to $tsv (wall clock, max RSS, user
# and system time from `time -v`, output lines and bytes, the counts file) and echoes it to stderr.
record_run() {
  local tf="$1" n="$2" i="$3" variant="$4" rc="$5" outf="$6" counts="$7" lines=0 bytes=0
  if [[ -n "$outf" && -f "$outf" ]]; then
    lines="$(wc -l <"$outf")"
    bytes="$(stat -c %s "$outf")"
  elif [[ -n "$outf" && -d "$outf" ]]; then  # a directory of output files (casebridge --to csv -o DIR)
    lines="$(find "$outf" -type f -exec cat {} + | wc -l)"
    bytes="$(find "$outf" -type f -exec cat {} + | wc -c)"
  fi
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

# run_failed WHAT RC ERRFILE TIMEFILE: reports a failed run and stops the harness.
run_failed() {
  echo "$bench_tag: $1 failed (exit $2); stderr:" >&2
  cat "$3" "$4" >&2 2>/dev/null || true
  exit 70
}

# time_casebridge TIMEFILE ERRFILE ARGS...: runs $bin ARGS under /usr/bin/time -v; exit 0, or 1 when records were
# quarantined, is success. Sets rc.
time_casebridge() {
  local tf="$1" err="$2"
  shift 2
  rc=0
  /usr/bin/time -v -o "$tf" "$bin" "$@" 2>"$err" || rc=$?
  [[ $rc -eq 0 || $rc -eq 1 ]] || run_failed "casebridge $*" "$rc" "$err" "$tf"
}

# time_peer TIMEFILE ERRFILE COMMAND...: runs COMMAND under /usr/bin/time -v; anything but exit 0 fails. Sets rc.
time_peer() {
  local tf="$1" err="$2"
  shift 2
  rc=0
  /usr/bin/time -v -o "$tf" "$@" 2>"$err" || rc=$?
  [[ $rc -eq 0 ]] || run_failed "$*" "$rc" "$err" "$tf"
}

# run_paired UNIT INPUT_OF VARIANT...: for every size in ${sizes[@]}, warms the page cache with the input (the
# function INPUT_OF N prints its path), then runs $runs iterations of the variants, forwards in odd iterations and
# backwards in even ones, calling the harness's own `timed VARIANT ITER N IN DIR` for each.
run_paired() {
  local unit="$1" input_of="$2"
  shift 2
  local variants=("$@") n in dir i k order
  for n in "${sizes[@]}"; do
    in="$("$input_of" "$n")"
    dir="$out/runs/$n"
    mkdir -p "$dir"
    cat "$in" >/dev/null  # warm the page cache: every variant reads a cached file
    log "$n $unit: $runs paired iteration(s) of ${variants[*]}"
    for ((i = 1; i <= runs; i++)); do
      order=()
      for ((k = 0; k < ${#variants[@]}; k++)); do order+=("$k"); done
      if ((i % 2 == 0)); then
        local rev=()
        for ((k = ${#order[@]} - 1; k >= 0; k--)); do rev+=("${order[$k]}"); done
        order=("${rev[@]}")
      fi
      for k in "${order[@]}"; do timed "${variants[$k]}" "$i" "$n" "$in" "$dir"; done
    done
  done
  rm -rf "$out/work"
}

# ---- instruction counts -----------------------------------------------------------------------------------------
# cg_setup DIR: a fresh DIR for callgrind figures, with a copy of $bin (and its resource bundles) stripped of debug
# information, because valgrind cannot read the Swift binary's DWARF (symbols stay). Sets cg and cg_bin.
cg_setup() {
  local r
  cg="$1"
  rm -rf "$cg"
  mkdir -p "$cg/bin"
  cp -f "$bin" "$cg/bin/casebridge"
  for r in "$(dirname "$bin")"/*.resources; do [[ -e "$r" ]] && cp -R "$r" "$cg/bin/"; done
  strip --strip-debug "$cg/bin/casebridge"
  cg_bin="$cg/bin/casebridge"
}

# cg_run NAME COMMAND...: one run under valgrind --tool=callgrind; its total Ir goes to $cg/NAME.ir, its exit status
# to $cg/NAME.rc (casebridge's 1 = records quarantined is normal; the summary checks the counts).
cg_run() {
  local name="$1" rc=0
  shift
  valgrind --tool=callgrind --callgrind-out-file="$cg/$name.callgrind.out" "$@" >"$cg/$name.stdout" \
    2>"$cg/$name.stderr" || rc=$?
  grep -E '== Collected : [0-9]+' "$cg/$name.stderr" | sed -E 's/.*Collected : ([0-9]+).*/\1/' >"$cg/$name.ir"
  [[ -s "$cg/$name.ir" ]] || { cat "$cg/$name.stderr" >&2; die 70 "callgrind of $name gave no total"; }
  echo "$rc" >"$cg/$name.rc"
  log "callgrind $name: $(cat "$cg/$name.ir") Ir (exit $rc)"
}
