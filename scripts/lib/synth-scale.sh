# Sourced by the scale-out benchmarks (bench-spark.sh, bench-import-model.sh), from
# the project root, after they set users, items, ratings and py (a Python with numpy
# and pandas): builds the release binaries (SKIP_BUILD=1 skips it), sets bin, work
# (a fresh temporary directory) and data (the synthetic set, made once under
# ${SCALE_DATA:-.build/scale-data} by ../shared/anchors/gen_synth.py), and defines
# mfctl, now and since (seconds since a `now`, 3 decimals).
data=${SCALE_DATA:-.build/scale-data}/synth-$users-$items-$ratings
[ "${SKIP_BUILD:-0}" = 1 ] || make -s release >&2
bin=$PWD/.build/release
work=$(mktemp -d /tmp/mfd-scale-bench.XXXXXX)
mfctl() { "$bin/mfctl" "$@"; }
now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.3f", $1 - $2 }'; }
if [ ! -f "$data/ratings.csv" ]; then
  mkdir -p "$data"
  "$py" ../shared/anchors/gen_synth.py --out "$data" --users "$users" --items "$items" --ratings "$ratings" >&2
fi
source scripts/scratch-mfd.sh
