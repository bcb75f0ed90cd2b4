#!/usr/bin/env bash
# Fit-time comparison, side by side and interleaved on one machine:
#   mfbench eval --plain --factors 64 --iterations 10 --threads T
#   cmfrec CMF(method="als", k=64, lambda_=10, user_bias=True, item_bias=True, niter=10, nthreads=T)
# on the same train.csv, T = 1 and 2. Each side reports the median of 3 fits
# per round; the table shows the median over ROUNDS rounds and the ratio.
#
# Usage: scripts/bench-core.sh [SPLIT_NAME...]   (default: both ml-latest-small splits)
# Env:   VENV=/tmp/anchors-venv  ROUNDS=3  SHARED=../shared (relative to the package root)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/tmp/anchors-venv}
ROUNDS=${ROUNDS:-3}
SHARED=${SHARED:-../shared}
SPLITS=("$@")
[ ${#SPLITS[@]} -gt 0 ] || SPLITS=(ml-latest-small-2016 ml-latest-small-2018)
[ -x "$VENV/bin/python" ] || { echo "no venv at $VENV: python3 -m venv $VENV && $VENV/bin/pip install cmfrec pandas scipy threadpoolctl" >&2; exit 2; }

swift build -c release --product mfbench >&2
BIN=$(swift build -c release --show-bin-path)/mfbench

# cmfrec fit on the train CSV, indexed as anchors/common.py does; prints median of 3 fit seconds.
cmfrec_fit() {  # $1 = train.csv, $2 = threads
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$SHARED/anchors" "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys, time
import numpy as np, scipy.sparse as sp
import common as C
from cmfrec import CMF
df, _ = C.load_ratings(sys.argv[1]); n = int(sys.argv[2])
ix = C.Index(df)
coo = sp.coo_matrix((df["rating"].to_numpy(np.float64), (ix.uidx(df["user"]), ix.iidx(df["item"]))), shape=(ix.n_users, ix.n_items))
walls = []
for _ in range(3):
    with C.threads(n):
        t0 = time.perf_counter()
        CMF(method="als", k=64, lambda_=10, user_bias=True, item_bias=True, niter=10, nthreads=n, verbose=False).fit(coo)
        walls.append(time.perf_counter() - t0)
print(f"{float(np.median(walls)):.4f}")
PY
}

mfd_fit() {  # $1 = train.csv, $2 = test.csv, $3 = threads
  "$BIN" eval --train "$1" --test "$2" --plain --factors 64 --iterations 10 --threads "$3" --repeats 3 --json \
    | "$VENV/bin/python" -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["fit_seconds"])'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '| split | threads | mfd fit (s) | cmfrec fit (s) | mfd / cmfrec |\n| --- | ---: | ---: | ---: | ---: |\n'
for s in "${SPLITS[@]}"; do
  tr="$SHARED/splits/$s/train.csv"; te="$SHARED/splits/$s/test.csv"
  for t in 1 2; do
    m=(); c=()
    for _ in $(seq "$ROUNDS"); do
      m+=("$(mfd_fit "$tr" "$te" "$t")")
      c+=("$(cmfrec_fit "$tr" "$t")")
    done
    mm=$(median "${m[@]}"); cm=$(median "${c[@]}")
    printf '| %s | %d | %.3f | %.3f | %.2f |\n' "$s" "$t" "$mm" "$cm" "$(echo "$mm / $cm" | bc -l)"
    echo "  rounds: mfd ${m[*]} / cmfrec ${c[*]}" >&2
  done
done
