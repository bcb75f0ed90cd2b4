"""Plain dataclasses for mfd's replies.

Every reply type is built with :func:`_build`, which reads the fields it knows
and ignores the rest, so a newer daemon that adds result fields does not break
this client (docs/protocol.md, *Versioning*). Each object keeps the reply's
JSON object in ``raw`` for fields this version does not know. A Python keyword
used as a wire name gets a trailing underscore (``lambda`` -> ``lambda_``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Type, TypeVar

T = TypeVar("T")

# wire name -> attribute name, where they differ
_RENAMED = {"lambda": "lambda_", "import": "import_"}


def _build(cls: Type[T], data: Any) -> T:
    """An instance of the dataclass ``cls`` from a JSON object; unknown keys are ignored."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
    nested: Dict[str, Callable[[Any], Any]] = getattr(cls, "_nested", {})
    kwargs: Dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key, value in data.items():
        name = _RENAMED.get(key, key)
        if name not in names or name == "raw":
            continue
        convert = nested.get(name)
        kwargs[name] = convert(value) if convert is not None and value is not None else value
    obj = cls(**kwargs)
    object.__setattr__(obj, "raw", data)
    return obj


def _list_of(cls: Type[T]) -> Callable[[Any], List[T]]:
    return lambda values: [_build(cls, v) for v in values]


def _raw() -> Any:
    return field(default=None, repr=False, compare=False)


@dataclass
class ModelInfo:
    """The serving model (``hello``/``status`` ``model``)."""
    id: Optional[int] = None
    kind: Optional[str] = None
    algorithm: Optional[str] = None
    factors: Optional[int] = None
    users: Optional[int] = None
    items: Optional[int] = None
    trained_at: Optional[float] = None
    age_s: Optional[float] = None
    raw: Any = _raw()


@dataclass
class Limits:
    """Limits a client should respect (``hello`` ``limits``)."""
    max_line_bytes: Optional[int] = None
    max_batch: Optional[int] = None
    rating_min: Optional[float] = None
    rating_max: Optional[float] = None
    raw: Any = _raw()


@dataclass
class Hello:
    """``hello``: protocol and server version, serving model, limits."""
    protocol: Optional[int] = None
    server: Optional[str] = None
    model: Optional[ModelInfo] = None
    limits: Optional[Limits] = None
    raw: Any = _raw()
    _nested = {"model": lambda v: _build(ModelInfo, v), "limits": lambda v: _build(Limits, v)}


@dataclass
class Because:
    """One of the user's rated items that led to a recommendation (``explain``)."""
    item: Optional[int] = None
    title: Optional[str] = None
    share: Optional[float] = None
    raw: Any = _raw()


@dataclass
class Recommendation:
    """One recommended item. ``score`` is the ranking score, not a predicted rating."""
    item: Optional[int] = None
    score: Optional[float] = None
    title: Optional[str] = None
    genres: Optional[List[str]] = None
    because: Optional[List[Because]] = None
    raw: Any = _raw()
    _nested = {"because": _list_of(Because)}


class Recommendations(List[Recommendation]):
    """``recommend``: a list of :class:`Recommendation`, best first, with the
    ``user`` asked about and the ``source`` of the answer (``model``,
    ``folded_in`` or ``popular``)."""

    def __init__(self, items: Any = (), user: Optional[int] = None, source: Optional[str] = None,
                 raw: Any = None) -> None:
        super().__init__(items)
        self.user = user
        self.source = source
        self.raw = raw

    @classmethod
    def from_wire(cls, data: Dict[str, Any]) -> "Recommendations":
        return cls(_list_of(Recommendation)(data.get("items") or []), data.get("user"), data.get("source"), data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Recommendations):
            return list.__eq__(self, other) and (self.user, self.source) == (other.user, other.source)
        return list.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Prediction:
    """``predict``: ``value`` on the rating scale and its ``source``
    (``model``, ``folded_in`` or ``baseline``)."""
    user: Optional[int] = None
    item: Optional[int] = None
    value: Optional[float] = None
    source: Optional[str] = None
    raw: Any = _raw()


@dataclass
class SimilarItem:
    """An item by cosine similarity of item factors (``score`` in [-1, 1])."""
    item: Optional[int] = None
    score: Optional[float] = None
    title: Optional[str] = None
    genres: Optional[List[str]] = None
    raw: Any = _raw()


@dataclass
class SimilarUser:
    """A user by cosine similarity of user factors."""
    user: Optional[int] = None
    score: Optional[float] = None
    raw: Any = _raw()


@dataclass
class RatedItem:
    """One of a user's highest-rated items (``user`` ``top_rated``)."""
    item: Optional[int] = None
    rating: Optional[float] = None
    title: Optional[str] = None
    raw: Any = _raw()


@dataclass
class UserInfo:
    """``user``: rating count, mean, bias, fold-in state, attributes, top-rated items."""
    user: Optional[int] = None
    ratings: Optional[int] = None
    mean: Optional[float] = None
    bias: Optional[float] = None
    folded_in: Optional[bool] = None
    attributes: Dict[str, Any] = field(default_factory=dict)
    top_rated: List[RatedItem] = field(default_factory=list)
    raw: Any = _raw()
    _nested = {"top_rated": _list_of(RatedItem)}


@dataclass
class ItemInfo:
    """``item``: title, genres, attributes, rating count, mean, bias."""
    item: Optional[int] = None
    title: Optional[str] = None
    genres: List[str] = field(default_factory=list)
    attributes: Dict[str, Any] = field(default_factory=dict)
    ratings: Optional[int] = None
    mean: Optional[float] = None
    bias: Optional[float] = None
    raw: Any = _raw()


@dataclass
class Epoch:
    """One epoch of a training's log."""
    epoch: Optional[int] = None
    loss: Optional[float] = None
    train_rmse: Optional[float] = None
    holdout_rmse: Optional[float] = None
    raw: Any = _raw()


@dataclass
class TrainingMetrics:
    """A finished training's metrics (``Job.metrics``)."""
    train_rmse: Optional[float] = None
    holdout_rmse: Optional[float] = None
    ratings: Optional[int] = None
    duration_s: Optional[float] = None
    holdout_fraction: Optional[float] = None
    holdout_seed: Optional[int] = None
    holdout_ratings: Optional[int] = None
    warm_start_model: Optional[int] = None
    iterations: Optional[int] = None
    raw: Any = _raw()


@dataclass
class TuneTrial:
    """One configuration a tune job tried."""
    factors: Optional[int] = None
    lambda_: Optional[float] = None
    iterations: Optional[int] = None
    rmse: Optional[float] = None
    ndcg_at_10: Optional[float] = None
    raw: Any = _raw()


@dataclass
class TuneReport:
    """A tune job's trials, the best one and whether it was applied."""
    trials: List[TuneTrial] = field(default_factory=list)
    best: Optional[TuneTrial] = None
    applied: Optional[bool] = None
    raw: Any = _raw()
    _nested = {"trials": _list_of(TuneTrial), "best": lambda v: _build(TuneTrial, v)}


@dataclass
class Job:
    """A training or tune job (``train``, ``tune``, ``train_status``).

    ``state`` is ``queued``, ``running``, ``succeeded``, ``failed`` or
    ``cancelled``; ``error`` is the failed job's error object (a dict with
    ``code``, ``message`` and maybe ``field``).
    """
    job: Optional[int] = None
    kind: Optional[str] = None
    state: Optional[str] = None
    progress: Optional[float] = None
    stage: Optional[str] = None
    started_at: Optional[float] = None
    finished_at: Optional[float] = None
    model_id: Optional[int] = None
    metrics: Optional[TrainingMetrics] = None
    epochs: List[Epoch] = field(default_factory=list)
    tune: Optional[TuneReport] = None
    error: Optional[Dict[str, Any]] = None
    raw: Any = _raw()
    _nested = {"metrics": lambda v: _build(TrainingMetrics, v), "epochs": _list_of(Epoch),
               "tune": lambda v: _build(TuneReport, v)}

    @property
    def finished(self) -> bool:
        """Whether the job has ended (neither queued nor running)."""
        return self.state not in ("queued", "running")


@dataclass
class Config:
    """The training configuration and retrain policy (``get_config``, ``set_config``, ``status``)."""
    model: Optional[str] = None
    factors: Optional[int] = None
    lambda_: Optional[float] = None
    iterations: Optional[int] = None
    alpha: Optional[float] = None
    seed: Optional[int] = None
    threads: Optional[int] = None
    user_attr_weight: Optional[float] = None
    item_attr_weight: Optional[float] = None
    retrain: Optional[str] = None
    retrain_after_changes: Optional[int] = None
    retrain_after_minutes: Optional[float] = None
    holdout_fraction: Optional[float] = None
    warm_iterations: Optional[int] = None
    raw: Any = _raw()


@dataclass
class Loading:
    """The loading stage under way after a start or an import (``status`` ``loading``)."""
    stage: Optional[str] = None
    done: Optional[int] = None
    total: Optional[int] = None
    raw: Any = _raw()


@dataclass
class Progress:
    """A progress line's report: the ``stage`` under way, ``done`` of ``total``
    units (``total`` 0: it cannot count), and the ``import`` token or training
    ``job`` it works on; also ``ImportStatus.progress``."""
    stage: Optional[str] = None
    done: Optional[int] = None
    total: Optional[int] = None
    job: Optional[int] = None
    export: Optional[str] = None
    raw: Any = _raw()

    @property
    def import_token(self) -> Optional[str]:
        """The ``import`` token (a Python keyword, so not a field name)."""
        value = self.raw.get("import") if isinstance(self.raw, dict) else None
        return value if isinstance(value, str) else None

    @property
    def fraction(self) -> Optional[float]:
        """``done / total`` in 0…1, or ``None`` when the stage cannot count."""
        if not self.total:
            return None
        return min(1.0, (self.done or 0) / self.total)


@dataclass
class ImportStatus:
    """``import_status``, and each of ``status.imports``: an import's ``state``
    (``receiving``, ``committing``, ``committed``, ``failed``, ``aborted``),
    its ``progress``, and how it ended: ``result`` (an import of ratings,
    items or users), ``model`` (a model import) or ``error``."""
    kind: Optional[str] = None
    state: Optional[str] = None
    progress: Optional[Progress] = None
    started_at: Optional[float] = None
    finished_at: Optional[float] = None
    result: Optional["ImportResult"] = None
    model: Optional["ImportModelResult"] = None
    error: Optional[Dict[str, Any]] = None
    raw: Any = _raw()
    _nested = {"progress": lambda v: _build(Progress, v), "result": lambda v: _build(ImportResult, v),
               "model": lambda v: _build(ImportModelResult, v)}

    @property
    def token(self) -> Optional[str]:
        """The import token (wire field ``import``)."""
        value = self.raw.get("import") if isinstance(self.raw, dict) else None
        return value if isinstance(value, str) else None

    @property
    def finished(self) -> bool:
        """Whether the import has ended (committed, failed or aborted)."""
        return self.state in ("committed", "failed", "aborted")


@dataclass
class RetrainBackoff:
    """Automatic retrains held back after failed trainings (``status`` ``retrain_backoff``)."""
    failures: Optional[int] = None
    next_attempt_s: Optional[float] = None
    raw: Any = _raw()


@dataclass
class Status:
    """``status``: counts, serving model, jobs, counters and configuration.
    ``loading`` is set while mfd loads after a start or an import, and
    ``retrain_backoff`` after trainings failed."""
    server: Optional[str] = None
    uptime_s: Optional[float] = None
    ratings: Optional[int] = None
    users: Optional[int] = None
    items: Optional[int] = None
    density: Optional[float] = None
    model: Optional[ModelInfo] = None
    last_training: Optional[Job] = None
    running: Optional[Job] = None
    pending_changes: Optional[int] = None
    connections: Optional[int] = None
    requests: Dict[str, int] = field(default_factory=dict)
    errors: Optional[int] = None
    config: Optional[Config] = None
    loading: Optional[Loading] = None
    retrain_backoff: Optional[RetrainBackoff] = None
    imports: List[ImportStatus] = field(default_factory=list)
    raw: Any = _raw()
    _nested = {"model": lambda v: _build(ModelInfo, v), "last_training": lambda v: _build(Job, v),
               "running": lambda v: _build(Job, v), "config": lambda v: _build(Config, v),
               "loading": lambda v: _build(Loading, v), "retrain_backoff": lambda v: _build(RetrainBackoff, v),
               "imports": _list_of(ImportStatus)}


@dataclass
class AddRatingResult:
    """``add_rating``: the store's change sequence and whether user/item were new."""
    seq: Optional[int] = None
    new_user: Optional[bool] = None
    new_item: Optional[bool] = None
    raw: Any = _raw()


@dataclass
class AddRatingsResult:
    """``add_ratings``: how many ratings were stored, the last sequence, new users/items."""
    count: Optional[int] = None
    seq: Optional[int] = None
    new_users: Optional[int] = None
    new_items: Optional[int] = None
    raw: Any = _raw()


@dataclass
class DeleteRatingResult:
    """``delete_rating``: the change sequence."""
    seq: Optional[int] = None
    raw: Any = _raw()


@dataclass
class DeleteUserResult:
    """``delete_user``: the change sequence and how many ratings went."""
    seq: Optional[int] = None
    ratings_deleted: Optional[int] = None
    raw: Any = _raw()


@dataclass
class FoldInResult:
    """``fold_in``: ratings used, whether they were stored, and recommendations."""
    user: Optional[int] = None
    ratings: Optional[int] = None
    persisted: Optional[bool] = None
    items: List[Recommendation] = field(default_factory=list)
    source: Optional[str] = None
    raw: Any = _raw()
    _nested = {"items": _list_of(Recommendation)}


@dataclass
class AddUserResult:
    """``add_user``: the user and whether it is new."""
    user: Optional[int] = None
    created: Optional[bool] = None
    raw: Any = _raw()


@dataclass
class AddItemResult:
    """``add_item``: the item and whether it is new."""
    item: Optional[int] = None
    created: Optional[bool] = None
    raw: Any = _raw()


@dataclass
class Evaluation:
    """``evaluate``: holdout metrics of a model trained on the rest."""
    rmse: Optional[float] = None
    mae: Optional[float] = None
    ndcg_at_10: Optional[float] = None
    precision_at_10: Optional[float] = None
    train_ratings: Optional[int] = None
    test_ratings: Optional[int] = None
    test_fraction: Optional[float] = None
    seed: Optional[int] = None
    duration_s: Optional[float] = None
    raw: Any = _raw()


@dataclass
class ImportIssue:
    """A line an import skipped (``skip_bad``)."""
    line: Optional[int] = None
    code: Optional[str] = None
    message: Optional[str] = None
    raw: Any = _raw()


@dataclass
class ImportResult:
    """``import_commit``: what was detected, read, stored and skipped."""
    kind: Optional[str] = None
    format: Optional[str] = None
    lines: Optional[int] = None
    imported: Optional[int] = None
    skipped: Optional[int] = None
    issues: List[ImportIssue] = field(default_factory=list)
    duration_s: Optional[float] = None
    raw: Any = _raw()
    _nested = {"issues": _list_of(ImportIssue)}


@dataclass
class ImportModelResult:
    """``import_model_commit``: the new model and how many users were re-solved."""
    model_id: Optional[int] = None
    users: Optional[int] = None
    items: Optional[int] = None
    factors: Optional[int] = None
    replayed: Optional[int] = None
    ranker_job: Optional[int] = None
    raw: Any = _raw()


@dataclass
class Export:
    """An export's header (``export_begin``) and all of its ``rows``.

    ``columns`` names the row fields; ``rows_at_begin`` is the row count the
    daemon reported when the export began (for ``ratings`` the rows read can
    differ when writes went on meanwhile).
    """
    what: Optional[str] = None
    columns: List[str] = field(default_factory=list)
    rows: List[List[Any]] = field(default_factory=list)
    rows_at_begin: Optional[int] = None
    model_id: Optional[int] = None
    global_mean: Optional[float] = None
    sequence: Optional[int] = None
    raw: Any = _raw()

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame with the export's columns (needs pandas)."""
        from ._frames import require_pandas
        return require_pandas().DataFrame(self.rows, columns=self.columns)
