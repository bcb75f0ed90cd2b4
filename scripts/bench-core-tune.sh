#!/usr/bin/env bash
# How MFCore's product defaults were chosen: grid over settings on fit.csv ->
# val.csv of every split (never test.csv), one JSON line per run. Figures:
# docs/core.md ("Appendix: how the defaults were chosen").
# Usage: scripts/bench-core-tune.sh "--lambda 0.05" "--lambda 0.1" ...   (each arg = one setting)
# Env:   SHARED=../shared  SPLITS="ml-latest-small-2016 ml-latest-small-2018"
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
SPLITS=${SPLITS:-"ml-latest-small-2016 ml-latest-small-2018"}
swift build -c release --product mfbench >&2
BIN=$(swift build -c release --show-bin-path)/mfbench
for setting in "$@"; do
  for s in $SPLITS; do
    # shellcheck disable=SC2086
    out=$("$BIN" eval --train "$SHARED/splits/$s/fit.csv" --test "$SHARED/splits/$s/val.csv" $setting --json)
    echo "{\"split\":\"$s\",\"setting\":\"$setting\",\"result\":$out}"
  done
done
