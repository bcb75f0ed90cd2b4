#!/usr/bin/env bash
# MFStore benchmarks: bulk-import throughput, snapshot read, model save/load, group commit.
# Usage: scripts/bench-store.sh [ROWS]   (default 1,000,000 synthetic ratings)
# Scratch files go to ${BENCH_DIR:-/tmp/mfstore-bench}; MovieLens files are read from ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
DIR=${BENCH_DIR:-/tmp/mfstore-bench}
mkdir -p "$DIR"
swift build -c release --product mfbench
BIN=$(swift build -c release --show-bin-path)/mfbench
ML=../shared/data/ml-latest-small-2016/ratings.csv
EXTRA=()
[ -f "$ML" ] && EXTRA=("$ML")
"$BIN" store import "$DIR" "$ROWS" "${EXTRA[@]}"
"$BIN" store model "$DIR" 100000 20000 64
"$BIN" store commit "$DIR" 1000 100000
"$BIN" store commit "$DIR" 1 2000
