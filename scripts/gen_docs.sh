#!/usr/bin/env bash
# Generates the man page and the shell completion scripts from the command definitions (swift-argument-parser),
# so they can never drift from the CLI.
#   scripts/gen_docs.sh OUTDIR
# writes OUTDIR/man1/casebridge.1 (one page for every subcommand), OUTDIR/completions/casebridge.bash,
# OUTDIR/completions/_casebridge (zsh) and OUTDIR/completions/casebridge.fish, and checks each one.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/gen_docs.sh OUTDIR}"
mkdir -p "$out/man1" "$out/completions"

# The argument-parser manual plugin builds the release CLI (reused if built) and asks it for its command tree.
# A fixed date keeps the page byte-identical between runs of the same commit.
date="${SOURCE_DATE_EPOCH:+$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)}"
swift package plugin generate-manual --configuration release --date "${date:-$(git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)}" >/dev/null
cp .build/plugins/GenerateManual/outputs/CaseBridgeCLI/casebridge.1 "$out/man1/casebridge.1"

bin=.build/release/casebridge
"$bin" --generate-completion-script bash >"$out/completions/casebridge.bash"
"$bin" --generate-completion-script zsh >"$out/completions/_casebridge"
"$bin" --generate-completion-script fish >"$out/completions/casebridge.fish"

# Checks: every subcommand is in the page and in each script; the bash script parses; the page renders.
subcommands=$("$bin" --help | awk '/^SUBCOMMANDS:/{s=1;next} s&&/^  [a-z]/{print $1}')
[ -n "$subcommands" ] || { echo "gen_docs: no subcommands in --help" >&2; exit 1; }
for c in $subcommands; do
  grep -q "$c" "$out/man1/casebridge.1" || { echo "gen_docs: '$c' missing from the man page" >&2; exit 1; }
  for f in casebridge.bash _casebridge casebridge.fish; do
    grep -q "$c" "$out/completions/$f" || { echo "gen_docs: '$c' missing from $f" >&2; exit 1; }
  done
done
bash -n "$out/completions/casebridge.bash"
if command -v man >/dev/null; then
  MANWIDTH=100 man -l "$out/man1/casebridge.1" 2>/dev/null | grep -q "casebridge" || { echo "gen_docs: man page does not render" >&2; exit 1; }
fi
echo "gen_docs: $out/man1/casebridge.1 and $out/completions/ ($(echo $subcommands | wc -w) subcommands)"
