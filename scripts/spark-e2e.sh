#!/usr/bin/env bash
# End-to-end: mfd ratings export -> Spark ALS (local[2]) -> interchange format
# -> mfd import -> serve -> RMSE within 2% of Spark's RegressionEvaluator.
# Extended test (issue 9): needs Java 17+ and PyPI access; .ci/run runs it
# when Java 17+ is present and says so either way.
#
# Data: ../shared/data/ml-latest-small-2016 and its split in ../shared/splits
# (never copied into the project). Exit 0 = passed, 1 = failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=$(realpath "$root/../shared" 2>/dev/null || true)
split=$shared/splits/ml-latest-small-2016
data=$shared/data/ml-latest-small-2016
venv=${SPARK_VENV:-/tmp/spark-venv}
work=$(mktemp -d /tmp/spark-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ -f "$split/train.csv" ] && [ -f "$data/ratings.csv" ] || { echo "spark-e2e: $split or $data missing"; exit 1; }
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${java_major:-0}" -ge 17 ] || { echo "spark-e2e: needs Java 17+ (found '${java_major:-none}')"; exit 1; }

# pyspark from PyPI into a venv (reused between runs).
if ! "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pyspark numpy
fi
py=$venv/bin/python
echo "spark-e2e: pyspark $("$py" -c 'import pyspark; print(pyspark.__version__)'), Java $java_major"

# --- 1. export ----------------------------------------------------------------
# PHASE 2: replace this block by loading train.csv into a fresh mfd and
#   mfctl import ratings "$split/train.csv"   (or mfbench load)
#   mfctl export ratings "$work/export"
# Until then, write the export layout (docs/scale-out.md) directly from the
# train split, with timestamps recovered from ratings.csv.
t=$SECONDS
"$py" - "$split/train.csv" "$data/ratings.csv" "$work/export" <<'PY'
import csv, os, sys
train, ratings, out = sys.argv[1:]
ts = {}
with open(ratings) as f:
    for r in csv.DictReader(f):
        ts[(r["userId"], r["movieId"])] = r["timestamp"]
os.makedirs(out)
rows_per_part, part, n, w, fh = 25000, 0, 0, None, None
with open(train) as f:
    for r in csv.DictReader(f):
        if n % rows_per_part == 0:
            if fh: fh.close()
            fh = open(os.path.join(out, "part-%05d.csv" % part), "w", newline="")
            w = csv.writer(fh, lineterminator="\n"); w.writerow(["userId", "itemId", "rating", "timestamp"]); part += 1
        w.writerow([r["userId"], r["itemId"], r["rating"], ts[(r["userId"], r["itemId"])]])
        n += 1
fh.close()
print(f"export: {n} ratings in {part} parts")
PY
echo "spark-e2e: export took $((SECONDS - t))s"

# --- 2. Spark ALS ----------------------------------------------------------------
t=$SECONDS
"$py" contrib/spark/train_als.py "$work/export" --output "$work/model" --master "local[2]" \
  --rank "${SPARK_RANK:-32}" --iterations "${SPARK_ITER:-15}" --reg "${SPARK_REG:-0.1}" --test "$split/test.csv" \
  | tee "$work/train.log"
echo "spark-e2e: Spark job took $((SECONDS - t))s (including JVM start)"

# Check the interchange format (docs/scale-out.md) without trusting the writer.
"$py" - "$work/model" "$work/export" <<'PY'
import csv, glob, json, math, os, sys
model, export = sys.argv[1:]
m = json.load(open(os.path.join(model, "manifest.json")))
assert m["format"] == "mfd-model" and m["formatVersion"] == 1, m
assert m["algorithm"] in ("spark-als-explicit", "spark-als-implicit")
k = m["k"]
users, items = set(), set()
for p in glob.glob(os.path.join(export, "part-*.csv")):
    for r in csv.DictReader(open(p)):
        users.add(int(r["userId"])); items.add(int(r["itemId"]))
for name, ids in (("users.csv", users), ("items.csv", items)):
    with open(os.path.join(model, name)) as f:
        rd = csv.reader(f)
        header = next(rd)
        assert header == ["id", "bias"] + [f"f{j}" for j in range(k)], header[:4]
        seen = set()
        for row in rd:
            assert len(row) == k + 2, (name, row[:2])
            vals = [float(v) for v in row[1:]]
            assert all(math.isfinite(v) for v in vals), row[0]
            seen.add(int(row[0]))
        assert seen == ids, (name, len(seen), len(ids))
        assert m["counts"][name[:-4]] == len(ids)
assert m["counts"]["ratings"] > 0 and 0 < m["globalMean"] <= 5
print(f"format: manifest ok; {len(users)} users, {len(items)} items, k={k}, mu={m['globalMean']:.4f}")
PY
spark_rmse=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['rmse'])" "$work/model/spark-eval.json")
echo "spark-e2e: Spark RegressionEvaluator RMSE on test.csv: $spark_rmse"

# --- 3.-5. import, serve, compare ---------------------------------------------------
# PHASE 2: with a fresh daemon on $work/mfd.sqlite that holds the same ratings:
#   mfctl import-model "$work/model"
#   mfctl recommend 42                       # must list 10 items from the Spark model
#   mfd_rmse=$(mfctl evaluate "$split/test.csv" --json | jq .rmse)   (or mfbench eval)
#   awk -v a="$mfd_rmse" -v b="$spark_rmse" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; exit !(d <= 0.02) }'
# Until mfd can import, check the 2% comparison against an independent
# re-scoring of the written files (what mfd will compute from them).
"$py" - "$work/model" "$split/test.csv" "$spark_rmse" <<'PY'
import csv, json, math, os, sys
model, test, spark_rmse = sys.argv[1], sys.argv[2], float(sys.argv[3])
m = json.load(open(os.path.join(model, "manifest.json")))
def load(name):
    with open(os.path.join(model, name)) as f:
        rd = csv.reader(f); next(rd)
        return {int(r[0]): (float(r[1]), [float(v) for v in r[2:]]) for r in rd}
U, I = load("users.csv"), load("items.csv")
se = n = 0
for r in csv.DictReader(open(test)):
    u, i = int(r["userId"]), int(r["itemId"])
    if u not in U or i not in I: continue
    (bu, p), (bi, q) = U[u], I[i]
    pred = m["globalMean"] + bu + bi + sum(a * b for a, b in zip(p, q))
    se += (float(r["rating"]) - pred) ** 2; n += 1
rmse = math.sqrt(se / n)
rel = abs(rmse - spark_rmse) / spark_rmse
print(f"rescore from files: rmse={rmse:.6f} over {n} rows; Spark {spark_rmse:.6f}; difference {100*rel:.3f}%")
sys.exit(0 if rel <= 0.02 else 1)
PY
echo "spark-e2e: PASSED (phase-1 scope: export layout, Spark train, format, RMSE re-score)"
