#!/usr/bin/env bash
# `mfbench serve` against a fresh mfd holding ml-latest-small-2016 (imported, trained):
# recommend and durable add_rating, 16 connections at depth 1 and pipelined, plus 1 connection,
# and 16 connections open-loop at fixed offered rates (RECOMMEND_RATES, ADD_RATE).
# Figures: docs/benchmarks.md ("mfd over the socket").
#   scripts/bench-serve.sh [SECONDS]      (default 5 s per phase)
# Scratch files go to ${BENCH_DIR:-/tmp/mfd-serve-bench}; MovieLens files are read from ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
SECS=${1:-5}
DIR=${BENCH_DIR:-/tmp/mfd-serve-bench}
. scripts/lib/trained-mfd.sh
require_movielens
build_serving_binaries
SOCK=$DIR/s.sock
trap '[ -n "${MFD:-}" ] && kill -TERM $MFD 2>/dev/null; wait ${MFD:-} 2>/dev/null || true' EXIT
start_trained_mfd "$BIN/mfd" "$DIR"
run() {
  echo "# mfbench serve $*" >&2
  local before out
  before=$(mfd_cpu)
  out=$("$BIN/mfbench" serve --socket "$SOCK" --users 668 --seconds "$SECS" --json "$@")
  echo "$out" | python3 -c '
import json, sys
before, after, label = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
for op, s in json.load(sys.stdin).items():
    n, rate, p50, p99, client = s["requests"], s["per_second"], s["p50_us"], s["p99_us"], s["client_cpu_us"]
    late = s.get("send_late_p99_us")
    print(f"{op} {label}: {n} requests, {rate:.0f} req/s, p50 {p50:.0f} µs, p99 {p99:.0f} µs, "
          + (f"sender late p99 {late:.0f} µs, " if late is not None else "")
          + f"CPU per request: mfd {1e6 * (after - before) / n:.0f} µs, mfbench {client:.0f} µs")
' "$before" "$(mfd_cpu)" "$*"
}
run --connections 1 --phase recommend
run --connections 16 --phase recommend
run --connections 16 --depth 8 --phase recommend
for rate in ${RECOMMEND_RATES:-5000 10000 20000 30000}; do
  run --connections 16 --rate "$rate" --phase recommend
done
echo "recommend phases: $(recommend_cache_counts "$SOCK")" >&2
run --connections 16 --phase add_rating
run --connections 16 --depth 8 --phase add_rating
run --connections 16 --depth 16 --phase add_rating
run --connections 16 --rate "${ADD_RATE:-20000}" --phase add_rating
kill -TERM $MFD; wait $MFD; trap - EXIT
echo "mfd exit $? (load average now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
