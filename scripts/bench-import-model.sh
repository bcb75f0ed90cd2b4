#!/usr/bin/env bash
# import-model at scale without a Spark fit: the rate R of scripts/spark-e2e.sh
# (factor rows per second, `mfctl import-model` process start to swapped-in model)
# on the synthetic set, with a model of the shape Spark's would have. Figures:
# docs/benchmarks.md ("Scale-out").
#   scripts/bench-import-model.sh [RUNS]   (default 3 imports)
# Steps: the synthetic ratings (../shared/anchors/gen_synth.py, 100k users, 20k
# items, 5M ratings; made once under ${SCALE_DATA:-.build/scale-data}) into a
# scratch mfd; a .npy model set of the export's users and items at k = 64 with
# random factors (the import path's cost does not depend on the values), written
# as train_als.py writes it; then RUNS imports, each followed by its ranker job.
# The import cost is the same for Spark's factors: same files, same bytes.
# Needs numpy and pandas in ${PY_VENV:-/tmp/spark-venv} (scripts/spark-e2e.sh makes
# it). SKIP_BUILD=1 uses the release binaries as they are. Each figure is one
# line `import KEY VALUE`; mfd's stage lines go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
runs=${1:-3} users=${USERS:-100000} items=${ITEMS:-20000} ratings=${RATINGS:-5000000} k=${RANK:-64}
py=${PY_VENV:-/tmp/spark-venv}/bin/python
source scripts/lib/synth-scale.sh
fig() { echo "import $1 $2"; }
start_scratch_mfd "$bin" "$work" bench-import-model --retrain external
mfctl import ratings "$data/ratings.csv" >/dev/null 2>&1

# The model set, as contrib/spark/train_als.py --format npy writes it.
"$py" - "$data/ratings.csv" "$work/model" "$k" <<'PY'
import json, os, sys
import numpy as np, pandas as pd
from numpy.lib.format import open_memmap
ratings, out, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = pd.read_csv(ratings, usecols=[0, 1])
os.makedirs(out)
rng = np.random.default_rng(7)
counts = {}
for side, col in (("user_factors", r.columns[0]), ("item_factors", r.columns[1])):
    ids = np.unique(r[col].to_numpy(np.int64))
    n = len(ids)
    f = open_memmap(os.path.join(out, side + ".npy"), mode="w+", dtype="<f4", shape=(n, k))
    f[:] = rng.normal(0, 0.1, (n, k)).astype("<f4")
    np.save(os.path.join(out, side + "_ids.npy"), ids.astype("<i8"))
    np.save(os.path.join(out, side + "_biases.npy"), rng.normal(0, 0.1, n).astype("<f4"))
    counts[side] = n
json.dump({"format": "mfd-model", "formatVersion": 1, "algorithm": "spark-als-explicit", "k": k, "globalMean": 3.5,
           "score": "globalMean + userBias + itemBias + dot", "hyperparameters": {"regParam": 0.1},
           "counts": {"ratings": len(r), "users": counts["user_factors"], "items": counts["item_factors"]},
           "ratingMin": 0.5, "ratingMax": 5.0, "files": {"users": "user_factors.npy", "items": "item_factors.npy"},
           "createdBy": "scripts/bench-import-model.sh"}, open(os.path.join(out, "manifest.json"), "w"))
PY
rows=$("$py" -c "import json,sys; c=json.load(open(sys.argv[1]))['counts']; print(c['users'] + c['items'])" "$work/model/manifest.json")
fig rows "$rows"; fig k "$k"; fig model_bytes "$(du -cb "$work"/model/*.npy | tail -1 | cut -f1)"

for run in $(seq "$runs"); do
  t=$(now); mfctl import-model "$work/model" >"$work/import.out" 2>/dev/null; s=$(since "$t")
  fig "run${run}_import_model_s" "$s"
  fig "run${run}_rows_per_s" "$(echo "$rows $s" | awk '{ printf "%.0f", $1 / $2 }')"
  t=$(now); mfctl recommend 42 --json | grep -q '"source":"model"'; fig "run${run}_first_recommend_s" "$(since "$t")"
  job=$(sed -n 's/.*ranker trains in job \([0-9]*\).*/\1/p' "$work/import.out")
  mfctl job "$job" --wait >/dev/null; fig "run${run}_ranker_done_after_import_s" "$(since "$t")"
done
fig mfd_rss_kib "$(awk '/VmHWM/ { print $2 }' /proc/$scratch_mfd_pid/status)"
grep -o 'model imported [a-z].*\|ranker trained [a-z].*' "$work/mfd.log" >&2 || true
