"""Optional pandas support: DataFrames in (imports) and out (exports)."""

from __future__ import annotations

import io
from typing import Any, Iterator


def require_pandas() -> Any:
    try:
        import pandas  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install pandas (or pip install 'mfdclient[pandas]')") from e
    return pandas


def is_dataframe(obj: Any) -> bool:
    """Whether ``obj`` is a pandas DataFrame, without importing pandas."""
    cls = type(obj)
    return cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] == "pandas"


def _cell(value: Any) -> Any:
    # genres given as a list ("Drama", "Comedy") become the CSV's "Drama|Comedy"
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return value


def dataframe_csv_chunks(frame: Any, rows_per_chunk: int = 50_000) -> Iterator[bytes]:
    """The DataFrame as CSV bytes with a header line (its column names), in
    slices of ``rows_per_chunk`` rows so a large frame is never written out
    whole. The index is not written; list cells are joined with ``|``."""
    header = True
    for start in range(0, max(len(frame), 1), rows_per_chunk):
        part = frame.iloc[start:start + rows_per_chunk]
        if len(part) and any(str(t) == "object" for t in part.dtypes):
            part = part.apply(lambda col: col.map(_cell) if str(col.dtype) == "object" else col)
        buf = io.StringIO()
        part.to_csv(buf, index=False, header=header, lineterminator="\n")
        header = False
        yield buf.getvalue().encode("utf-8")
