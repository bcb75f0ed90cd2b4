"""Training, tuning, evaluation, configuration and model import, on a daemon of their own."""

import pytest

import mfdclient


@pytest.fixture(scope="module")
def admin(admin_daemon):
    with mfdclient.Client(admin_daemon.socket, timeout=30) as c:
        yield c


def test_train_waits_for_the_job(admin):
    before = admin.status().model.id
    job = admin.train()
    assert isinstance(job, mfdclient.Job)
    assert job.state == "succeeded" and job.kind == "train" and job.model_id > before
    assert job.metrics.train_rmse > 0 and job.epochs
    assert admin.status().model.id == job.model_id
    started = admin.train(wait=False)
    assert started.state in ("queued", "running", "succeeded")
    joined = admin.train()  # joins the job already running, as `mfctl train --wait` does
    assert joined.state == "succeeded" and joined.job >= started.job


def test_config_round_trip(admin):
    cfg = admin.get_config()
    assert isinstance(cfg, mfdclient.Config) and cfg.retrain == "manual"
    new = admin.set_config(warm_iterations=3, lambda_=0.2)
    assert new.warm_iterations == 3 and new.lambda_ == 0.2
    assert admin.get_config().lambda_ == 0.2
    with pytest.raises(mfdclient.MFDError) as e:
        admin.set_config(retrain="sometimes")
    assert (e.value.code, e.value.field) == ("invalid_value", "retrain")
    admin.set_config(warm_iterations=cfg.warm_iterations, lambda_=cfg.lambda_)


def test_evaluate(admin):
    ev = admin.evaluate(test_fraction=0.2, seed=7)
    assert isinstance(ev, mfdclient.Evaluation)
    assert ev.test_fraction == 0.2 and ev.seed == 7 and 0 < ev.rmse < 2 and ev.test_ratings > 0


def test_tune(admin):
    job = admin.tune(factors=[8, 16], lambda_=[0.1], iterations=[3])
    assert job.kind == "tune" and job.state == "succeeded"
    assert len(job.tune.trials) == 2 and job.tune.best.rmse > 0 and job.tune.applied is False
    assert {t.factors for t in job.tune.trials} == {8, 16} and job.tune.trials[0].lambda_ == 0.1


def test_import_model_round_trip(admin):
    users = admin.export("user_factors")
    items = admin.export("item_factors")
    k = len(items.columns) - 2
    manifest = {"format": "mfd-model-1", "algorithm": "round-trip", "k": k, "global_mean": items.global_mean,
                "users": len(users.rows), "items": len(items.rows), "params": {"regParam": 0.1}}
    before = admin.predict(42, 155)
    r = admin.import_model(manifest, users.rows, items.rows)
    assert isinstance(r, mfdclient.ImportModelResult)
    assert (r.users, r.items, r.factors) == (len(users.rows), len(items.rows), k) and r.model_id > items.model_id
    h = admin.hello()
    assert h.model.id == r.model_id and h.model.algorithm == "round-trip"
    assert admin.predict(42, 155).value == pytest.approx(before.value, abs=1e-3)
    bad = dict(manifest, users=len(users.rows) + 1)
    with pytest.raises(mfdclient.MFDError) as e:
        admin.import_model(bad, users.rows, items.rows)
    assert e.value.code == "invalid_model"
