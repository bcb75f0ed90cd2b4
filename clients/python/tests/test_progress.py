"""Long calls on a daemon made slow on purpose (the test-only MFD_TEST_DELAYS,
longer than the client's timeout): they wait as long as progress lines come."""

import pytest

import mfdclient
from conftest import start_demo

DELAY_S = 3


@pytest.fixture(scope="module")
def slow():
    ops = ("import_commit", "train", "tune", "evaluate", "import_model_commit")
    d = start_demo(env={"MFD_TEST_DELAYS": ",".join(f"{op}={DELAY_S}" for op in ops)})
    yield d
    d.stop()


def test_long_calls_outlast_a_shorter_timeout(slow):
    seen = []
    with mfdclient.Client(slow.socket, timeout=1.5) as c:
        r = c.import_ratings(b"userId,movieId,rating\n950001,1,4\n950002,2,3.5\n", progress=seen.append)
        assert r.imported == 2
        assert any(p.stage == "commit" for p in seen), [p.stage for p in seen]
        job = c.train(progress=seen.append)
        assert job.state == "succeeded"
        assert any(p.job == job.job for p in seen)
        assert c.tune(factors=[4], iterations=[2], lambda_=[0.1]).state == "succeeded"
        assert c.evaluate(test_fraction=0.1).rmse > 0
        users = c.export("user_factors")
        items = c.export("item_factors")
        manifest = {"format": "mfd-model-1", "algorithm": "test", "k": len(users.columns) - 2,
                    "global_mean": users.global_mean, "users": len(users.rows), "items": len(items.rows), "params": {}}
        assert c.import_model(manifest, users.rows, items.rows).users == len(users.rows)
        token = next(p.import_token for p in seen if p.import_token)
        status = c.job(token)
        assert isinstance(status, mfdclient.ImportStatus) and status.state == "committed" and status.result.imported == 2
        assert c.job(job.job).state == "succeeded"
