"""Exceptions raised by the client."""

from __future__ import annotations

from typing import Any, Optional


class MFDError(Exception):
    """An error answer from mfd (``{"ok": false, "error": {...}}``).

    ``code`` is the protocol's snake_case error code (``invalid_rating``,
    ``unknown_field``, ``too_many_connections``, ...; see docs/protocol.md),
    ``message`` the daemon's text and ``field`` the offending parameter
    (``rating``, ``ratings[3][2]``, ``ratings.csv:17``) or ``None``.
    """

    def __init__(self, code: str, message: str, field: Optional[str] = None) -> None:
        self.code = code
        self.message = message
        self.field = field
        super().__init__(self._text())

    def _text(self) -> str:
        text = f"{self.code}: {self.message}"
        return f"{text} ({self.field})" if self.field else text

    @classmethod
    def from_wire(cls, error: Any) -> "MFDError":
        """Builds the exception from a reply's ``error`` object."""
        if not isinstance(error, dict):
            return cls("internal", f"malformed error object: {error!r}")
        code = error.get("code")
        message = error.get("message")
        field = error.get("field")
        return cls(code if isinstance(code, str) else "internal",
                   message if isinstance(message, str) else "",
                   field if isinstance(field, str) else None)


class MFDConnectionError(MFDError):
    """The daemon could not be reached, closed the connection, or sent something
    that is not a protocol reply. The message names the socket path.

    ``code`` is ``unreachable``, ``connection_closed``, ``bad_response`` or
    ``untrusted_server`` (the socket's directory or the process listening on it
    belongs to someone other than root, the ``mfd`` user or the caller).
    """

    def __init__(self, code: str, message: str, path: str, job: Optional[str] = None) -> None:
        self.path = path
        #: The import token or training job that was under way in mfd when the
        #: connection ended: it goes on there, and :meth:`mfdclient.Client.job`
        #: tells how it ends. ``None`` otherwise.
        self.job = job
        super().__init__(code, message)

    def _text(self) -> str:
        return self.message


class MFDTimeoutError(MFDConnectionError):
    """mfd sent nothing (no answer, no progress line) for the client's
    ``timeout`` while a request awaited its answer (``code`` is ``timeout``).

    The connection is closed, since a late answer would put it out of step;
    the next call opens a new one.
    """


class JobFailedError(MFDError):
    """A training or tune job that was waited for ended without succeeding.

    ``job`` is the final :class:`mfdclient.Job`; ``code``/``message`` come
    from the job's ``error`` when it has one.
    """

    def __init__(self, job: Any) -> None:
        self.job = job
        err = job.error or {}
        code = err.get("code") if isinstance(err.get("code"), str) else "job_" + str(job.state)
        message = err.get("message") if isinstance(err.get("message"), str) else ""
        detail = f": {message}" if message else ""
        super().__init__(code, f"{job.kind} job {job.job} {job.state}{detail}", err.get("field"))

    def _text(self) -> str:
        return self.message
