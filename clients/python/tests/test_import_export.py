"""import_* over the import_begin/chunk/commit protocol, and export."""

import io

import pytest

import mfdclient

RATINGS_CSV = (
    "userId,movieId,rating,timestamp\n"
    "7001,3211,5.0,1700000000\n"
    "7001,719,4.5,1700000001\n"
    "7001,155,4.0,1700000002\n"
    "7002,3211,1.0,1700000003\n"
    "7002,429,4.5,1700000004\n"
)


def test_import_ratings_from_a_csv_file(client, tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text(RATINGS_CSV)
    r = client.import_ratings(path)
    assert isinstance(r, mfdclient.ImportResult)
    assert (r.kind, r.format, r.lines, r.imported, r.skipped) == ("ratings", "movielens", 6, 5, 0)
    assert client.user(7001).ratings == 3 and client.user(7002).ratings == 2
    recs = client.recommend(7001)
    assert recs.source == "folded_in" and {3211, 719, 155}.isdisjoint(x.item for x in recs)


def test_a_bad_line_fails_the_import_and_names_it(client, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("userId,movieId,rating\n7101,3211,4\n7101,719,x\n")
    with pytest.raises(mfdclient.MFDError) as e:
        client.import_ratings(path)
    assert (e.value.code, e.value.field) == ("import_failed", "bad.csv:3")
    with pytest.raises(mfdclient.MFDError) as e:
        client.user(7101)  # nothing was stored
    assert e.value.code == "unknown_user"
    r = client.import_ratings(path, skip_bad=True)
    assert (r.imported, r.skipped) == (1, 1)
    assert r.issues and r.issues[0].line == 3


def test_import_from_bytes_and_file_objects_across_many_chunks(client):
    rows = "".join(f"{7200 + u},{item},{1 + (u * item) % 9 / 2}\n" for u in range(40) for item in range(1, 2001))
    data = ("user,item,rating\n" + rows).encode()
    assert len(data) > 3 * mfdclient.IMPORT_CHUNK_BYTES  # several chunks, cut at newlines
    r = client.import_ratings(data, name="generated.csv")
    assert r.imported == 40 * 2000
    r = client.import_ratings(io.BytesIO(data))
    assert r.imported == 40 * 2000
    r = client.import_ratings(io.StringIO(data.decode()))
    assert r.imported == 40 * 2000
    assert client.user(7239).ratings == 2000


def test_import_latin1_bytes_go_as_base64(client):
    # MovieLens 1M's movies.dat is Latin-1: not UTF-8, so its chunks go as data_base64.
    data = "990101::Caf\xe9 Ol\xe9 (1990)::Comedy|Drama\n".encode("latin-1")
    r = client.import_items(data, name="movies.dat")
    assert (r.format, r.imported) == ("ml1m", 1)
    assert client.item(990101).title == "Caf\xe9 Ol\xe9 (1990)"


def test_import_and_export_with_pandas(client):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"userId": [7301, 7301, 7302], "movieId": [3211, 719, 155], "rating": [4.5, 3.0, 5.0]})
    r = client.import_ratings(frame)
    assert r.imported == 3 and client.user(7301).ratings == 2
    items = pd.DataFrame({"movieId": [990201], "title": ["Frame Film (2020)"], "genres": [["Drama", "War"]]})
    client.import_items(items)
    assert client.item(990201).genres == ["Drama", "War"]
    users = client.export_dataframe("users")
    assert "user" in users.columns
    factors = client.export_dataframe("item_factors")
    assert list(factors.columns[:3]) == ["id", "bias", "f0"] and len(factors) > 1000


def test_export_pages_through_everything(client):
    e = client.export("item_factors", max_rows=500)
    assert e.what == "item_factors" and e.columns[:3] == ["id", "bias", "f0"]
    assert len(e.rows) == e.rows_at_begin > 1000 and e.model_id >= 1 and e.global_mean > 0
    assert all(len(row) == len(e.columns) for row in e.rows)
    ratings = client.export("ratings")
    assert ratings.columns == ["user", "item", "rating", "timestamp"] and len(ratings.rows) > 60000
    with pytest.raises(mfdclient.MFDError) as err:
        client.export("nothing")
    assert err.value.code == "invalid_value"
