#!/bin/sh
# Cold start from attributes: mfd (`mfbench coldstart`) and cmfrec CMF with
# side information (scripts/coldstart_cmfrec.py), same protocol and split.
#   scripts/bench-coldstart.sh [DATA_NAME] [VENV]
set -eu
cd "$(dirname "$0")/.."
NAME=${1:-ml-latest-small-2016}
VENV=${2:-/tmp/anchors-venv}
S=../shared/splits/$NAME D=../shared/data/$NAME
.build/release/mfbench coldstart --train "$S/train.csv" --test "$S/test.csv" \
    --user-info "$D/users.csv" --item-info "$D/movies.csv" --cold-users 0.2 --cold-items 0.2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" scripts/coldstart_cmfrec.py \
    --train "$S/train.csv" --test "$S/test.csv" --user-info "$D/users.csv" --item-info "$D/movies.csv"
