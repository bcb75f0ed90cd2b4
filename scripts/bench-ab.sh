#!/usr/bin/env bash
# Old code against new on the same machine, alternately, since this machine's
# speed drifts between runs: for each checkout given (each with release
# binaries built, e.g. `make -s release` in a `git worktree` of the old
# revision), a fresh mfd gets ml-latest-small-2016 imported and trained, then
# `mfbench serve` runs 16 connections of durable add_rating (depth 16 and 8)
# and recommend (depth 1), 5 s each. Figures: docs/benchmarks.md ("Recommend cache on and off").
#   scripts/bench-ab.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]      (default 2 rounds)
# PHASES replaces the phase list: `mfbench serve` arguments, one phase per line, e.g.
#   PHASES=$'--phase recommend\n--phase recommend --rate 20000' scripts/bench-ab.sh …
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/trained-mfd.sh
require_movielens
CTL=$PWD/.build/release/mfctl BENCH=$PWD/.build/release/mfbench
ROOT=${BENCH_DIR:-/tmp/mfd-ab-bench}
one() {
  local checkout=$1 dir=$ROOT/$(basename "$1")
  start_trained_mfd "$checkout/.build/release/mfd" "$dir"
  local phases=${PHASES:-$'--depth 16 --phase add_rating\n--depth 8 --phase add_rating\n--phase recommend'}
  while IFS= read -r args; do
    local before out n
    before=$(mfd_cpu)
    # shellcheck disable=SC2086
    out=$("$BENCH" serve --socket "$dir/s.sock" --users 668 --seconds 5 --connections 16 $args </dev/null)
    n=$(echo "$out" | sed -E 's/^[a-z_]+: ([0-9]+) requests.*/\1/')
    echo "$checkout $args:$(echo "$out" | cut -d, -f2-4), mfd $(python3 -c "print(round(($(mfd_cpu) - $before) * 1e6 / $n))") µs/request"
  done <<< "$phases"
  kill -TERM "$MFD"; wait "$MFD" || true
}
for _ in $(seq "${3:-2}"); do one "$1"; one "$2"; done
echo "(load average now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
