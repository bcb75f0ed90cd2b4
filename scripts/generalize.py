#!/usr/bin/env python3
"""The generalization check: mfd's product defaults beside the anchors on data
sets of other sizes and densities, each split by ../shared/anchors/common.py's
protocol, nothing chosen on a test file.

Usage: scripts/generalize.py --mfbench BIN --work DIR [--sets a,b,...]
Prints one JSON line per data set and a Markdown table (docs/benchmarks.md,
"Generalization"). Run by scripts/bench-generalize.sh, which builds mfbench
and picks the interpreter (needs numpy, pandas, scipy, cmfrec, implicit,
threadpoolctl).

Data sets (made under --work; the MovieLens licence keeps them out of the repository):
  ml16, ml18        ml-latest-small 2016 / 2018 (the shared splits' rows)
  ml16-dense        ml16 restricted to users with >= 100 ratings
  ml18-sparse       ml18 restricted to a seeded 30% of its users
  synth-1m          gen_synth.py: 20k users, 4k items, 1M ratings, rank 10
  synth-1m-r30      the same with rank 30 (less structure per factor)

Anchors, fitted on train only:
  cmfrec strong     CMF(k=64, lambda_=0.1, scale_lam=True, add_implicit_features=True, niter=15)
  cmfrec fixed      CMF(k=64, lambda_ in {1, 3, 10, 30} by val RMSE, niter=15), biases
  implicit          ALS(factors=64, regularization=0.05, iterations=15), alpha in {1, 5, 10, 20, 40}
                    by val NDCG@10 (the spec's alpha=1 is among them), on train ratings >= 4
mfd: `mfbench eval` with no hyperparameter flags (its search runs on train's own holdout),
and `--algo implicit` with its defaults (same budget: no test file seen).
"""
import argparse, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "anchors"))

import numpy as np
import pandas as pd
import common as C
from threadpoolctl import threadpool_limits

SETS = ["ml16", "ml18", "ml16-dense", "ml18-sparse", "synth-1m", "synth-1m-r30"]


def ratings(name, work):
    """The whole data set as a DataFrame with columns user, item, rating (file order)."""
    if name.startswith("ml"):
        year = "2016" if name.startswith("ml16") else "2018"
        df, _ = C.load_ratings(os.path.join(SHARED, "data", f"ml-latest-small-{year}"))
        if name.endswith("-dense"):
            n = df.groupby("user")["user"].transform("size")
            df = df[n >= 100]
        elif name.endswith("-sparse"):
            users = np.sort(df["user"].unique())
            keep = np.random.default_rng(0).choice(users, size=int(0.3 * len(users)), replace=False)
            df = df[df["user"].isin(keep)]
        return df.reset_index(drop=True)
    rank = "30" if name.endswith("-r30") else "10"
    out = os.path.join(work, name)
    path = os.path.join(out, "ratings.csv")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(SHARED, "anchors", "gen_synth.py"), "--out", out, "--users", "20000",
                        "--items", "4000", "--ratings", "1000000", "--rank", rank], check=True, stdout=subprocess.DEVNULL)
    df, _ = C.load_ratings(path)
    return df


def write(df, path):
    df.rename(columns={"user": "userId", "item": "itemId"})[["userId", "itemId", "rating"]].to_csv(path, index=False, float_format="%.1f")


def cmf(S, threads, **kw):
    import cmfrec
    m = cmfrec.CMF(method="als", k=64, niter=15, nthreads=threads, verbose=False, **kw)
    m.fit(pd.DataFrame({"UserId": S.tr_u, "ItemId": S.tr_i, "Rating": S.tr_r}))
    return m


def cmf_scores(m):
    def f(users):
        return m.A_[users] @ m.B_.T + m.item_bias_[None, :] + (m.user_bias_[users, None] if m.user_bias_ is not None else 0)
    return f


def cmf_rmse(m, S):
    return C.rating_metrics(m.predict(S.te_u, S.te_i), S.te_r, S.lo, S.hi)["rmse"]


def implicit_fit(S, alpha, threads):
    from implicit.cpu.als import AlternatingLeastSquares
    m = AlternatingLeastSquares(factors=64, regularization=0.05, iterations=15, alpha=alpha, random_state=0, num_threads=threads)
    with threadpool_limits(1, "blas"):
        m.fit(S.implicit_csr(), show_progress=False)
    U, V = np.asarray(m.user_factors), np.asarray(m.item_factors)
    return lambda users: U[users] @ V.T


def anchors(train, threads):
    fit, val, _ = C.split_fit_val(train)
    V = C.Split(fit, val)
    lam = min([1, 3, 10, 30], key=lambda l: cmf_rmse(cmf(V, threads, lambda_=l), V))
    alpha = max([1.0, 5.0, 10.0, 20.0, 40.0], key=lambda a: C.ranking_metrics(V, implicit_fit(V, a, threads))["ndcg@10"])
    return lam, alpha


def run(name, work, mfbench, threads):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    df = ratings(name, work)
    train, test, dropped = C.split_train_test(df)
    write(train, os.path.join(d, "train.csv")); write(test, os.path.join(d, "test.csv"))
    S = C.Split(train, test)
    lam, alpha = anchors(train, threads)
    strong = cmf(S, threads, lambda_=0.1, scale_lam=True, add_implicit_features=True)
    fixed = cmf(S, threads, lambda_=lam)
    imp = implicit_fit(S, alpha, threads)
    pop = np.bincount(S.tr_i[S.tr_r >= C.REL_THRESHOLD], minlength=S.ix.n_items).astype(float)
    row = {"set": name, "ratings": len(df), "users": int(df["user"].nunique()), "items": int(df["item"].nunique()),
           "cmfrec_strong_rmse": cmf_rmse(strong, S), "cmfrec_fixed_rmse": cmf_rmse(fixed, S), "cmfrec_fixed_lambda": lam,
           "cmfrec_strong_ndcg": C.ranking_metrics(S, cmf_scores(strong))["ndcg@10"],
           "implicit_ndcg": C.ranking_metrics(S, imp)["ndcg@10"], "implicit_alpha": alpha,
           "popularity_ndcg": C.ranking_metrics(S, lambda u: np.tile(pop, (len(u), 1)))["ndcg@10"]}
    def mfd(*extra):
        out = subprocess.run([mfbench, "eval", "--train", os.path.join(d, "train.csv"), "--test", os.path.join(d, "test.csv"),
                              "--threads", str(threads), "--json", *extra], check=True, capture_output=True, text=True).stdout
        return json.loads(out)
    m = mfd()
    row.update({"mfd_rmse": m["rmse"], "mfd_ndcg": m["ndcg_at_10"], "mfd_fit_s": m["fit_seconds"],
                "mfd_search_s": m.get("search_seconds"), "mfd_lambda": m["config"]["lambda"],
                "mfd_ranking_weight": m["config"]["ranking"]["rating_weight"]})
    plain = mfd("--iterations", "15")  # the same model without the search: what one fit costs
    row["mfd_fit_nosearch_s"] = plain["fit_seconds"]
    row["mfd_implicit_ndcg"] = mfd("--algo", "implicit")["ndcg_at_10"]
    best = min(row["cmfrec_strong_rmse"], row["cmfrec_fixed_rmse"])
    row["rmse_vs_best"] = row["mfd_rmse"] / best
    row["pass"] = bool(row["mfd_rmse"] <= 0.99 * best and row["mfd_ndcg"] >= row["implicit_ndcg"]
                       and row["mfd_implicit_ndcg"] >= row["implicit_ndcg"])
    return row


def table(rows):
    print("| data set | ratings | users | mfd RMSE | best anchor RMSE | ratio | mfd NDCG@10 | implicit NDCG@10 (α) | mfd implicit mode | mfd λ, ω | fit / without search | pass |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for r in rows:
        best = min(r["cmfrec_strong_rmse"], r["cmfrec_fixed_rmse"])
        which = "strong" if best == r["cmfrec_strong_rmse"] else f"fixed λ={r['cmfrec_fixed_lambda']}"
        print(f"| {r['set']} | {r['ratings']:,} | {r['users']:,} | {r['mfd_rmse']:.4f} | {best:.4f} ({which}) | {r['rmse_vs_best']:.3f} "
              f"| {r['mfd_ndcg']:.4f} | {r['implicit_ndcg']:.4f} ({r['implicit_alpha']:g}) | {r['mfd_implicit_ndcg']:.4f} "
              f"| {r['mfd_lambda']:.3g}, {r['mfd_ranking_weight']:.3g} | {r['mfd_fit_s']:.2f} / {r['mfd_fit_nosearch_s']:.2f} s "
              f"| {'yes' if r['pass'] else 'NO'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mfbench", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    rows = []
    for name in a.sets.split(","):
        rows.append(run(name, a.work, a.mfbench, a.threads))
        print(json.dumps(rows[-1]), flush=True)
    table(rows)
    sys.exit(0 if all(r["pass"] for r in rows) else 1)


if __name__ == "__main__":
    main()
