#!/usr/bin/env bash
# Prints README command N (1 or 2): the first non-blank line after the
# `<!-- readme-command-N: … -->` marker in README.md, unindented. Used by
# scripts/ci-demo.sh and scripts/test-fresh-clone.sh to run it verbatim.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 N" >&2; exit 2; }
line=$(awk -v marker="<!-- readme-command-$1:" 'index($0, marker) {found=1; next} found && NF {sub(/^[ \t]+/, ""); print; exit}' README.md)
[ -n "$line" ] || { echo "readme-command: no line after a readme-command-$1 marker in README.md" >&2; exit 1; }
printf '%s\n' "$line"
