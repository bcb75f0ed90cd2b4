"""Pipelined batches and sharing a client between threads."""

import threading

import pytest

import mfdclient

USERS = list(range(1, 201))


def test_pipelined_batch_equals_sequential_answers(client):
    sequential = [client.recommend(u, n=10) for u in USERS]
    batch = client.recommend_many(USERS, n=10)
    assert batch == sequential
    assert [b.user for b in batch] == USERS
    pairs = [(u, 3211) for u in USERS[:50]]
    assert client.predict_many(pairs) == [client.predict(u, i) for u, i in pairs]


def test_batch_far_beyond_the_daemons_backpressure_does_not_deadlock(daemon):
    # 600 requests of ~10 KB each (a long `include`) and ~20 KB replies: many
    # times what mfd holds before it stops reading (64 requests, 256 KiB of
    # replies), with every request allowed in flight at once.
    include = list(range(1, 2001))
    users = [u % 600 + 1 for u in range(600)]
    with mfdclient.Client(daemon.socket, timeout=60, window=len(users)) as c:
        batch = c.recommend_many(users, n=200, include=include)
        assert len(batch) == len(users) and all(len(b) == 200 for b in batch)
        for i in (0, 299, 599):
            assert batch[i] == c.recommend(users[i], n=200, include=include)


def test_errors_in_a_batch(client):
    with pytest.raises(mfdclient.MFDError) as e:
        client.recommend_many([1, 2], n=0)
    assert e.value.code == "invalid_value"
    mixed = client.call_many([("ping", {}), ("recommend", {"user": 1, "n": 0}), ("predict", {"user": 1, "item": 3211})],
                             return_exceptions=True)
    assert mixed[0] == {"pong": True}
    assert isinstance(mixed[1], mfdclient.MFDError) and mixed[1].field == "n"
    assert mixed[2]["user"] == 1 and mixed[2]["item"] == 3211
    assert client.ping()  # still in step


def test_one_client_shared_by_threads(client):
    expected = {u: client.recommend(u, n=5) for u in USERS[:40]}
    failures = []

    def work(offset):
        try:
            for k in range(60):
                u = USERS[(offset * 7 + k) % 40]
                if k % 10 == 0:
                    got = client.recommend_many([u, u], n=5)
                    assert got == [expected[u], expected[u]]
                else:
                    assert client.recommend(u, n=5) == expected[u]
        except BaseException as e:  # collected for the main thread
            failures.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert not failures, failures[0]
