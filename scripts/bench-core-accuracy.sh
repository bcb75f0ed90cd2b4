#!/usr/bin/env bash
# Accuracy + fit time with product defaults, side by side with the strongest
# cmfrec anchor (CMF(method="als", k=64, lambda_=0.1, scale_lam=True,
# user_bias=True, item_bias=True, add_implicit_features=True, niter=15)) on
# the same train/test files, at 1 and 2 threads. Prints a markdown table.
# Usage: scripts/bench-core-accuracy.sh [SPLIT_NAME...]
# Env:   VENV=/tmp/anchors-venv  SHARED=../shared
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/tmp/anchors-venv}
SHARED=${SHARED:-../shared}
SPLITS=("$@")
[ ${#SPLITS[@]} -gt 0 ] || SPLITS=(ml-latest-small-2016 ml-latest-small-2018)
swift build -c release --product mfbench >&2
BIN=$(swift build -c release --show-bin-path)/mfbench

cmfrec_strong() {  # $1 train.csv $2 test.csv $3 threads -> "rmse mae ndcg fit"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH="$SHARED/anchors" "$VENV/bin/python" - "$1" "$2" "$3" <<'PY'
import sys, time
import numpy as np
import common as C
import bench_cmfrec as B
from cmfrec import CMF
tr, _ = C.load_ratings(sys.argv[1]); te, _ = C.load_ratings(sys.argv[2]); n = int(sys.argv[3])
S = C.Split(tr, te)
walls = []
for _ in range(3):
    with C.threads(n):
        t0 = time.perf_counter()
        m = CMF(method="als", k=64, lambda_=0.1, scale_lam=True, user_bias=True, item_bias=True,
                add_implicit_features=True, niter=15, nthreads=n, verbose=False).fit(S.coo)
        walls.append(time.perf_counter() - t0)
r = C.rating_metrics(m.predict(S.te_u, S.te_i), S.te_r, S.lo, S.hi)
k = C.ranking_metrics(S, B.scores_fn(m))
print("%.4f %.4f %.4f %.3f" % (r["rmse"], r["mae"], k["ndcg@10"], float(np.median(walls))))
PY
}

mfd() {  # $1 train $2 test $3 threads -> "rmse mae ndcg fit"
  "$BIN" eval --train "$1" --test "$2" --threads "$3" --repeats 3 --json \
    | "$VENV/bin/python" -c 'import json,sys; j=json.load(sys.stdin); print("%.4f %.4f %.4f %.3f" % (j["rmse"], j["mae"], j["ndcg_at_10"], j["fit_seconds"]))'
}

printf '| split | model | threads | RMSE | MAE | NDCG@10 | fit (s) | mfd / cmfrec fit |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for s in "${SPLITS[@]}"; do
  tr="$SHARED/splits/$s/train.csv"; te="$SHARED/splits/$s/test.csv"
  for t in 1 2; do
    read -r mr mm mn mf <<<"$(mfd "$tr" "$te" "$t")"
    read -r cr cm cn cf <<<"$(cmfrec_strong "$tr" "$te" "$t")"
    printf '| %s | mfd defaults | %d | %s | %s | %s | %s | %.2f |\n' "$s" "$t" "$mr" "$mm" "$mn" "$mf" "$(echo "$mf / $cf" | bc -l)"
    printf '| %s | cmfrec strong | %d | %s | %s | %s | %s | |\n' "$s" "$t" "$cr" "$cm" "$cn" "$cf"
  done
done
