"""Write operations: each test writes only users and items of its own."""

import math

import pytest

import mfdclient


def test_add_rating_is_folded_in_at_once(client):
    user = 43
    before = client.recommend(user, n=5)
    assert before.source == "model"
    top = before[0].item
    other = before[1].item
    p_before = client.predict(user, other).value
    r = client.add_rating(user, top, 0.5)
    assert isinstance(r, mfdclient.AddRatingResult) and r.seq > 0 and r.new_user is False
    after = client.recommend(user, n=5)
    assert after.source == "folded_in"
    assert top not in [x.item for x in after]  # rated now, so excluded
    p_after = client.predict(user, other)
    assert p_after.source == "folded_in" and not math.isclose(p_after.value, p_before, rel_tol=0, abs_tol=1e-6)
    assert client.user(user).folded_in is True


def test_fold_in_a_new_user(client):
    f = client.fold_in(9101, [(3211, 5), (719, 4.5), (155, 5)])
    assert isinstance(f, mfdclient.FoldInResult)
    assert f.persisted is True and f.ratings == 3 and f.source == "folded_in" and len(f.items) == 10
    assert {3211, 719, 155}.isdisjoint(r.item for r in f.items)
    assert all(r.title for r in f.items)
    recs = client.recommend(9101)
    assert recs.source == "folded_in"
    assert {r.item for r in recs} & {r.item for r in f.items}
    assert client.user(9101).ratings == 3


def test_anonymous_fold_in_stores_nothing(client):
    f = client.fold_in(None, {3211: 5, 719: 4.5}, persist=False, n=3)
    assert f.persisted is False and len(f.items) == 3
    with pytest.raises(mfdclient.MFDError) as e:
        client.fold_in(None, [(3211, 5)])
    assert (e.value.code, e.value.field) == ("missing_field", "user")


def test_add_ratings_delete_rating_delete_user(client):
    r = client.add_ratings([(9201, 3211, 4.0), (9201, 719, 3.5, 1700000000), (9202, 155, 5)])
    assert (r.count, r.new_users) == (3, 2)
    assert client.user(9201).ratings == 2
    d = client.delete_rating(9201, 719)
    assert d.seq > r.seq
    assert client.user(9201).ratings == 1
    with pytest.raises(mfdclient.MFDError) as e:
        client.delete_rating(9201, 719)
    assert e.value.code == "not_found"
    gone = client.delete_user(9202)
    assert gone.ratings_deleted == 1
    with pytest.raises(mfdclient.MFDError) as e:
        client.user(9202)
    assert e.value.code == "unknown_user"


def test_add_user_and_add_item(client):
    u = client.add_user(9301, {"age": 31, "occupation": "writer"})
    assert (u.user, u.created) == (9301, True)
    assert client.add_user(9301, {"age": 32}).created is False
    assert client.user(9301).attributes == {"age": 32, "occupation": "writer"}  # given ones replace, others stay
    i = client.add_item(990001, title="A Test Film (2026)", genres=["Drama", "Sci-Fi"])
    assert (i.item, i.created) == (990001, True)
    info = client.item(990001)
    assert info.title == "A Test Film (2026)" and info.genres == ["Drama", "Sci-Fi"]
    client.add_item(990001, title="Renamed (2026)")
    assert client.item(990001).genres == ["Drama", "Sci-Fi"]  # absent fields stay
