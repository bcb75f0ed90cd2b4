# Sourced by the serving benchmarks (bench-serve.sh, bench-ab.sh, bench-tail.sh, bench-mixed.sh).

# require_movielens: sets ML to ml-latest-small-2016 beside the project; exits 2 if it is missing.
require_movielens() {
  ML=../shared/data/ml-latest-small-2016
  [ -f "$ML/ratings.csv" ] || { echo "missing $ML (see docs/benchmarks.md)" >&2; exit 2; }
}

# build_serving_binaries: release mfd, mfctl and mfbench
# (skipped with SKIP_BUILD=1); sets BIN and CTL.
build_serving_binaries() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    for p in mfd mfctl mfbench; do swift build -c release --product $p >&2; done
  fi
  BIN=.build/release CTL=.build/release/mfctl
}

# start_trained_mfd MFD_BINARY DIR: starts that mfd on DIR/db.sqlite and
# DIR/s.sock (manual retrain), imports ml-latest-small-2016 ($ML) through
# $CTL, trains, and sets MFD to its pid.
start_trained_mfd() {
  local bin=$1 dir=$2
  rm -rf "$dir"; mkdir -p "$dir"
  "$bin" --db "$dir/db.sqlite" --socket "$dir/s.sock" --retrain manual 2>"$dir/mfd.log" &
  MFD=$!
  for _ in $(seq 100); do [ -S "$dir/s.sock" ] && break; sleep 0.1; done
  "$CTL" import items "$ML/movies.csv" --socket "$dir/s.sock" >/dev/null
  "$CTL" import ratings "$ML/ratings.csv" --socket "$dir/s.sock" >/dev/null
  "$CTL" train --wait --socket "$dir/s.sock" >/dev/null
}

# recommend_cache_counts SOCKET: one line with the recommend cache's hits and misses so far
# (mfd's metrics), since a cached recommend skips the top-N scan (MFD_RECOMMEND_CACHE_MB=0 turns it off).
recommend_cache_counts() {
  "$CTL" metrics --socket "$1" | awk '/^mfd_recommend_cache_(hits|misses)_total /{ sub("mfd_recommend_cache_", ""); sub("_total", ""); printf "%s%s %d", sep, $1, $2; sep=", " }
    END { print " (recommend cache" (ENVIRON["MFD_RECOMMEND_CACHE_MB"] == "0" ? " off)" : ")") }'
}

# mfd_cpu: CPU seconds (user + system) the mfd in $MFD has used so far.
mfd_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$MFD/stat"; }
