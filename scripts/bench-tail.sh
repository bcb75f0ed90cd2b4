#!/usr/bin/env bash
# How often the latency targets hold on this machine, for mfd and for the
# machine's floor side by side: a trained mfd (ml-latest-small-2016) and
# scripts/baseline/echo-scan.c with a 2,000-item scan run at the same time (the
# idle one costs nothing), and open-loop recommend at RATE from 16 connections
# alternates between them, ROUNDS times, SECONDS each. Each line gives p50/p99;
# the summary counts the runs with p50 <= 100 µs and p99 <= 1 ms.
# Figures: docs/benchmarks.md ("Tail latency").
#   scripts/bench-tail.sh [ROUNDS] [RATE] [SECONDS]      (defaults 10, 10000, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
ROUNDS=${1:-10} RATE=${2:-10000} SECS=${3:-5}
DIR=${BENCH_DIR:-/tmp/mfd-tail-bench}
. scripts/lib/trained-mfd.sh
require_movielens
build_serving_binaries
SERVER=
trap '[ -n "${MFD:-}" ] && kill -TERM $MFD 2>/dev/null; [ -n "$SERVER" ] && kill $SERVER 2>/dev/null; true' EXIT
start_trained_mfd "$BIN/mfd" "$DIR/mfd"
mkdir -p "$DIR/c"
gcc -O3 -march=haswell -ffast-math -pthread -o "$DIR/c/echo-scan" scripts/baseline/echo-scan.c
"$DIR/c/echo-scan" "$DIR/c/s.sock" 2000 & SERVER=$!
for _ in $(seq 100); do [ -S "$DIR/c/s.sock" ] && break; sleep 0.05; done
for r in $(seq "$ROUNDS"); do
  for who in mfd c; do
    out=$("$BIN/mfbench" serve --socket "$DIR/$who/s.sock" --users 668 --seconds "$SECS" --connections 16 \
          --rate "$RATE" --phase recommend --json)
    echo "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)["recommend"]
p50, p99 = s["p50_us"], s["p99_us"]
met = " (both targets)" if p50 <= 100 and p99 <= 1000 else ""
print(f"{sys.argv[1]} {sys.argv[2]}: p50 {p50:.0f} µs, p99 {p99:.0f} µs{met}")
' "round $r" "$([ $who = mfd ] && echo mfd || echo echo-scan)"
  done
done | tee "$DIR/runs.txt"
for who in mfd echo-scan; do
  echo "$who: $(grep -c "$who: .*both targets" "$DIR/runs.txt" || true) of $ROUNDS runs met p50 <= 100 µs and p99 <= 1 ms at $RATE/s"
done
echo "mfd: $(recommend_cache_counts "$DIR/mfd/s.sock")"
echo "(load average now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
