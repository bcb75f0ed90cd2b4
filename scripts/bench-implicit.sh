#!/bin/sh
# Implicit-feedback ALS: mfd vs `implicit`, side by side on the same data,
# factors, iterations and threads.
# Figures: docs/benchmarks.md ("Implicit-feedback ALS vs `implicit`").
#   scripts/bench-implicit.sh [SPLIT_DIR] [VENV]
# Needs a release mfbench (swift build -c release --product mfbench)
# and a venv with implicit, pandas, scipy, threadpoolctl.
set -eu
cd "$(dirname "$0")/.."
SPLIT=${1:-../shared/splits/ml-latest-small-2016}
VENV=${2:-/tmp/anchors-venv}
BIN=.build/release/mfbench
for t in 1 2; do
    echo "== threads $t"
    "$BIN" eval --train "$SPLIT/train.csv" --test "$SPLIT/test.csv" --algo implicit --threads "$t" --repeats 5
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" scripts/implicit_fit_time.py \
        --train "$SPLIT/train.csv" --threads "$t" --repeats 5
done
