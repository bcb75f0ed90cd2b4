#!/usr/bin/env python3
"""Train a matrix-factorization model on Apache Spark for mfd to serve.

Reads an mfd ratings export (``mfctl export ratings DIR``: ``DIR/part-NNNNN.csv``
with header ``userId,itemId,rating,timestamp``), trains
``pyspark.ml.recommendation.ALS`` and writes the interchange format that
``mfctl import-model OUT`` loads (see docs/scale-out.md):

    OUT/manifest.json   format version, algorithm, k, mu, hyperparameters, counts
    OUT/user_factors.npy, OUT/user_factors_ids.npy, OUT/user_factors_biases.npy
    OUT/item_factors.npy, OUT/item_factors_ids.npy, OUT/item_factors_biases.npy
                        (--format npy, the default: float32 (n, k), int64 (n,), float32 (n,))
    OUT/users.csv, OUT/items.csv
                        (--format csv: id,bias,f0,...,f{k-1})

Explicit mode (default): Spark's ALS has no bias terms, so the global mean mu and
regularized user/item biases are fitted first (a few alternating passes of
b_u = sum(r - mu - b_i) / (n_u + lambda_u), b_i = sum(r - mu - b_u) / (n_i + lambda_i))
and ALS is trained on the residuals r - mu - b_u - b_i. The served prediction is
mu + b_u + b_i + <p_u, q_i>.

Implicit mode (--implicit): ALS.trainImplicit semantics on the raw ratings
(confidence 1 + alpha * r); mu and biases are written as 0 and the score is <p_u, q_i>.

Run locally:   python3 train_als.py EXPORT_DIR --output MODEL_DIR
On a cluster:  spark-submit --master yarn train_als.py hdfs:///exports/r --output /local/model
With --test CSV (header userId,itemId,rating) it prints the RMSE that Spark's own
RegressionEvaluator reports for the exported model on those rows.
"""
import argparse
import glob
import json
import math
import os
import shutil
import sys
import tempfile
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="ratings export directory (part-*.csv) or a single CSV file")
    p.add_argument("--output", required=True, help="model directory to write (created; must be empty)")
    p.add_argument("--rank", "-k", type=int, default=64, help="number of factors k (default 64)")
    p.add_argument("--reg", type=float, default=0.05, help="ALS regParam (Spark scales it by each row's count)")
    p.add_argument("--iterations", type=int, default=15, help="ALS maxIter (default 15)")
    p.add_argument("--implicit", action="store_true", help="implicit-feedback ALS instead of explicit")
    p.add_argument("--alpha", type=float, default=1.0, help="implicit confidence scale (default 1.0)")
    p.add_argument("--bias-reg-user", type=float, default=5.0, help="lambda_u for user biases (default 5)")
    p.add_argument("--bias-reg-item", type=float, default=5.0, help="lambda_i for item biases (default 5)")
    p.add_argument("--bias-passes", type=int, default=3, help="alternating bias passes (default 3)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--master", default=None, help="Spark master; default: spark-submit's, else local[*]")
    p.add_argument("--test", default=None, help="CSV userId,itemId,rating: print RegressionEvaluator RMSE")
    p.add_argument("--format", choices=("npy", "csv"), default="npy",
                   help="factor files: npy (binary, default; what mfd imports fastest) or csv")
    p.add_argument("--shuffle-partitions", type=int, default=None,
                   help="spark.sql.shuffle.partitions (default: 4 on local masters, Spark's own otherwise)")
    p.add_argument("--block-size", type=int, default=None, help="ALS numUserBlocks/numItemBlocks")
    p.add_argument("--checkpoint-dir", default=None,
                   help="Spark checkpoint directory (HDFS/S3 on a cluster); default: a temporary "
                        "directory on local masters. ALS checkpoints every 5 iterations there, which "
                        "keeps the factors' lineage short (without it, evaluating the model can die "
                        "of StackOverflowError)")
    args = p.parse_args(argv)
    if args.rank < 1 or args.iterations < 1 or args.reg < 0 or args.bias_passes < 0:
        p.error("--rank and --iterations must be >= 1, --reg and --bias-passes >= 0")
    return args


def fail(msg):
    print(f"train_als: error: {msg}", file=sys.stderr)
    sys.exit(1)


def export_sequence(path):
    """The store sequence `mfctl export ratings` recorded in DIR/_mfd_export.json
    (local exports only); mfd folds in ratings changed after it on import."""
    info = os.path.join(path, "_mfd_export.json")
    try:
        with open(info) as f:
            return json.load(f).get("sequence")
    except (OSError, ValueError):
        return None


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if os.path.exists(args.output) and os.listdir(args.output):
        fail(f"--output {args.output}: directory exists and is not empty")
    from pyspark.sql import SparkSession, functions as F, types as T
    from pyspark.ml.recommendation import ALS
    from pyspark.ml.evaluation import RegressionEvaluator

    # No console progress bars: they garble the summary lines on stdout.
    builder = SparkSession.builder.appName("mfd-train-als").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    elif "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", "") and not os.environ.get("SPARK_ENV_LOADED"):
        builder = builder.master("local[*]")
    local = (args.master or "local").startswith("local") and "SPARK_ENV_LOADED" not in os.environ
    partitions = args.shuffle_partitions or (4 if local else None)
    if partitions:
        # Spark's default of 200 shuffle partitions makes every join of a small
        # data set on a laptop take seconds of pure task overhead.
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    checkpoint_dir = args.checkpoint_dir or (tempfile.mkdtemp(prefix="mfd-als-ckpt-") if local else None)
    if checkpoint_dir:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)
    t0 = time.time()

    schema = T.StructType([
        T.StructField("userId", T.LongType(), False),
        T.StructField("itemId", T.LongType(), False),
        T.StructField("rating", T.DoubleType(), False),
        T.StructField("timestamp", T.LongType(), True),
    ])
    if os.path.isfile(args.input) or "://" in args.input:
        path = args.input
    else:
        # A local export directory: list its parts here (a glob path makes Spark
        # log a FileNotFoundException while it looks for a metadata directory).
        path = sorted(glob.glob(os.path.join(args.input, "part-*.csv")))
        if not path:
            sys.exit(f"train_als: no part-*.csv files in {args.input} (expected `mfctl export ratings DIR` output)")
    raw = spark.read.csv(path, header=True, schema=schema, mode="FAILFAST")
    bad = raw.filter(F.col("userId").isNull() | F.col("itemId").isNull() | F.col("rating").isNull()
                     | F.isnan("rating")).limit(1).collect()
    if bad:
        fail(f"{path}: row with a missing or invalid field: {bad[0]}")
    ratings = raw.select("userId", "itemId", "rating").cache()

    # Spark's ALS needs 32-bit IDs; mfd IDs are 64-bit and sparse: map to dense indices.
    def dense(col, name):
        ids = ratings.select(col).distinct().rdd.map(lambda r: r[0]).zipWithIndex()
        return spark.createDataFrame(ids, [col, name]).cache()

    users, items = dense("userId", "u"), dense("itemId", "i")
    df = ratings.join(users, "userId").join(items, "itemId").cache()
    stats = df.agg(F.count("*").alias("n"), F.avg("rating").alias("mu"),
                   F.min("rating").alias("lo"), F.max("rating").alias("hi")).first()
    if stats.n == 0:
        fail(f"{path}: no ratings")
    n_users, n_items = users.count(), items.count()

    # Biases: alternating regularized means of the residual.
    mu = 0.0 if args.implicit else float(stats.mu)
    bu = users.select("u", F.lit(0.0).alias("bu"))
    bi = items.select("i", F.lit(0.0).alias("bi"))
    if not args.implicit:
        for _ in range(args.bias_passes):
            bu = (df.join(bi, "i").groupBy("u")
                  .agg((F.sum(F.col("rating") - mu - F.col("bi")) / (F.count("*") + args.bias_reg_user)).alias("bu"))
                  .localCheckpoint())  # materialize now and cut the lineage between passes
            bi = (df.join(bu, "u").groupBy("i")
                  .agg((F.sum(F.col("rating") - mu - F.col("bu")) / (F.count("*") + args.bias_reg_item)).alias("bi"))
                  .localCheckpoint())
        residual = (df.join(bu, "u").join(bi, "i")
                    .select("u", "i", (F.col("rating") - mu - F.col("bu") - F.col("bi")).alias("r")))
    else:
        residual = df.select("u", "i", F.col("rating").alias("r"))

    als = ALS(rank=args.rank, maxIter=args.iterations, regParam=args.reg, implicitPrefs=args.implicit,
              alpha=args.alpha, userCol="u", itemCol="i", ratingCol="r", seed=args.seed,
              nonnegative=False, coldStartStrategy="drop", checkpointInterval=5)
    if args.block_size:
        als = als.setNumUserBlocks(args.block_size).setNumItemBlocks(args.block_size)
    t_als = time.time()
    model = als.fit(residual.cache())
    train_s = time.time() - t0
    als_s = time.time() - t_als

    os.makedirs(args.output, exist_ok=True)
    k = args.rank

    def factor_rows(factors, ids, id_col, idx_col, biases, bias_col):
        return (factors.withColumnRenamed("id", idx_col).join(ids, idx_col).join(biases, idx_col, "left")
                .select(id_col, F.coalesce(F.col(bias_col), F.lit(0.0)).alias("b"), "features"))

    def write_csv(name, rows, n):
        # Stream to one CSV on the driver (toLocalIterator holds one partition at a time).
        count = 0
        with open(os.path.join(args.output, name + ".csv"), "w") as out:
            out.write("id,bias," + ",".join(f"f{j}" for j in range(k)) + "\n")
            for r in rows.toLocalIterator():
                vals = [r[1]] + list(r[2])
                if any(not math.isfinite(v) for v in vals):
                    fail(f"{name}.csv: non-finite value for id {r[0]}")
                # %.9g round-trips a float32 exactly.
                out.write(str(r[0]) + "," + ",".join("%.9g" % v for v in vals) + "\n")
                count += 1
        return count, name + ".csv"

    def write_npy(name, rows, n):
        # NAME.npy (float32 n x k), NAME_ids.npy (int64), NAME_biases.npy (float32):
        # memory-mapped, filled in batches as toLocalIterator hands over one
        # partition at a time, so the driver never holds the factor table.
        import numpy as np
        from numpy.lib.format import open_memmap
        base = os.path.join(args.output, name)
        f = open_memmap(base + ".npy", mode="w+", dtype="<f4", shape=(n, k))
        ids = open_memmap(base + "_ids.npy", mode="w+", dtype="<i8", shape=(n,))
        b = open_memmap(base + "_biases.npy", mode="w+", dtype="<f4", shape=(n,))
        count, batch = 0, []

        def flush():
            nonlocal count
            if count + len(batch) > n:
                fail(f"{name}: more than the {n} rows counted before")
            end = count + len(batch)
            ids[count:end] = [r[0] for r in batch]
            b[count:end] = [r[1] for r in batch]
            f[count:end] = [r[2] for r in batch]
            if not (np.isfinite(b[count:end]).all() and np.isfinite(f[count:end]).all()):
                fail(f"{name}: non-finite value among rows {count}..{end - 1}")
            count = end
            batch.clear()

        for r in rows.toLocalIterator():
            batch.append(r)
            if len(batch) == 65536:
                flush()
        flush()
        for a in (f, ids, b):
            a.flush()
        del f, ids, b
        return count, name + ".npy"

    write = write_npy if args.format == "npy" else write_csv
    n_user_rows, user_file = write("user_factors" if args.format == "npy" else "users",
                                   factor_rows(model.userFactors, users, "userId", "u", bu, "bu"), n_users)
    n_item_rows, item_file = write("item_factors" if args.format == "npy" else "items",
                                   factor_rows(model.itemFactors, items, "itemId", "i", bi, "bi"), n_items)
    write_s = time.time() - t0 - train_s
    manifest = {
        "format": "mfd-model",
        "formatVersion": 1,
        "algorithm": "spark-als-implicit" if args.implicit else "spark-als-explicit",
        "k": k,
        "globalMean": mu,
        "score": "dot" if args.implicit else "globalMean + userBias + itemBias + dot",
        "hyperparameters": {
            "regParam": args.reg, "regScaledByCount": True, "maxIter": args.iterations,
            "alpha": args.alpha if args.implicit else None, "biasRegUser": args.bias_reg_user,
            "biasRegItem": args.bias_reg_item, "biasPasses": 0 if args.implicit else args.bias_passes,
            "seed": args.seed,
        },
        "counts": {"ratings": int(stats.n), "users": n_user_rows, "items": n_item_rows},
        "ratingMin": float(stats.lo), "ratingMax": float(stats.hi),
        "files": {"users": user_file, "items": item_file},
        "exportSequence": export_sequence(args.input),
        "createdBy": "contrib/spark/train_als.py", "sparkVersion": spark.version,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with open(os.path.join(args.output, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=2)
        out.write("\n")
    total_s = time.time() - t0
    print(f"train_als: {stats.n} ratings, {n_users} users, {n_items} items; k={k}; "
          f"fit {train_s:.1f}s (ALS {als_s:.1f}s), write {write_s:.1f}s, total {total_s:.1f}s; wrote {args.output} ({args.format})")
    if n_user_rows != n_users or n_item_rows != n_items:
        fail(f"factor rows ({n_user_rows} users, {n_item_rows} items) do not match the data")

    if args.test:
        test = spark.read.csv(args.test, header=True, inferSchema=False).select(
            F.col("userId").cast("long"), F.col("itemId").cast("long"), F.col("rating").cast("double"))
        t = test.join(users, "userId").join(items, "itemId")
        pred = model.transform(t)  # coldStartStrategy=drop: rows with unknown users/items vanish
        if not args.implicit:
            pred = (pred.join(bu, "u", "left").join(bi, "i", "left")
                    .withColumn("prediction", F.lit(mu) + F.coalesce("bu", F.lit(0.0))
                                + F.coalesce("bi", F.lit(0.0)) + F.col("prediction")))
            clipped = pred.withColumn("prediction", F.least(F.greatest("prediction", F.lit(float(stats.lo))),
                                                            F.lit(float(stats.hi))))
        evaluator = RegressionEvaluator(metricName="rmse", labelCol="rating", predictionCol="prediction")
        n_test, n_scored = test.count(), pred.count()
        rmse = evaluator.evaluate(pred)
        line = f"test: {args.test}: {n_scored}/{n_test} rows scored; RegressionEvaluator rmse={rmse:.6f}"
        if not args.implicit:
            line += f", clipped to [{stats.lo}, {stats.hi}] rmse={evaluator.evaluate(clipped):.6f}"
        print(line)
        with open(os.path.join(args.output, "spark-eval.json"), "w") as out:
            json.dump({"test": args.test, "rows": n_test, "scored": n_scored, "rmse": rmse,
                       "rmseClipped": evaluator.evaluate(clipped) if not args.implicit else None}, out)
    spark.stop()
    if checkpoint_dir and not args.checkpoint_dir:
        shutil.rmtree(checkpoint_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
