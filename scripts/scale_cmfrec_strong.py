#!/usr/bin/env python3
"""Fit time and peak memory of cmfrec's strongest explicit model on a ratings
CSV (the scale anchor that scripts/bench-scale.sh sets mfd's training against).

Usage:  python scripts/scale_cmfrec_strong.py --data DIR_OR_CSV [--threads 2]

Model: cmfrec.CMF(method="als", k=64, lambda_=0.1, scale_lam=True,
user_bias=True, item_bias=True, add_implicit_features=True, niter=15,
nthreads=N), fed a scipy COO matrix of every row, ids mapped to dense indices
by sorted raw id, as ../shared/anchors/bench_scale.py loads its data.
Prints one line: `cmfrec_strong fit_s F cpu_s C load_s L maxrss_mib M rows R`.
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "anchors"))
import common as C  # noqa: E402  (the anchors' own id mapping)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    from cmfrec import CMF
    from threadpoolctl import threadpool_limits

    t0 = time.perf_counter()
    path = os.path.join(args.data, "ratings.csv") if os.path.isdir(args.data) else args.data
    df = pd.read_csv(path)
    df.columns = ["user", "item", "rating"] + list(df.columns[3:])
    ix = C.Index(df)
    u = ix.uidx(df["user"]).astype(np.int32)
    i = ix.iidx(df["item"]).astype(np.int32)
    X = sp.coo_matrix((df["rating"].to_numpy(dtype=np.float64), (u, i)), shape=(ix.n_users, ix.n_items))
    del df
    load_s = time.perf_counter() - t0
    m = CMF(method="als", k=64, lambda_=0.1, scale_lam=True, user_bias=True, item_bias=True,
            add_implicit_features=True, niter=15, nthreads=args.threads, verbose=False)
    with threadpool_limits(limits=args.threads):
        c0, t0 = time.process_time(), time.perf_counter()
        m.fit(X)
        fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cmfrec_strong fit_s {fit_s:.2f} cpu_s {cpu_s:.2f} load_s {load_s:.2f} maxrss_mib {rss:.0f} rows {X.nnz}")


if __name__ == "__main__":
    main()
