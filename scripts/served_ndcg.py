#!/usr/bin/env python3
"""NDCG@10 of what a running mfd serves, under the anchors' protocol.

    served_ndcg.py SPLIT_DIR --socket PATH   NDCG@10 of `recommend` for the split's users
    served_ndcg.py SPLIT_DIR --popularity    the popularity baseline on the same split

SPLIT_DIR holds train.csv and test.csv (../shared/splits/NAME). The protocol is
../shared/anchors/common.py's, used from there: relevant items are a user's test
items rated >= 4, the evaluated users those with one or more, the candidates
every item of the training catalogue the user did not rate in train, binary
gains. The popularity baseline is the anchors' strongest one (the count of an
item's train ratings >= 4, ties to the lower item id), scored by common.py's
own ranking_metrics. For the daemon, each user's top 10 is `recommend`'s list
(rated items excluded by mfd) with any item outside the training catalogue
dropped; the NDCG is common.py's formula over that list. Prints the figure.
"""
import argparse
import json
import os
import socket
import sys
import threading

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "anchors"))
import common as C  # noqa: E402


def load_split(d):
    train = C._rename(pd.read_csv(os.path.join(d, "train.csv")))
    test = C._rename(pd.read_csv(os.path.join(d, "test.csv")))
    return C.Split(train, test)


def popularity(S):
    cnt = np.bincount(S.tr_i[S.tr_r >= C.REL_THRESHOLD], minlength=S.ix.n_items).astype(np.float64)
    return C.ranking_metrics(S, lambda users: np.broadcast_to(cnt, (len(users), len(cnt))))["ndcg@10"]


def served_lists(path, users, n):
    """recommend {user, n} for every user, pipelined on one connection: {user: [item ids]}."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(120)
    f = s.makefile("rb")

    # A writer thread while this one reads: mfd stops reading a connection whose
    # replies are not read (backpressure), so writing everything first could stall.
    def send():
        w = s.makefile("wb")
        for k, u in enumerate(users):
            w.write(json.dumps({"id": k, "op": "recommend", "user": int(u), "n": n}).encode() + b"\n")
        w.flush()

    threading.Thread(target=send, daemon=True).start()
    out = {}
    for k, u in enumerate(users):
        r = json.loads(f.readline())
        if not r.get("ok") or r.get("id") != k:
            sys.exit(f"served_ndcg: recommend {u}: {r}")
        out[int(u)] = [it["item"] for it in r["result"]["items"]]
    s.close()
    return out


def served(S, path):
    users_raw = S.ix.users[S.eval_users]
    catalogue = set(int(i) for i in S.ix.items)
    disc = 1.0 / np.log2(np.arange(2, C.TOPK + 2))
    n, todo, top = 3 * C.TOPK, list(users_raw), {}
    while todo:
        lists = served_lists(path, todo, n)
        again = []
        for u, items in lists.items():
            kept = [i for i in items if i in catalogue][:C.TOPK]
            # Too few left after dropping items outside the catalogue, and more were there: ask for more.
            if len(kept) < C.TOPK and len(items) == n and n < 1000:
                again.append(u)
            else:
                top[u] = kept
        todo, n = again, min(1000, n * 4)
    ndcg = []
    for u_idx, u_raw in zip(S.eval_users, users_raw):
        rel = set(int(i) for i in S.ix.items[S.rel[int(u_idx)]])
        hit = np.array([1.0 if i in rel else 0.0 for i in top[int(u_raw)]] + [0.0] * (C.TOPK - len(top[int(u_raw)])))
        idcg = disc[:min(C.TOPK, len(rel))].sum()
        ndcg.append(float((disc * hit).sum() / idcg))
    return float(np.mean(ndcg))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("split", help="directory with train.csv and test.csv")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--socket", help="mfd's socket: score what recommend serves")
    g.add_argument("--popularity", action="store_true", help="score the popularity baseline")
    a = p.parse_args()
    S = load_split(a.split)
    print(f"{popularity(S) if a.popularity else served(S, a.socket):.4f}")


if __name__ == "__main__":
    main()
