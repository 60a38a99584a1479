#!/usr/bin/env bash
# Benchmark peer: Miller, JSON Lines -> ONE CSV, streaming in two passes (scripts/bench_jsonl_csv.sh).
#
#   scripts/peer_miller.sh IN.jsonl OUT.csv
#
# The benchmark's JSON Lines mix five entity types with different members and nested arrays and objects. Miller's
# CSV writer starts a new header block wherever the fields change, so one CSV needs every record to carry the same
# fields. `mlr --ijsonl --ocsv flatten then unsparsify` does that, but unsparsify without -f keeps every record in
# memory until the end (1.3 GiB peak RSS at 100,000 records, growing with the input). This peer streams instead:
#
#   pass 1  mlr --ijsonl --ojsonl flatten then put -q 'for (k, v in $*) { @keys[k] = 1 } end { print joink(@keys, ",") }'
#           the union of the flattened field names (nested values become name.1.member fields), in first-seen order
#   pass 2  mlr --ijsonl --ocsv flatten then unsparsify -f KEYS then sort-within-records IN > OUT
#           every record filled with the missing fields (empty) and its fields sorted, so all rows share one header
#
# Both passes are timed together (they run in this one process tree). One CSV row per input line.
set -euo pipefail
[[ $# -eq 2 ]] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
keys="$(mlr --ijsonl --ojsonl flatten then put -q 'for (k, v in $*) { @keys[k] = 1 } end { print joink(@keys, ",") }' "$1")"
[[ -n "$keys" ]] || { echo "peer_miller: no fields in $1" >&2; exit 2; }
mlr --ijsonl --ocsv flatten then unsparsify -f "$keys" then sort-within-records "$1" >"$2"
echo "peer_miller: $(mlr --version), $(tr ',' '\n' <<<"$keys" | wc -l) fields" >&2
