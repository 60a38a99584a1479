#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader and field parser (libFuzzer + AddressSanitizer; FuzzTesting/).
#   scripts/fuzz.sh SECONDS [TARGET...]     each target runs SECONDS (default: all targets)
# Corpora grow under .build-fuzz/corpus/<target>/ (seeded from Samples/ and FuzzTesting/Dictionaries/'s
# neighbours); crashes and contract breaks land in .build-fuzz/artifacts/<target>/ and make the script fail.
# A found input belongs under FuzzTesting/FailCases/<target>/, where FuzzFailCaseTests replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}"
shift
scratch=.build-fuzz
# SwiftPM's --sanitize instruments the root package only; -sanitize=fuzzer,address on every swiftc call instruments
# CaseBridge's own modules too, so coverage guides the search through the parsers (RELIABILITY.md §8).
(cd FuzzTesting && swift build --scratch-path "../$scratch" --sanitize fuzzer --sanitize address \
  -Xswiftc -parse-as-library -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" || true)
bin="$scratch/debug/CaseBridgeFuzz"
[ -x "$bin" ] || { echo "fuzz.sh: build failed" >&2; exit 1; }

all_targets=$(python3 -c 'import json; d = json.load(open("FuzzTesting/targets.json")); print(" ".join([r["name"] for r in d["readers"]] + d["parsers"]))')
targets="${*:-$all_targets}"

seed() {  # seed corpus of a target: matching samples (small ones) and its FailCases
  local t="$1" dir="$2"
  local pattern
  case "$t" in
    csv|csv-profile) pattern='Samples/csv/*/*.csv' ;;
    jsonl|agency-jsonl) pattern='Samples/jsonl/*/*.jsonl Samples/agency/*.jsonl' ;;
    json|agency-json) pattern='Samples/json/*/*.json Samples/agency/*.json' ;;
    xml|agency-xml) pattern='Samples/xml/*/*.xml Samples/agency/*.xml' ;;
    ncmec-xml) pattern='Samples/ncmec/*/*.xml' ;;
    cybertip-json) pattern='Samples/cybertip/*/*.json' ;;
    isp-letter) pattern='Samples/isp/*/*.txt' ;;
    isp-log) pattern='Samples/isp/*/*.log' ;;
    isp-cgnat|isp-sectioned) pattern='Samples/isp/*/*.csv' ;;
    isp-html) pattern='Samples/isp/*/*.html' ;;
    profile-json) pattern='Schemas/profiles/*.json Schemas/profiles/providers/*.json' ;;
    profile-yaml) pattern='Samples/incoming/.casebridge.yaml Samples/batch.yaml' ;;
    *) pattern='' ;;
  esac
  for f in $pattern; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$dir/seed-$(basename "$f")"
  done
  case "$t" in
    timestamp) printf '2024-03-01T10:00:00Z' >"$dir/s1"; printf '2024-03-01T10:00:00.123456789+05:30' >"$dir/s2" ;;
    date-pattern) printf 'MM/dd/yyyy hh:mm:ss a\n02/10/2024 09:00:00 AM' >"$dir/s1"; printf 'dd.MM.yyyy HH:mm\n01.03.2024 10:00' >"$dir/s2" ;;
    ip) printf '192.0.2.1' >"$dir/s1"; printf '2001:db8::ffff:192.0.2.1' >"$dir/s2"; printf '::ffff:198.51.100.7' >"$dir/s3" ;;
    email) printf 'a.b+c@example.com' >"$dir/s1"; printf '"quoted local"@xn--bcher-kva.example' >"$dir/s2" ;;
    phone) printf '+1 (312) 555-0142 ext. 7' >"$dir/s1"; printf '312.555.0199' >"$dir/s2"; printf '+44 20 7946 0123' >"$dir/s3" ;;
    hash) printf 'd41d8cd98f00b204e9800998ecf8427e' >"$dir/s1"; printf 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' >"$dir/s2" ;;
    constraint-pattern) printf '[A-Z]{2}[0-9]{8}\nAB12345678' >"$dir/s1"; printf '(?:a|b)*c{1,3}\nababcc' >"$dir/s2"; printf '(a+)+b\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' >"$dir/s3"; printf '[^/\\\\]+\\.csv\nreport.csv' >"$dir/s4" ;;
  esac
  if [ -d "FuzzTesting/FailCases/$t" ]; then cp FuzzTesting/FailCases/$t/* "$dir/" 2>/dev/null || true; fi
}

failed=0
for t in $targets; do
  corpus="$scratch/corpus/$t"
  artifacts="$scratch/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  [ -n "$(ls -A "$corpus")" ] || seed "$t" "$corpus"
  dict=()
  [ -f "FuzzTesting/Dictionaries/$t.dict" ] && dict=(-dict="FuzzTesting/Dictionaries/$t.dict")
  echo "== $t ($seconds s)"
  # -timeout: one input may take at most 10 s; -rss_limit_mb: memory stays bounded (inputs are <= 64 KiB).
  if ! CASEBRIDGE_FUZZ_TARGET="$t" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:use_sigaltstack=0 "$bin" "$corpus" "${dict[@]}" \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/" -print_final_stats=1 >"$scratch/$t.log" 2>&1; then
    echo "fuzz.sh: $t found a crash or contract break: $(ls "$artifacts" | head -3)" >&2
    grep -E "contract broken|ERROR: |Fatal error" "$scratch/$t.log" | head -3 >&2
    failed=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/$t.log" | tr '\n' ' '
  echo
done
exit $failed
