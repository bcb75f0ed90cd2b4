#!/usr/bin/env bash
# The scale-out path at scale, timed step by step beside mfd's own training on
# the same data. Figures: docs/benchmarks.md ("Scale-out").
#   scripts/bench-spark.sh [USERS ITEMS RATINGS]   (default: 100000 20000 5000000,
#                                                   ../shared/anchors/gen_synth.py's defaults)
# Steps: `mfctl import ratings`; `mfctl train --wait` (mfd's own model, defaults);
# `mfctl export ratings`; contrib/spark/train_als.py --master local[2] at the same
# k and iterations (JVM start, read + biases, ALS fit, writing the .npy files);
# `mfctl import-model`; the first `recommend` served after it.
# Needs Java 17+ and pyspark, numpy and pandas in ${SPARK_VENV:-/tmp/spark-venv}
# (scripts/spark-e2e.sh makes that venv). Data sets are made once under
# ${SCALE_DATA:-.build/scale-data}. SKIP_BUILD=1 uses the release binaries as they are.
# Each figure is one line `spark KEY VALUE`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
users=${1:-100000} items=${2:-20000} ratings=${3:-5000000}
py=${SPARK_VENV:-/tmp/spark-venv}/bin/python
k=${SPARK_RANK:-64} iters=${SPARK_ITER:-15}
source scripts/lib/synth-scale.sh
fig() { echo "spark $1 $2"; }
start_scratch_mfd "$bin" "$work" bench-spark --retrain manual
fig ratings "$ratings"

t=$(now); mfctl import ratings "$data/ratings.csv" >/dev/null 2>&1; fig mfctl_import_ratings_s "$(since "$t")"
t=$(now); mfctl train --wait >/dev/null 2>&1; fig mfd_own_train_s "$(since "$t")"
fig mfd_own_config "$(mfctl config | head -1 | sed 's/, /,/g; s/ /=/g')"

t=$(now); mfctl export ratings "$work/export" >/dev/null; fig mfctl_export_ratings_s "$(since "$t")"

t=$(now)
"$py" contrib/spark/train_als.py "$work/export" --output "$work/model" --master "local[2]" \
  --rank "$k" --iterations "$iters" --reg "${SPARK_REG:-0.1}" >"$work/train.log" 2>&1 \
  || { cat "$work/train.log" >&2; exit 1; }
fig spark_job_s "$(since "$t")"
# train_als: ... fit 149.0s (ALS 34.6s), write 11.7s, total 160.7s; ...
sed -n 's/.*fit \([0-9.]*\)s (ALS \([0-9.]*\)s), write \([0-9.]*\)s.*/\1 \2 \3/p' "$work/train.log" | {
  read -r prep_fit als write
  fig spark_read_biases_fit_s "$prep_fit"; fig spark_als_fit_s "$als"; fig spark_write_npy_s "$write"
}
fig spark_k "$k"; fig spark_iterations "$iters"

rows=$("$py" -c "import json,sys; c=json.load(open(sys.argv[1]))['counts']; print(c['users'] + c['items'])" "$work/model/manifest.json")
t=$(now); mfctl import-model "$work/model" >"$work/import.out"; s=$(since "$t")
fig import_model_rows "$rows"; fig import_model_s "$s"
fig import_model_rows_per_s "$(echo "$rows $s" | awk '{ printf "%.0f", $1 / $2 }')"
t=$(now); mfctl recommend 42 --json | grep -q '"source":"model"'; fig first_recommend_after_import_s "$(since "$t")"
# The imported model's ranker, trained in the background after the import.
job=$(sed -n 's/.*ranker trains in job \([0-9]*\).*/\1/p' "$work/import.out")
mfctl job "$job" --wait >/dev/null; fig ranker_job_done_after_import_s "$(since "$t")"
grep -o 'ranker trained [a-z].*' "$work/mfd.log" | head -1 >&2 || true
grep -o 'model imported [a-z].*' "$work/mfd.log" | head -1 >&2 || true
