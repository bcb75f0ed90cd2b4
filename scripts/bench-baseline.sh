#!/usr/bin/env bash
# The machine's floor for scripts/bench-serve.sh: the same `mfbench serve` phases
# against scripts/baseline/echo-scan.c, a minimal C server that sends a fixed
# recommend-sized reply, with no per-request work (0 items) and after a
# 2,000 × 64 dot-product scan (about the arithmetic of mfd's pruned top-N on
# the ml-latest-small model, which scores ~242 blocks of 8 items per call).
# Tail latency seen here is the machine's and the client's, not mfd's.
# Figures: docs/benchmarks.md ("The machine's floor").
#   scripts/bench-baseline.sh [SECONDS]      (default 5 s per phase)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
SECS=${1:-5}
DIR=${BENCH_DIR:-/tmp/mfd-baseline-bench}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  swift build -c release --product mfbench >&2
fi
rm -rf "$DIR"; mkdir -p "$DIR"
gcc -O3 -march=haswell -ffast-math -pthread -o "$DIR/echo-scan" scripts/baseline/echo-scan.c
SOCK=$DIR/s.sock
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; true' EXIT
for items in 0 2000; do
  "$DIR/echo-scan" "$SOCK" "$items" & SERVER=$!
  for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
  phases=("--connections 1" "--connections 16")
  for rate in ${RECOMMEND_RATES:-5000 10000 20000 30000}; do phases+=("--connections 16 --rate $rate"); done
  for args in "${phases[@]}"; do
    echo -n "echo-scan $items items, $args: "
    # shellcheck disable=SC2086
    .build/release/mfbench serve --socket "$SOCK" --users 668 --seconds "$SECS" --phase recommend $args | sed 's/^recommend: //' || true
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
done
echo "(load average now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
