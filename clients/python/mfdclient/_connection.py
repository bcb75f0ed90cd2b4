"""One connection to mfd: framing, request IDs, pipelining with backpressure."""

from __future__ import annotations

import errno
import json
import os
import selectors
import socket
import time
from collections import deque
from typing import Any, Callable, Deque, Dict, Iterable, Iterator, List, Optional, Tuple

from ._errors import MFDConnectionError, MFDError, MFDTimeoutError
from ._socketpath import MAX_PATH_BYTES
from ._trust import path_refusal, peer_refusal, refusal_message, trusted_uids

#: Requests written before the first of them is answered, at most. The daemon
#: itself takes at most 64 at a time from a connection; the rest wait in the
#: socket buffers, which is harmless since this client always reads while it writes.
DEFAULT_WINDOW = 64

# Stop encoding further requests while this many bytes wait to be written.
_OUT_HIGH_WATER = 1 << 20
_RECV_BYTES = 1 << 20


def _json_default(obj: Any) -> Any:
    # numpy scalars and arrays (what pandas hands out) without importing numpy
    if hasattr(obj, "tolist") and callable(obj.tolist):
        return obj.tolist()
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "__fspath__"):
        return os.fspath(obj)
    raise TypeError(f"{type(obj).__name__} is not a JSON value")


def encode_request(request_id: int, op: str, params: Dict[str, Any], progress: bool = False) -> bytes:
    """One request line: ``{"id":…,"op":…,…params}\\n``; parameters that are ``None`` are left out.
    With ``progress`` the request asks mfd for progress lines while it runs."""
    body: Dict[str, Any] = {"id": request_id, "op": op}
    if progress:
        body["progress"] = True
    for key, value in params.items():
        if value is not None:
            body[key] = value
    try:
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_json_default)
    except ValueError as e:
        raise ValueError(f"{op}: NaN and infinite numbers cannot be sent (JSON has no such values): {e}") from None
    except TypeError as e:
        raise TypeError(f"{op}: {e}") from None
    return text.encode("utf-8") + b"\n"


Reply = Tuple[bool, Any]  # (True, result) or (False, MFDError)
ProgressHandler = Callable[[Dict[str, Any]], None]


class Connection:
    """A connected socket. Not thread-safe: :class:`mfdclient.Client` serializes access."""

    def __init__(self, path: str, timeout: Optional[float]) -> None:
        self.path = path
        self.used = False  # whether an exchange has completed on it
        if len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
            raise MFDConnectionError(
                "unreachable",
                f"cannot connect to {path}: the path is {len(path.encode())} bytes; "
                f"a Unix socket path holds at most {MAX_PATH_BYTES}", path)
        uids = trusted_uids()
        why = path_refusal(path, uids)
        if why:
            raise MFDConnectionError("untrusted_server", refusal_message(path, why), path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
        except socket.timeout:
            sock.close()
            raise MFDTimeoutError("timeout", f"cannot connect to {path}: no answer within {timeout} s", path) from None
        except OSError as e:
            sock.close()
            reason = e.strerror or str(e)
            raise MFDConnectionError(
                "unreachable",
                f"cannot connect to {path} ({reason}): is mfd running? try `systemctl status mfd`", path) from None
        why = peer_refusal(sock, uids)
        if why:
            sock.close()
            raise MFDConnectionError("untrusted_server", refusal_message(path, why), path)
        sock.setblocking(False)
        self.sock: Optional[socket.socket] = sock
        self.selector = selectors.DefaultSelector()
        self.selector.register(sock, selectors.EVENT_READ)
        self.inbuf = bytearray()
        self.next_id = 1

    # -- state -------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.sock is None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.selector.unregister(self.sock)
            except (KeyError, ValueError):
                pass
            self.selector.close()
            self.sock.close()
            self.sock = None

    def stale(self) -> bool:
        """Whether the idle connection was closed or spoken to by the daemon.

        Nothing is in flight between exchanges, so anything readable now is
        the end of the connection or a farewell line (an idle connection's
        ``timeout``, ``shutting_down``): the connection cannot be used.
        """
        if self.sock is None:
            return True
        if self.inbuf:
            return True
        try:
            self.selector.modify(self.sock, selectors.EVENT_READ)
            return bool(self.selector.select(0))
        except (OSError, ValueError):
            return True

    # -- exchange ----------------------------------------------------------

    def exchange(self, requests: Iterable[Tuple[str, Dict[str, Any]]], timeout: Optional[float],
                 window: int = DEFAULT_WINDOW, on_progress: Optional[ProgressHandler] = None) -> List[Reply]:
        """Writes every request and reads their replies, in order.

        At most ``window`` requests are unanswered at a time, and replies are
        read while requests are written, so the daemon's backpressure (it
        stops reading while too many replies are unread) cannot deadlock.
        ``timeout`` is the longest silence allowed: how long mfd may send
        nothing (no reply, no progress line) and writing make no headway;
        ``None`` waits without limit. With ``on_progress`` each request asks
        for progress lines (``"progress": true``), and each line's
        ``progress`` object is handed to it: mfd sends one at least every
        second while a long request works, so it never looks silent. A daemon error for one request
        is returned in its place as ``(False, MFDError)``; a line with
        ``"id": null`` (the connection's own error: ``too_many_connections``,
        ``line_too_long``, an idle ``timeout``) is raised as :class:`MFDError`
        and ends the connection, as does any connection problem.
        """
        if self.sock is None:
            raise MFDConnectionError("connection_closed", f"the connection to mfd at {self.path} is closed", self.path)
        window = max(1, window)
        source: Iterator[Tuple[str, Dict[str, Any]]] = iter(requests)
        source_done = False
        out = bytearray()
        pending: Deque[int] = deque()
        replies: List[Reply] = []
        write_failed: Optional[OSError] = None
        deadline = None if timeout is None else time.monotonic() + timeout
        sock = self.sock
        try:
            while True:
                # Encode more requests while the window and the output buffer allow.
                while not source_done and write_failed is None and len(pending) < window and len(out) < _OUT_HIGH_WATER:
                    try:
                        op, params = next(source)
                    except StopIteration:
                        source_done = True
                        break
                    line = encode_request(self.next_id, op, params, progress=on_progress is not None)
                    pending.append(self.next_id)
                    self.next_id += 1
                    out += line
                if not pending and source_done:
                    break
                events = selectors.EVENT_READ
                if out and write_failed is None:
                    events |= selectors.EVENT_WRITE
                self.selector.modify(sock, events)
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready = self.selector.select(wait)
                if not ready:
                    raise MFDTimeoutError(
                        "timeout", f"no answer from mfd at {self.path} within {timeout} s", self.path)
                progressed = False
                for _, mask in ready:
                    if mask & selectors.EVENT_WRITE and out:
                        try:
                            sent = sock.send(out)
                            del out[:sent]
                            progressed = progressed or sent > 0
                        except (BlockingIOError, InterruptedError):
                            pass
                        except OSError as e:
                            # The daemon closed the connection; read what it said before it did.
                            write_failed = e
                            out.clear()
                    if mask & selectors.EVENT_READ:
                        got = self._read(pending, replies, on_progress)
                        progressed = progressed or got
                if progressed and timeout is not None:
                    deadline = time.monotonic() + timeout
        except BaseException:
            self.close()
            raise
        self.used = True
        return replies

    def _read(self, pending: Deque[int], replies: List[Reply], on_progress: Optional[ProgressHandler] = None) -> bool:
        """Reads what is there and matches complete lines to ``pending``; True on a reply or progress line."""
        assert self.sock is not None
        try:
            data = self.sock.recv(_RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as e:
            if e.errno not in (errno.ECONNRESET, errno.EPIPE):
                raise MFDConnectionError(
                    "connection_closed", f"reading from mfd at {self.path} failed: {e.strerror or e}", self.path) from None
            data = b""
        if not data:
            lost = f" with {len(pending)} request(s) unanswered" if pending else ""
            raise MFDConnectionError("connection_closed", f"mfd at {self.path} closed the connection{lost}", self.path)
        self.inbuf += data
        answered = False
        start = 0
        # Lines after the last awaited reply stay buffered: they are not answers to
        # these requests (e.g. an idle connection's farewell), and `stale` sees them.
        while pending:
            nl = self.inbuf.find(b"\n", start)
            if nl < 0:
                break
            line = bytes(self.inbuf[start:nl])
            start = nl + 1
            if not line.strip():
                continue
            self._match(line, pending, replies, on_progress)
            answered = True
        if start:
            del self.inbuf[:start]
        return answered

    def _match(self, line: bytes, pending: Deque[int], replies: List[Reply],
               on_progress: Optional[ProgressHandler] = None) -> None:
        try:
            reply = json.loads(line)
        except ValueError:
            raise self._bad(f"not JSON: {line[:200]!r}") from None
        if isinstance(reply, dict) and "ok" not in reply and isinstance(reply.get("progress"), dict):
            # A progress line of the request awaited first: not its answer.
            if on_progress is not None and pending and reply.get("id") == pending[0]:
                on_progress(reply["progress"])
            return
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            raise self._bad(f"not a reply object: {line[:200]!r}")
        rid = reply.get("id")
        if pending and rid == pending[0] and not isinstance(rid, bool):
            pending.popleft()
            if reply["ok"]:
                replies.append((True, reply.get("result")))
            else:
                replies.append((False, MFDError.from_wire(reply.get("error"))))
            return
        if rid is None and not reply["ok"]:
            # The connection's own error: it is not the answer to a request of ours.
            err = MFDError.from_wire(reply.get("error"))
            err.answered_before = len(replies)  # type: ignore[attr-defined]
            raise err
        expected = pending[0] if pending else "none"
        raise self._bad(f"reply id {rid!r} does not match the request id {expected}")

    def _bad(self, what: str) -> MFDConnectionError:
        return MFDConnectionError("bad_response", f"bad response from mfd at {self.path}: {what}", self.path)
