#!/usr/bin/env bash
# The portable build against the old haswell build, side by side in one run.
#   new: `swift build -c release` with no flags (kernels dispatched at start);
#   old: BASE_REV (default: the revision before CMFKernels was added, i.e.
#        Swift kernels compiled for the build machine's CPU) built as `make
#        release` built it then, with `-target-cpu haswell`, from a `git
#        archive` in .build-haswell-src into --scratch-path .build-haswell.
# Both fit the plain 2016 benchmark (`mfbench eval --plain --factors 64
# --iterations 10 --threads 1`), alternated ROUNDS times, plus the new binary
# with MFD_KERNELS=portable (and, with OLD_PLAIN=1, BASE_REV built with no
# flags, in .build-oldplain); prints each one's median and best fit and the
# ratios to old. On a busy machine the best of each is the steadier figure.
# Usage: scripts/bench-portable.sh [ROUNDS] [BASE_REV]
# Env:   SHARED=../shared   SKIP_BUILD=1 (reuse the builds)   OLD_PLAIN=1
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-11}
SHARED=${SHARED:-../shared}
split=$SHARED/splits/ml-latest-small-2016
[ -f "$split/train.csv" ] || { echo "bench-portable: $split/train.csv missing"; exit 1; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo \
  || { echo "bench-portable: the haswell comparison needs an AVX2+FMA CPU"; exit 1; }

added=$(git log --format=%H --diff-filter=A -- Sources/CMFKernels/include/CMFKernels.h | tail -1)
base=${2:-${added:+$added^}}
base=$(git rev-parse --short "${base:-HEAD}")
src=.build-haswell-src
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  swift build -c release --product mfbench >&2
  if [ "$(cat "$src/.rev" 2>/dev/null)" != "$base" ]; then
    rm -rf "$src" && mkdir -p "$src"
    git archive "$base" | tar -x -C "$src"
    [ ! -f Package.resolved ] || cp Package.resolved "$src/"
    echo "$base" >"$src/.rev"
  fi
  swift build -c release -Xswiftc -target-cpu -Xswiftc haswell --package-path "$src" \
    --scratch-path .build-haswell --product mfbench >&2
  [ "${OLD_PLAIN:-0}" != 1 ] || swift build -c release --package-path "$src" --scratch-path .build-oldplain --product mfbench >&2
fi
new=$(swift build -c release --show-bin-path)/mfbench
old=.build-haswell/release/mfbench

fit() {  # fit BINARY [ENV...]: fit seconds and test RMSE of one run
  env "${@:2}" "$1" eval --plain --factors 64 --iterations 10 --threads 1 \
    --train "$split/train.csv" --test "$split/test.csv" --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["fit_seconds"], r["rmse"])'
}
declare -a t_old t_new t_port t_oldplain
for r in $(seq "$ROUNDS"); do
  read -r a rmse_old < <(fit "$old")
  read -r b rmse_new < <(fit "$new")
  read -r c rmse_port < <(fit "$new" MFD_KERNELS=portable)
  t_old+=("$a"); t_new+=("$b"); t_port+=("$c")
  line="round $r: old haswell $a s, new $b s, new portable path $c s"
  if [ "${OLD_PLAIN:-0}" = 1 ]; then
    read -r d rmse_oldplain < <(fit .build-oldplain/release/mfbench); t_oldplain+=("$d"); line+=", old no flags $d s"
  fi
  echo "$line"
done
stats() {  # stats TIMES...: "median best"
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {printf "%s %s\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2, v[1]}'
}
read -r mo bo < <(stats "${t_old[@]}")
read -r mn bn < <(stats "${t_new[@]}")
read -r mp bp < <(stats "${t_port[@]}")
report() {  # report LABEL MEDIAN BEST RMSE
  awk -v l="$1" -v m="$2" -v b="$3" -v r="$4" -v mo="$mo" -v bo="$bo" \
    'BEGIN {printf "%-42s median %.3f s (%.2f x old), best %.3f s (%.2f x old), test RMSE %s\n", l, m, m / mo, b, b / bo, r}'
}
echo "kernels of the new binary: $("$new" --version)"
report "old ($base, -target-cpu haswell):" "$mo" "$bo" "$rmse_old"
report "new (swift build -c release):" "$mn" "$bn" "$rmse_new"
report "new, MFD_KERNELS=portable:" "$mp" "$bp" "$rmse_port"
if [ "${OLD_PLAIN:-0}" = 1 ]; then
  read -r mq bq < <(stats "${t_oldplain[@]}")
  report "old ($base, no flags):" "$mq" "$bq" "$rmse_oldplain"
fi
awk -v mn="$mn" -v mo="$mo" -v bn="$bn" -v bo="$bo" 'BEGIN {
  printf "new / old: median %.2f, best %.2f (target <= 1.3)\n", mn / mo, bn / bo; exit !(mn / mo <= 1.3 || bn / bo <= 1.3) }'
