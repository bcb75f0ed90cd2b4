#!/usr/bin/env bash
# The generalization check: mfd's defaults beside cmfrec and implicit on data sets
# of other sizes and densities (scripts/generalize.py says which and how).
#   scripts/bench-generalize.sh [SET,SET,...]
# PYTHON: an interpreter with numpy, pandas, scipy, cmfrec, implicit and threadpoolctl
# (../shared/anchors/README.md makes such a venv). SKIP_BUILD=1 uses the release mfbench as it is.
# Data sets are made under ${GENERALIZE_DATA:-.build/generalize-data}. Exit 1 when a set misses a target.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
[ "${SKIP_BUILD:-0}" = 1 ] || make release >&2
W=${GENERALIZE_DATA:-.build/generalize-data}
mkdir -p "$W"
exec "${PYTHON:-python3}" scripts/generalize.py --mfbench .build/release/mfbench --work "$W" ${1:+--sets "$1"}
