#!/usr/bin/env python3
"""Side-by-side fit time of `implicit` ALS for scripts/bench-implicit.sh.

Fits implicit.cpu.als.AlternatingLeastSquares(factors, regularization,
iterations, alpha, cg, float32, random_state=0) on the binary user x item CSR
of TRAIN rows with rating >= 4 (users/items indexed by sorted id, as the anchor
protocol), with OpenBLAS at 1 thread and num_threads = --threads, like
../shared/anchors/bench_implicit.py.  Prints the median wall time of
--repeats fits (fit call only) as JSON.
"""
import argparse
import json
import statistics
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits
from implicit.cpu.als import AlternatingLeastSquares


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--factors", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--regularization", type=float, default=0.05)
    ap.add_argument("--alpha", type=float, default=1.0)
    a = ap.parse_args()
    df = pd.read_csv(a.train)
    item_col = "itemId" if "itemId" in df.columns else "movieId"
    users = np.sort(df.userId.unique()); items = np.sort(df[item_col].unique())
    pos = df[df.rating >= 4.0]
    X = sp.csr_matrix((np.ones(len(pos), dtype=np.float32),
                       (np.searchsorted(users, pos.userId), np.searchsorted(items, pos[item_col]))),
                      shape=(len(users), len(items)))
    times = []
    with threadpool_limits(limits=1, user_api="blas"), threadpool_limits(limits=a.threads, user_api="openmp"):
        for _ in range(a.repeats):
            m = AlternatingLeastSquares(factors=a.factors, regularization=a.regularization, iterations=a.iterations,
                                        alpha=a.alpha, random_state=0, num_threads=a.threads)
            t = time.perf_counter()
            m.fit(X, show_progress=False)
            times.append(time.perf_counter() - t)
    print(json.dumps({"library": "implicit", "threads": a.threads, "fit_seconds": statistics.median(times),
                      "fit_seconds_all": times, "interactions": int(X.nnz)}))


if __name__ == "__main__":
    main()
