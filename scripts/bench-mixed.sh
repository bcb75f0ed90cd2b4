#!/usr/bin/env bash
# Recommend while ratings arrive: two trained mfds (ml-latest-small-2016), one
# with the recommend cache off (MFD_RECOMMEND_CACHE_MB=0), one with the default,
# alternately ROUNDS times: open-loop recommend at 5,000/s from 16 connections
# for 5 s while a second mfbench writes durable add_rating at WRITE_RATE/s from
# 2 connections. Each line gives recommend p50/p99, the writes' rate and the
# cache's counters so far. Figures: docs/benchmarks.md ("Recommend cache on and off").
#   scripts/bench-mixed.sh [ROUNDS] [WRITE_RATE]      (defaults 3, 500)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
ROUNDS=${1:-3} WRITE_RATE=${2:-500}
DIR=${BENCH_DIR:-/tmp/mfd-mixed-bench}
. scripts/lib/trained-mfd.sh
require_movielens
build_serving_binaries
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; true' EXIT
MFD_RECOMMEND_CACHE_MB=0 start_trained_mfd "$BIN/mfd" "$DIR/off"; PIDS+=("$MFD")
start_trained_mfd "$BIN/mfd" "$DIR/on"; PIDS+=("$MFD")
for r in $(seq "$ROUNDS"); do
  for cache in off on; do
    sock=$DIR/$cache/s.sock
    "$BIN/mfbench" serve --socket "$sock" --users 668 --seconds 6 --connections 2 --rate "$WRITE_RATE" \
      --phase add_rating --json > "$DIR/writes.json" &
    writer=$!
    sleep 0.5  # the writes are under way before recommend starts
    reads=$("$BIN/mfbench" serve --socket "$sock" --users 668 --seconds 5 --connections 16 --rate 5000 \
      --phase recommend --json)
    wait "$writer"
    counts=$([ $cache = off ] && echo "cache off" || recommend_cache_counts "$sock")
    python3 - "$r" "$cache" "$reads" "$DIR/writes.json" "$counts" <<'PY'
import json, sys
r, cache, reads, writes, counts = sys.argv[1:]
s = json.loads(reads)["recommend"]
w = json.load(open(writes))["add_rating"]
print(f"round {r} cache {cache}: recommend p50 {s['p50_us']:.0f} µs, p99 {s['p99_us']:.0f} µs; "
      f"add_rating {w['per_second']:.0f}/s; {counts}")
PY
  done
done
