#!/usr/bin/env bash
# Acceptance test: `mfctl tune` on ml-latest-small-2016 finds a
# configuration whose holdout RMSE is within 0.005 of the defaults' or better.
# A daemon gets the 2016 ratings and movies; `mfctl evaluate` (holdout split
# seed 7, which tune never sees: tune carves its own validation split from its
# own seed) gives the defaults' RMSE; `mfctl tune --apply` searches and
# persists the best; `mfctl evaluate` again on the same split.
# Usage: scripts/tune-acceptance.sh [extra tune args...]   Exit 0 = passed.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(realpath ../shared/data/ml-latest-small-2016 2>/dev/null || true)
[ -f "$data/ratings.csv" ] || { echo "tune-acceptance: ../shared/data/ml-latest-small-2016 missing"; exit 1; }
work=$(mktemp -d /tmp/mfd-tune.XXXXXX)
make -s release >/dev/null
bin=$PWD/.build/release
source scripts/scratch-mfd.sh
start_scratch_mfd "$bin" "$work" tune-acceptance --retrain manual
"$bin/mfctl" import items "$data/movies.csv" >/dev/null
"$bin/mfctl" import ratings "$data/ratings.csv"
rmse() { "$bin/mfctl" evaluate --json --seed 7 | python3 -c 'import json,sys; print(json.load(sys.stdin)["rmse"])'; }
before=$(rmse)
echo "tune-acceptance: defaults holdout RMSE $before"
t=$SECONDS
"$bin/mfctl" tune --apply "$@"
echo "tune-acceptance: tune took $((SECONDS - t))s"
after=$(rmse)
echo "tune-acceptance: tuned holdout RMSE $after (defaults $before)"
python3 -c "import sys; d=$after-$before; print(f'tune-acceptance: difference {d:+.4f} (must be <= +0.005)'); sys.exit(0 if d <= 0.005 else 1)"
