"""The client: one method per protocol operation (docs/protocol.md)."""

from __future__ import annotations

import os
import threading
import time
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, TypeVar, Union)

from ._connection import DEFAULT_WINDOW, Connection, ProgressHandler, Reply, encode_request
from ._errors import JobFailedError, MFDConnectionError, MFDError, MFDTimeoutError
from ._frames import dataframe_csv_chunks, is_dataframe, require_pandas
from ._socketpath import resolve_socket
from ._types import (AddItemResult, AddRatingResult, AddRatingsResult, AddUserResult, Config,
                     DeleteRatingResult, DeleteUserResult, Evaluation, Export, FoldInResult, Hello,
                     ImportModelResult, ImportResult, ImportStatus, ItemInfo, Job, Prediction, Progress,
                     Recommendations, SimilarItem, SimilarUser, Status, UserInfo, _build)

T = TypeVar("T")
Request = Tuple[str, Dict[str, Any]]
PathOrData = Any  # a path, bytes, a binary or text file object, or a pandas DataFrame

#: Bytes of file per ``import_chunk`` (as mfctl sends them).
IMPORT_CHUNK_BYTES = 256 << 10
#: ``import_chunk`` and ``import_model_rows`` requests sent before the first is answered.
IMPORT_WINDOW = 4
# An import_model_rows request's rows are cut at about this many bytes of JSON.
_MODEL_ROWS_BYTES = 512 << 10

_UNSET: Any = object()


class Client:
    """A connection to mfd.

    ``socket`` is the daemon's socket path; without it the path is resolved
    as mfctl does (:func:`mfdclient.resolve_socket`: ``$MFD_SOCKET``, then
    ``/run/mfd/mfd.sock`` if it exists, then ``$XDG_RUNTIME_DIR/mfd/mfd.sock``
    or ``/tmp/mfd-$UID/mfd.sock``). ``timeout`` is how many seconds to wait
    for connecting, and the longest mfd may stay silent while a call awaits
    its answer (``None``: no limit). Long calls (imports' commits, ``train``
    and ``tune`` with ``wait``, ``evaluate``, model imports) ask for progress
    lines, which mfd sends at least every second, so they may take as long as
    the work does; ``progress=`` hands each line (a :class:`Progress`) to a
    callback.

    The connection opens on the first call and is opened again after it was
    lost or closed. Thread safety: a client holds one connection and a lock;
    threads may share a client, and their calls take turns on its connection
    (a pipelined batch, an import or an export holds it until done). For
    requests that run in parallel, give each thread its own client.

    Daemon errors raise :class:`MFDError` (``code``, ``message``, ``field``);
    an unreachable daemon, a lost connection or a garbled reply raise
    :class:`MFDConnectionError`, and no answer within ``timeout``
    :class:`MFDTimeoutError`.
    """

    def __init__(self, socket: "Optional[Union[str, os.PathLike[str]]]" = None,
                 timeout: Optional[float] = 10.0, window: int = DEFAULT_WINDOW) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive or None, got {timeout!r}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window!r}")
        self.path = resolve_socket(socket)
        self.timeout = timeout
        self.window = window
        self._lock = threading.RLock()
        self._conn: Optional[Connection] = None

    def __repr__(self) -> str:
        return f"mfdclient.Client(socket={self.path!r}, timeout={self.timeout!r})"

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connection (a later call opens a new one)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- plumbing ----------------------------------------------------------

    def _connection(self) -> Connection:
        conn = self._conn
        if conn is not None and (conn.closed or conn.stale()):
            conn.close()
            conn = None
        if conn is None:
            conn = Connection(self.path, self.timeout)
            self._conn = conn
        return conn

    def _exchange(self, requests: Union[Sequence[Request], Iterable[Request]], timeout: Any = _UNSET,
                  window: Optional[int] = None, on_progress: Optional[ProgressHandler] = None) -> List[Reply]:
        wait = self.timeout if timeout is _UNSET else timeout
        with self._lock:
            conn = self._connection()
            reused = conn.used
            try:
                return conn.exchange(requests, wait, window or self.window, on_progress)
            except MFDError as e:
                # An idle connection the daemon closed (`timeout` with "id": null) just as
                # these requests went out: none of them ran, so they go out again on a new one.
                idle_closed = (e.code == "timeout" and reused and getattr(e, "answered_before", None) == 0
                               and isinstance(requests, (list, tuple)))
                if not idle_closed:
                    raise
            return self._connection().exchange(requests, wait, window or self.window, on_progress)

    def call(self, op: str, **params: Any) -> Any:
        """Sends one request (``op`` and its wire parameters; ``None`` values are
        left out) and returns the daemon's ``result`` object as parsed JSON."""
        return self._call(op, params)

    def _call(self, op: str, params: Dict[str, Any], timeout: Any = _UNSET) -> Any:
        ok, value = self._exchange([(op, params)], timeout)[0]
        if not ok:
            raise value
        return value

    def _long(self, op: str, params: Dict[str, Any], progress: Optional[Callable[[Progress], None]],
              job: Optional[str] = None) -> Any:
        """A long request: it asks for progress lines (each goes to ``progress``),
        so ``timeout`` bounds only the silence. If the connection ends first once
        the work's import token or job is known (``job``, or a progress line
        named it), the error carries it in ``job``: the work goes on in mfd."""
        seen = [job]

        def on_progress(line: Dict[str, Any]) -> None:
            named = line.get("import") or line.get("job")
            if named is not None:
                seen[0] = str(named)
            if progress is not None:
                progress(_build(Progress, line))

        try:
            ok, value = self._exchange([(op, params)], on_progress=on_progress)[0]
        except MFDConnectionError as e:
            if seen[0] is None or e.code not in ("timeout", "connection_closed"):
                raise
            what = f"import {seen[0]}" if seen[0].startswith(("imp-", "mod-")) else f"job {seen[0]}"
            cls = MFDTimeoutError if e.code == "timeout" else MFDConnectionError
            raise cls(e.code, f"{e.message} while {what} was under way; it goes on in mfd, and "
                              f"client.job({seen[0]!r}) tells how it ends", e.path, job=seen[0]) from None
        if not ok:
            raise value
        return value

    def call_many(self, requests: Iterable[Tuple[str, Mapping[str, Any]]],
                  return_exceptions: bool = False) -> List[Any]:
        """Pipelines ``(op, params)`` requests on the connection and returns their
        ``result`` objects in order.

        With ``return_exceptions`` a request the daemon refused has its
        :class:`MFDError` in its place; otherwise the first such error is
        raised once every reply has been read.
        """
        reqs = [(op, dict(params)) for op, params in requests]
        return self._collect(self._exchange(reqs), return_exceptions, lambda r: r)

    @staticmethod
    def _collect(replies: List[Reply], return_exceptions: bool, convert: Callable[[Any], T]) -> List[Any]:
        out: List[Any] = []
        first: Optional[MFDError] = None
        for ok, value in replies:
            if ok:
                out.append(convert(value))
            else:
                first = first or value
                out.append(value)
        if first is not None and not return_exceptions:
            raise first
        return out

    # -- read --------------------------------------------------------------

    def hello(self) -> Hello:
        """Protocol version, server version, serving model and limits."""
        return _build(Hello, self._call("hello", {}))

    def ping(self) -> bool:
        """True when the daemon answers."""
        return bool(self._call("ping", {}).get("pong"))

    def status(self) -> Status:
        """Counts, serving model, jobs, counters, configuration (and ``loading`` while mfd loads)."""
        return _build(Status, self._call("status", {}))

    def metrics(self) -> str:
        """Prometheus text exposition of the daemon's metrics."""
        return str(self._call("metrics", {}).get("text", ""))

    @staticmethod
    def _recommend_params(user: int, n: int, exclude_seen: bool, exclude: Optional[Iterable[int]],
                          include: Optional[Iterable[int]], explain: bool) -> Dict[str, Any]:
        # Defaults are left out, so a plain request can be answered from mfd's recommend cache.
        return {"user": user, "n": n,
                "exclude_seen": None if exclude_seen is True else exclude_seen,
                "exclude": None if exclude is None else list(exclude),
                "include": None if include is None else list(include),
                "explain": None if explain is False else explain}

    def recommend(self, user: int, n: int = 10, exclude_seen: bool = True,
                  exclude: Optional[Iterable[int]] = None, include: Optional[Iterable[int]] = None,
                  explain: bool = False) -> Recommendations:
        """The top ``n`` items for ``user``, best first.

        ``exclude_seen`` drops items the user rated; ``exclude`` items are never
        returned; ``include``, when given, limits the candidates to those items
        (``[]`` means none); ``explain`` adds ``because`` to each item. An
        unknown user gets the popular items (``source`` ``popular``).
        """
        return Recommendations.from_wire(
            self._call("recommend", self._recommend_params(user, n, exclude_seen, exclude, include, explain)))

    def recommend_many(self, users: Iterable[int], n: int = 10, exclude_seen: bool = True,
                       exclude: Optional[Iterable[int]] = None, include: Optional[Iterable[int]] = None,
                       explain: bool = False, return_exceptions: bool = False) -> List[Recommendations]:
        """``recommend`` for each of ``users``, pipelined on one connection;
        the answers are those of :meth:`recommend`, in the order of ``users``."""
        exclude = None if exclude is None else list(exclude)
        include = None if include is None else list(include)
        reqs = [("recommend", self._recommend_params(u, n, exclude_seen, exclude, include, explain)) for u in users]
        return self._collect(self._exchange(reqs), return_exceptions, Recommendations.from_wire)

    def predict(self, user: int, item: int) -> Prediction:
        """The predicted rating of ``item`` by ``user`` and its source."""
        return _build(Prediction, self._call("predict", {"user": user, "item": item}))

    def predict_many(self, pairs: Iterable[Tuple[int, int]], return_exceptions: bool = False) -> List[Prediction]:
        """``predict`` for each ``(user, item)`` pair, pipelined."""
        reqs = [("predict", {"user": u, "item": i}) for u, i in pairs]
        return self._collect(self._exchange(reqs), return_exceptions, lambda r: _build(Prediction, r))

    def similar_items(self, item: int, n: int = 10) -> List[SimilarItem]:
        """Items by cosine similarity of item factors."""
        result = self._call("similar_items", {"item": item, "n": n})
        return [_build(SimilarItem, x) for x in result.get("items") or []]

    def similar_users(self, user: int, n: int = 10) -> List[SimilarUser]:
        """Users by cosine similarity of user factors."""
        result = self._call("similar_users", {"user": user, "n": n})
        return [_build(SimilarUser, x) for x in result.get("users") or []]

    def user(self, user: int, top: int = 10) -> UserInfo:
        """A user's rating count, mean, bias, attributes and ``top`` highest-rated items."""
        return _build(UserInfo, self._call("user", {"user": user, "top": top}))

    def item(self, item: int) -> ItemInfo:
        """An item's title, genres, attributes, rating count, mean and bias."""
        return _build(ItemInfo, self._call("item", {"item": item}))

    def train_status(self, job: Optional[int] = None) -> Job:
        """A training or tune job; the latest one without ``job``."""
        return _build(Job, self._call("train_status", {"job": job}))

    # -- write -------------------------------------------------------------

    def add_rating(self, user: int, item: int, rating: float, timestamp: Optional[int] = None) -> AddRatingResult:
        """Stores a rating (durable before the reply) and folds it in at once."""
        return _build(AddRatingResult, self._call(
            "add_rating", {"user": user, "item": item, "rating": rating, "timestamp": timestamp}))

    def add_ratings(self, ratings: Iterable[Sequence[Any]]) -> AddRatingsResult:
        """Stores ``(user, item, rating[, timestamp])`` tuples, all or nothing."""
        return _build(AddRatingsResult, self._call("add_ratings", {"ratings": [list(r) for r in ratings]}))

    def delete_rating(self, user: int, item: int) -> DeleteRatingResult:
        """Deletes one rating."""
        return _build(DeleteRatingResult, self._call("delete_rating", {"user": user, "item": item}))

    def delete_user(self, user: int) -> DeleteUserResult:
        """Deletes a user's ratings, attributes and factors."""
        return _build(DeleteUserResult, self._call("delete_user", {"user": user}))

    def add_user(self, user: int, attributes: Optional[Mapping[str, Any]] = None) -> AddUserResult:
        """Creates a user or updates its attributes (numbers or category strings)."""
        return _build(AddUserResult, self._call(
            "add_user", {"user": user, "attributes": None if attributes is None else dict(attributes)}))

    def add_item(self, item: int, title: Optional[str] = None, genres: Optional[Iterable[str]] = None,
                 attributes: Optional[Mapping[str, Any]] = None) -> AddItemResult:
        """Creates an item or updates the fields given (absent ones stay)."""
        return _build(AddItemResult, self._call("add_item", {
            "item": item, "title": title, "genres": None if genres is None else list(genres),
            "attributes": None if attributes is None else dict(attributes)}))

    def fold_in(self, user: Optional[int], ratings: Union[Iterable[Tuple[int, float]], Mapping[int, float]],
                persist: bool = True, n: int = 10) -> FoldInResult:
        """Solves a user's factors from ``ratings`` (``(item, rating)`` pairs or an
        ``{item: rating}`` mapping) and returns ``n`` recommendations for them.

        With ``persist`` (the default) the ratings are stored for ``user``;
        with ``persist=False`` nothing is stored and ``user`` may be ``None``.
        """
        pairs = ratings.items() if isinstance(ratings, Mapping) else ratings
        return _build(FoldInResult, self._call("fold_in", {
            "user": user, "ratings": [list(p) for p in pairs], "persist": persist, "n": n}))

    # -- admin: training ---------------------------------------------------

    @staticmethod
    def _finished(job: Job) -> Job:
        if job.state != "succeeded":
            raise JobFailedError(job)
        return job

    def train(self, wait: bool = True, progress: Optional[Callable[[Progress], None]] = None) -> Job:
        """Starts a background retrain and returns its job.

        With ``wait`` (the default) it returns the finished job: one
        ``train`` request with ``wait`` that mfd answers when the job ends
        (joining a job that is already running, e.g. the retrain an import
        started), sending progress lines meanwhile (each to ``progress``), so
        ``timeout`` bounds only mfd's silence. A job that does not succeed
        raises :class:`JobFailedError`.
        """
        if not wait:
            return _build(Job, self._call("train", {}))
        return self._finished(_build(Job, self._long("train", {"wait": True}, progress)))

    def tune(self, factors: Optional[Iterable[int]] = None, lambda_: Optional[Iterable[float]] = None,
             iterations: Optional[Iterable[int]] = None, trials: Optional[int] = None,
             seed: Optional[int] = None, val_fraction: Optional[float] = None, apply: bool = False,
             wait: bool = True, progress: Optional[Callable[[Progress], None]] = None) -> Job:
        """A seeded search over factors × lambda × iterations on a validation
        split; returns the tune job (its ``tune`` holds the trials and the
        best). ``trials`` draws that many configurations at random; ``apply``
        makes the best the training configuration and starts a retrain.
        ``wait`` and ``progress`` as in :meth:`train` (a running job is not
        joined here: ``training_in_progress``)."""
        params = {
            "factors": None if factors is None else list(factors),
            "lambda": None if lambda_ is None else list(lambda_),
            "iterations": None if iterations is None else list(iterations),
            "trials": trials, "seed": seed, "val_fraction": val_fraction,
            "apply": apply or None}
        if not wait:
            return _build(Job, self._call("tune", params))
        return self._finished(_build(Job, self._long("tune", {**params, "wait": True}, progress)))

    def job(self, job: Union[int, str]) -> Union[Job, "ImportStatus"]:
        """Where a job or an import is, or how it ended: a training/tune job
        number gives its :class:`Job` (``train_status``), an import token
        (``imp-…``, ``mod-…``) its :class:`ImportStatus` (``import_status``)."""
        if isinstance(job, int) or str(job).isdigit():
            return self.train_status(int(job))
        return self.import_status(str(job))

    def import_status(self, token: str) -> "ImportStatus":
        """``import_status``: an import's state (``receiving``, ``committing``,
        ``committed``, ``failed``, ``aborted``), progress and outcome."""
        return _build(ImportStatus, self._call("import_status", {"import": token}))

    def evaluate(self, test_fraction: Optional[float] = None, seed: Optional[int] = None,
                 progress: Optional[Callable[[Progress], None]] = None) -> Evaluation:
        """Holds out ``test_fraction`` (daemon default 0.2) of the ratings, trains on
        the rest off the serving path and reports RMSE, MAE, NDCG@10 and
        precision@10. It trains a model, which takes a while: progress lines
        (each to ``progress``) keep ``timeout`` a bound on silence only."""
        return _build(Evaluation, self._long("evaluate", {"test_fraction": test_fraction, "seed": seed}, progress))

    def get_config(self) -> Config:
        """The training configuration and retrain policy."""
        return _build(Config, self._call("get_config", {}))

    def set_config(self, **settings: Any) -> Config:
        """Changes some settings (persisted) and returns the whole new configuration.

        Keywords are the wire names (``model``, ``factors``, ``lambda_`` for
        ``lambda``, ``iterations``, ``alpha``, ``seed``, ``threads``,
        ``user_attr_weight``, ``item_attr_weight``, ``retrain``,
        ``retrain_after_changes``, ``retrain_after_minutes``,
        ``holdout_fraction``, ``warm_iterations``); the daemon rejects others
        with ``unknown_field``.
        """
        params = {("lambda" if k == "lambda_" else k): v for k, v in settings.items()}
        return _build(Config, self._call("set_config", params))

    # -- admin: import -----------------------------------------------------

    def import_ratings(self, source: PathOrData, format: str = "auto", skip_bad: bool = False,
                       name: Optional[str] = None, progress: Optional[Callable[[Progress], None]] = None) -> ImportResult:
        """Streams a ratings file to the daemon and stores it atomically.

        ``source`` is a path, ``bytes``, a file object, or a pandas DataFrame
        (sent as CSV with its column names as the header, e.g. MovieLens's
        ``userId,movieId,rating,timestamp``; ``user,item,rating`` works too).
        ``format``: ``auto``, ``movielens``, ``csv``, ``ml100k`` or ``ml1m``.
        Without ``skip_bad`` the first bad line fails the import with
        ``import_failed`` (``field`` = ``name:line``) and nothing is stored.
        ``progress`` gets the commit's progress lines (see :meth:`import_file`).
        """
        return self.import_file("ratings", source, format, skip_bad, name, progress)

    def import_items(self, source: PathOrData, format: str = "auto", skip_bad: bool = False,
                     name: Optional[str] = None, progress: Optional[Callable[[Progress], None]] = None) -> ImportResult:
        """Streams an items file (``movieId,title,genres``, …) as :meth:`import_ratings`
        does; in a DataFrame, a list of genres is sent ``|``-joined."""
        return self.import_file("items", source, format, skip_bad, name, progress)

    def import_users(self, source: PathOrData, format: str = "auto", skip_bad: bool = False,
                     name: Optional[str] = None, progress: Optional[Callable[[Progress], None]] = None) -> ImportResult:
        """Streams a users file (``userId,…attributes``) as :meth:`import_ratings` does."""
        return self.import_file("users", source, format, skip_bad, name, progress)

    def import_receipt(self, token: str) -> ImportResult:
        """``import_receipt``: what ``import_commit`` answered for a committed import
        (the newest 16 are kept); ``MFDError`` ``not_found`` when it did not commit."""
        return _build(ImportResult, self._call("import_receipt", {"import": token}))

    def _outcome(self, token: str, progress: Optional[Callable[[Progress], None]]) -> Any:
        """How the import ``token`` ended (``import_status``), once mfd answers
        again (within ``timeout``, at least 60 s), polling while it still
        commits: its ``import_commit`` result, or ``MFDError`` ``import_failed``."""
        deadline = time.monotonic() + max(self.timeout or 0, 60)
        while True:
            try:
                status = self._call("import_status", {"import": token})
            except MFDConnectionError as e:
                if e.code not in ("unreachable", "connection_closed") or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
                continue
            except MFDError as e:
                if e.code != "not_found":
                    raise
                raise MFDError("import_failed", "mfd closed the connection during the commit and the import did not commit: "
                                                "nothing was stored; run it again") from None
            state = status.get("state")
            if state == "committed":
                return status.get("result")
            if state in ("failed", "aborted"):
                raise MFDError.from_wire(status.get("error") or {"code": "import_failed", "message": f"import {token} {state}"})
            if progress is not None and isinstance(status.get("progress"), dict):
                progress(_build(Progress, status["progress"]))
            time.sleep(0.5)  # each poll is answered at once: no silence builds up

    def import_file(self, kind: str, source: PathOrData, format: str = "auto", skip_bad: bool = False,
                    name: Optional[str] = None, progress: Optional[Callable[[Progress], None]] = None) -> ImportResult:
        """``import_begin``, ``import_chunk``… and ``import_commit`` for ``kind``
        (``ratings``, ``items`` or ``users``); the session is aborted on error.
        The daemon never opens a path: this client reads the file and sends its
        bytes, in chunks of at most 256 KiB, a few in flight at a time. The
        commit stores everything in one transaction and may take minutes: it
        asks for progress lines (each to ``progress``), so ``timeout`` bounds
        only mfd's silence. If the connection closes during the commit (mfd
        stopped or was killed), it waits for mfd to answer again (at least
        60 s) and asks how the import ended (``import_status``): its result if
        it committed, else ``MFDError`` with code ``import_failed``. If mfd
        stays silent past ``timeout``, :class:`MFDTimeoutError` carries the
        import's token in ``job``: the commit goes on, and :meth:`job` tells
        how it ends."""
        blocks, size, label = _open_source(source, name)
        try:
            with self._lock:
                begin = self._call("import_begin", {"kind": kind, "format": format, "skip_bad": skip_bad or None,
                                                    "name": label, "size": size})
                token = begin["import"]
                chunk = min(IMPORT_CHUNK_BYTES, max(1024, int(begin.get("max_chunk_bytes") or IMPORT_CHUNK_BYTES)))
                try:
                    replies = self._exchange(_chunk_requests(token, blocks, chunk), window=IMPORT_WINDOW)
                    self._collect(replies, False, lambda r: r)
                    try:
                        result = _build(ImportResult, self._long("import_commit", {"import": token}, progress, job=token))
                        self._reloaded(progress)
                        return result
                    except MFDConnectionError as e:
                        if e.code != "connection_closed":
                            raise
                        return _build(ImportResult, self._outcome(token, progress))
                except MFDConnectionError:
                    raise  # the session ended with the connection
                except MFDError:
                    self._abort("import_abort", token)
                    raise
        finally:
            close = getattr(blocks, "close", None)
            if close is not None:
                close()

    def _reloaded(self, progress: Optional[Callable[[Progress], None]]) -> None:
        """Returns once mfd has reloaded its lists after an import (``status``
        without ``loading``): until then reads answer from the data before it.
        Reports ``reload: STAGE``; a failed poll ends the wait, never the import."""
        while True:
            try:
                loading = self._call("status", {}).get("loading")
            except MFDError:
                return
            if not loading:
                return
            if progress is not None:
                progress(_build(Progress, {"stage": "reload: " + str(loading.get("stage", "")),
                                           "done": loading.get("done", 0), "total": loading.get("total", 0)}))
            time.sleep(0.5)  # each poll is answered at once: no silence builds up

    def import_model(self, manifest: Mapping[str, Any], users: Iterable[Sequence[Any]],
                     items: Iterable[Sequence[Any]], progress: Optional[Callable[[Progress], None]] = None) -> ImportModelResult:
        """Imports a model trained elsewhere: ``manifest`` is the wire manifest
        (``format`` ``"mfd-model-1"``, ``algorithm``, ``k``, ``global_mean``,
        ``users``, ``items``, ``params``, optional ``implicit`` and
        ``sequence``), ``users``/``items`` the factor rows
        ``[id, bias, f0, …, f(k-1)]`` (lists, tuples or a DataFrame's rows).
        Rows go in batches of about 512 KiB, a few in flight; the session is
        aborted on error. The new model is swapped in like a local retrain;
        the commit's progress lines go to ``progress``."""
        with self._lock:
            begin = self._call("import_model_begin", {"manifest": dict(manifest)})
            token = begin["import"]
            try:
                reqs = _model_row_requests(token, (("users", users), ("items", items)))
                self._collect(self._exchange(reqs, window=IMPORT_WINDOW), False, lambda r: r)
                return _build(ImportModelResult, self._long("import_model_commit", {"import": token}, progress, job=token))
            except MFDConnectionError:
                raise
            except MFDError:
                self._abort("import_abort", token)
                raise

    def _abort(self, op: str, token: str) -> None:
        try:
            self._call(op, {"import" if op == "import_abort" else "export": token})
        except MFDError:
            pass

    # -- admin: export -----------------------------------------------------

    def export(self, what: str, max_rows: int = 10_000) -> Export:
        """Pages through an export over a consistent snapshot and returns all its rows.

        ``what``: ``ratings`` (``user,item,rating,timestamp``), ``users``,
        ``items``, ``user_factors`` or ``item_factors`` (``id,bias,f0…``).
        ``max_rows`` is the page size (1…100000).
        """
        with self._lock:
            begin = self._call("export_begin", {"what": what})
            token = begin["export"]
            rows: List[List[Any]] = []
            try:
                while True:
                    page = self._call("export_next", {"export": token, "max_rows": max_rows})
                    rows.extend(page.get("rows") or [])
                    if page.get("done"):
                        break
            except MFDConnectionError:
                raise
            except MFDError:
                self._abort("export_end", token)
                raise
        exp = Export(what=begin.get("what", what), columns=list(begin.get("columns") or []), rows=rows,
                     rows_at_begin=begin.get("rows"), model_id=begin.get("model_id"),
                     global_mean=begin.get("global_mean"), sequence=begin.get("sequence"))
        exp.raw = begin
        return exp

    def export_dataframe(self, what: str, max_rows: int = 10_000) -> Any:
        """:meth:`export` as a pandas DataFrame (needs pandas)."""
        require_pandas()
        return self.export(what, max_rows).to_dataframe()


# -- import helpers ---------------------------------------------------------

def _open_source(source: PathOrData, name: Optional[str]) -> Tuple[Iterator[bytes], Optional[int], Optional[str]]:
    """(blocks of bytes, size when known, name for messages) of an import source."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            f = open(path, "rb")
        except OSError as e:
            raise OSError(e.errno, f"cannot read {path}: {e.strerror}") from None
        size = os.fstat(f.fileno()).st_size
        return _file_blocks(f, close=True), size, name or os.path.basename(path)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return iter([data]), len(data), name
    if is_dataframe(source):
        return dataframe_csv_chunks(source), None, name or "DataFrame"
    if hasattr(source, "read"):
        label = name
        if label is None and isinstance(getattr(source, "name", None), str):
            label = os.path.basename(source.name)
        return _file_blocks(source, close=False), None, label
    raise TypeError("an import source is a path, bytes, a file object or a pandas DataFrame, "
                    f"not {type(source).__name__}")


def _file_blocks(f: Any, close: bool) -> Iterator[bytes]:
    try:
        while True:
            block = f.read(IMPORT_CHUNK_BYTES)
            if not block:
                return
            yield block.encode("utf-8") if isinstance(block, str) else bytes(block)
    finally:
        if close:
            f.close()


def _chunk_requests(token: str, blocks: Iterator[bytes], size: int) -> Iterator[Request]:
    """``import_chunk`` requests of at most ``size`` bytes, cut after the last
    newline when there is one (so text chunks stay valid UTF-8); text goes as
    ``data``, anything that is not UTF-8 as ``data_base64``."""
    import base64
    offset = 0
    buf = bytearray()

    def request(piece: bytes) -> Request:
        nonlocal offset
        params: Dict[str, Any] = {"import": token, "offset": offset}
        try:
            params["data"] = piece.decode("utf-8")
        except UnicodeDecodeError:
            params["data_base64"] = base64.b64encode(piece).decode("ascii")
        offset += len(piece)
        return ("import_chunk", params)

    for block in blocks:
        buf += block
        while len(buf) >= size:
            nl = buf.rfind(b"\n", 0, size)
            cut = nl + 1 if nl >= 0 else size
            piece = bytes(buf[:cut])
            del buf[:cut]
            yield request(piece)
    if buf:
        yield request(bytes(buf))


def _model_row_requests(token: str, sides: Iterable[Tuple[str, Iterable[Sequence[Any]]]]) -> Iterator[Request]:
    for side, rows in sides:
        if is_dataframe(rows):
            rows = rows.itertuples(index=False)  # type: ignore[union-attr]
        batch: List[List[Any]] = []
        size = 0
        for row in rows:
            values = list(row)
            batch.append(values)
            size += len(encode_request(0, "", {"r": values})) - 18
            if size >= _MODEL_ROWS_BYTES:
                yield ("import_model_rows", {"import": token, "side": side, "rows": batch})
                batch, size = [], 0
        if batch:
            yield ("import_model_rows", {"import": token, "side": side, "rows": batch})
