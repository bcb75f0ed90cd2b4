"""Read operations against the demo daemon."""

import mfdclient


def test_recommend_user_42_returns_ten_titled_items(client):
    recs = client.recommend(42)
    assert isinstance(recs, mfdclient.Recommendations)
    assert len(recs) == 10
    assert recs.user == 42 and recs.source == "model"
    for r in recs:
        assert isinstance(r, mfdclient.Recommendation)
        assert isinstance(r.item, int)
        assert isinstance(r.title, str) and r.title
        assert r.genres and all(isinstance(g, str) for g in r.genres)
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)


def test_recommend_parameters(client):
    top = client.recommend(42, n=5)
    assert len(top) == 5
    skipped = client.recommend(42, n=5, exclude=[top[0].item, top[1].item])
    assert top[0].item not in [r.item for r in skipped]
    assert [r.item for r in skipped][:3] == [r.item for r in top][2:5]
    only = client.recommend(42, n=10, include=[top[2].item, top[4].item])
    assert sorted(r.item for r in only) == sorted([top[2].item, top[4].item])
    assert client.recommend(42, include=[]) == []
    explained = client.recommend(42, n=2, explain=True)
    assert all(r.because and all(isinstance(b, mfdclient.Because) and b.share > 0 for b in r.because)
               for r in explained)
    seen = {r.item for r in client.user(42, top=1000).top_rated}
    with_seen = client.recommend(42, n=50, exclude_seen=False)
    assert {r.item for r in client.recommend(42, n=50)}.isdisjoint(seen)
    assert len(with_seen) == 50


def test_recommend_unknown_user_gets_popular_items(client):
    recs = client.recommend(987654321, n=3)
    assert recs.source == "popular" and len(recs) == 3


def test_predict(client):
    p = client.predict(42, 155)
    assert isinstance(p, mfdclient.Prediction)
    assert (p.user, p.item, p.source) == (42, 155, "model")
    assert 0.5 <= p.value <= 5.5


def test_similar_items_and_users(client):
    items = client.similar_items(3211, n=3)
    assert len(items) == 3 and all(isinstance(s, mfdclient.SimilarItem) and -1 <= s.score <= 1 for s in items)
    assert all(s.title for s in items)
    users = client.similar_users(42, n=4)
    assert len(users) == 4 and 42 not in [u.user for u in users]


def test_user_and_item(client):
    u = client.user(42, top=3)
    assert u.user == 42 and u.ratings > 0 and len(u.top_rated) == 3
    assert all(isinstance(t, mfdclient.RatedItem) and t.title for t in u.top_rated)
    i = client.item(3211)
    assert i.item == 3211 and i.title == client.recommend(42, n=1, include=[3211], exclude_seen=False)[0].title
    assert i.genres and i.ratings > 0


def test_hello_ping_status_metrics(client):
    h = client.hello()
    assert h.protocol == 1 and h.server.startswith("mfd ")
    assert h.limits.rating_min == 0.5 and h.limits.rating_max == 5
    assert h.model.factors > 0
    assert client.ping() is True
    st = client.status()
    assert st.loading is None and st.model is not None and st.ratings > 0 and st.users > 0
    assert st.config.retrain == "manual" and st.config.lambda_ > 0
    assert st.last_training.state == "succeeded" and st.last_training.metrics.train_rmse > 0
    assert "mfd_ratings" in client.metrics()


def test_train_status_of_the_first_training(client):
    job = client.train_status()
    assert job.kind == "train" and job.state == "succeeded" and job.finished
    assert job.epochs and job.epochs[0].epoch == 1
    assert client.train_status(job.job).job == job.job


def test_unknown_result_fields_are_ignored_and_kept_in_raw():
    st = mfdclient._types._build(mfdclient.Status, {"server": "mfd 9", "ratings": 3, "some_new_field": {"x": 1},
                                                     "config": {"lambda": 0.1, "new_setting": True},
                                                     "retrain_backoff": {"failures": 2, "next_attempt_s": 41.5}})
    assert st.server == "mfd 9" and st.ratings == 3 and st.config.lambda_ == 0.1
    assert st.retrain_backoff == mfdclient.RetrainBackoff(failures=2, next_attempt_s=41.5)
    assert st.raw["some_new_field"] == {"x": 1} and st.config.raw["new_setting"] is True
