#!/usr/bin/env python3
"""Cold-start comparison: cmfrec CMF with side information, on exactly the
protocol of `mfbench coldstart` (see Sources/mfbench/ColdStartCommand.swift).

Usage: python scripts/coldstart_cmfrec.py --train ../shared/splits/ml-latest-small-2016/train.csv \
          --test ../shared/splits/ml-latest-small-2016/test.csv \
          --user-info ../shared/data/ml-latest-small-2016/users.csv \
          --item-info ../shared/data/ml-latest-small-2016/movies.csv [--cold 0.2] [--json]

Cold ids: sorted unique train ids at positions j with floor((j+1)f) > floor(j f).
Cold users: train on the other users' train rows; evaluate every train+test row
of a cold user on a warm item; a cold user's factors come from
`factors_cold(U=...)` (attributes only; ratings-only model: zero factors),
prediction mu + b_i + a.B_i clipped to the warm rating range; ranking over all
warm items by the unclipped prediction. Cold items: train on the rows of the
other items; evaluate every row of a cold item by a warm user; item factors from
`item_factors_cold(I=...)`, prediction mu + b_u + A_u.b; each warm user with a
relevant (>= 4) cold row ranks the cold items only. NDCG@10 with binary gains,
ties to the lower index.  U = [age, time_spent_per_day] standardized over warm
users; I = one-hot genres (cmfrec centres both: center_U/center_I default).
Model: CMF(k=64, lambda_=10, user_bias, item_bias) = the anchors' tuned CMF.
"""
import argparse
import json
import math

import numpy as np
import pandas as pd
import scipy.sparse as sp
from cmfrec import CMF

PARAMS = dict(k=64, lambda_=10.0, user_bias=True, item_bias=True, verbose=False, nthreads=2, random_state=1)


def load(p):
    df = pd.read_csv(p)
    cols = {c.lower(): c for c in df.columns}
    u = cols.get("userid"); i = cols.get("itemid") or cols.get("movieid")
    return pd.DataFrame({"u": df[u].to_numpy(), "i": df[i].to_numpy(), "r": df[cols["rating"]].to_numpy(np.float64)})


def pick(ids, f):
    return {ids[j] for j in range(len(ids)) if math.floor((j + 1) * f) > math.floor(j * f)}


def ndcg(lists):
    disc = 1 / np.log2(np.arange(2, 12))
    s = 0.0
    for top, rel in lists:
        dcg = sum(disc[r] for r, x in enumerate(top[:10]) if x in rel)
        s += dcg / disc[:min(10, len(rel))].sum()
    return s / max(len(lists), 1)


def top10(scores):
    return list(np.lexsort((np.arange(len(scores)), -scores))[:10])


def user_matrix(users_csv, ids):
    a = pd.read_csv(users_csv).set_index("userId")[["age", "time_spent_per_day"]].astype(np.float64)
    U = a.reindex(ids).to_numpy()
    return U


def item_matrix(movies_csv, ids, genres=None):
    m = pd.read_csv(movies_csv).set_index("movieId")["genres"]
    if genres is None:
        genres = sorted({g for s in m.reindex(ids).dropna() for g in s.split("|")})
    I = np.full((len(ids), len(genres)), np.nan)
    for r, x in enumerate(ids):
        if x in m.index:
            gs = set(m[x].split("|"))
            I[r] = [1.0 if g in gs else 0.0 for g in genres]
    return I, genres


def fit(warm, um, im, U=None, I=None):
    X = sp.coo_matrix((warm.r.to_numpy(), (warm.u.map({x: j for j, x in enumerate(um)}).to_numpy(),
                                            warm.i.map({x: j for j, x in enumerate(im)}).to_numpy())),
                      shape=(len(um), len(im)))
    m = CMF(**PARAMS)
    m.fit(X, U=U, I=I)
    return m


def experiment_users(tr, te, args, out):
    cold = pick(sorted(tr.u.unique()), args.cold)
    warm = tr[~tr.u.isin(cold)]
    um, im = sorted(warm.u.unique()), sorted(warm.i.unique())
    ix = {x: j for j, x in enumerate(im)}
    ev = pd.concat([tr, te]); ev = ev[ev.u.isin(cold) & ev.i.isin(ix)]
    lo, hi = warm.r.min(), warm.r.max()
    Uall = user_matrix(args.user_info, um)
    mean, sd = np.nanmean(Uall, axis=0), np.nanstd(Uall, axis=0)
    std = lambda X: (X - mean) / np.where(sd > 0, sd, 1)
    Iw, genres = item_matrix(args.item_info, im)
    users = sorted(ev.u.unique())
    rank_users = [u for u in users if (ev[(ev.u == u)].r >= 4).any()]
    raw_cold = user_matrix(args.user_info, users)
    for name, useU, useI in [("cmfrec CMF ratings only", False, False), ("cmfrec CMF + U", True, False),
                             ("cmfrec CMF + I", False, True), ("cmfrec CMF + U + I", True, True)]:
        m = fit(warm, um, im, U=std(Uall) if useU else None, I=Iw if useI else None)
        B, bi, mu = np.asarray(m.B_), np.asarray(m.item_bias_), float(m.glob_mean_)
        vec = {}
        for r, u in enumerate(users):
            vec[u] = np.asarray(m.factors_cold(U=std(raw_cold[r]))) if useU and not np.isnan(raw_cold[r]).all() else np.zeros(B.shape[1])
        pred = np.array([mu + bi[ix[i]] + vec[u] @ B[ix[i]] for u, i in zip(ev.u, ev.i)])
        rmse = float(np.sqrt(np.mean((np.clip(pred, lo, hi) - ev.r.to_numpy()) ** 2)))
        lists = []
        for u in rank_users:
            s = mu + bi + B @ vec[u]
            rel = {ix[i] for i in ev[(ev.u == u) & (ev.r >= 4)].i}
            lists.append((top10(s), rel))
        out.append({"experiment": "cold users", "model": name, "rmse": rmse, "ndcg_at_10": ndcg(lists),
                    "rows": len(ev), "users": len(rank_users)})


def experiment_items(tr, te, args, out):
    cold = sorted(pick(sorted(tr.i.unique()), args.cold))
    warm = tr[~tr.i.isin(set(cold))]
    um, im = sorted(warm.u.unique()), sorted(warm.i.unique())
    ux = {x: j for j, x in enumerate(um)}; cx = {x: j for j, x in enumerate(cold)}
    ev = pd.concat([tr, te]); ev = ev[ev.i.isin(cx) & ev.u.isin(ux)]
    lo, hi = warm.r.min(), warm.r.max()
    Iw, genres = item_matrix(args.item_info, im)
    Ic, _ = item_matrix(args.item_info, cold, genres)
    Uall = user_matrix(args.user_info, um)
    mean, sd = np.nanmean(Uall, axis=0), np.nanstd(Uall, axis=0)
    Uw = (Uall - mean) / np.where(sd > 0, sd, 1)
    rank_users = sorted(u for u in ev.u.unique() if (ev[ev.u == u].r >= 4).any())
    for name, useU, useI in [("cmfrec CMF ratings only", False, False), ("cmfrec CMF + U", True, False),
                             ("cmfrec CMF + I", False, True), ("cmfrec CMF + U + I", True, True)]:
        m = fit(warm, um, im, U=Uw if useU else None, I=Iw if useI else None)
        A, bu, mu = np.asarray(m.A_), np.asarray(m.user_bias_), float(m.glob_mean_)
        D = np.stack([np.asarray(m.item_factors_cold(I=Ic[j])) if useI and not np.isnan(Ic[j]).all()
                      else np.zeros(A.shape[1]) for j in range(len(cold))])
        pred = np.array([mu + bu[ux[u]] + A[ux[u]] @ D[cx[i]] for u, i in zip(ev.u, ev.i)])
        rmse = float(np.sqrt(np.mean((np.clip(pred, lo, hi) - ev.r.to_numpy()) ** 2)))
        lists = []
        for u in rank_users:
            s = mu + bu[ux[u]] + D @ A[ux[u]]
            rel = {cx[i] for i in ev[(ev.u == u) & (ev.r >= 4)].i}
            lists.append((top10(s), rel))
        out.append({"experiment": "cold items", "model": name, "rmse": rmse, "ndcg_at_10": ndcg(lists),
                    "rows": len(ev), "users": len(rank_users)})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True); ap.add_argument("--test", required=True)
    ap.add_argument("--user-info", required=True); ap.add_argument("--item-info", required=True)
    ap.add_argument("--cold", type=float, default=0.2); ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tr, te = load(args.train), load(args.test)
    out = []
    experiment_users(tr, te, args, out)
    experiment_items(tr, te, args, out)
    if args.json:
        print(json.dumps(out, sort_keys=True))
    else:
        for r in out:
            print(f"{r['experiment']:<11} {r['model']:<34} rmse {r['rmse']:.4f}  NDCG@10 {r['ndcg_at_10']:.4f}  "
                  f"({r['rows']} rows, {r['users']} ranked users)")


if __name__ == "__main__":
    main()
