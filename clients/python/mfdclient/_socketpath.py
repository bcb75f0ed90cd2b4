"""Where the daemon's socket is, resolved the way mfctl resolves it."""

from __future__ import annotations

import os
from typing import Callable, Mapping, Optional

#: The systemd unit's socket.
SYSTEM_SOCKET = "/run/mfd/mfd.sock"

#: Longest Unix socket path in bytes (``sun_path`` less its NUL).
MAX_PATH_BYTES = 107


def hand_run_default(environ: Mapping[str, str], uid: int) -> str:
    """mfd's socket when run by hand: ``$XDG_RUNTIME_DIR/mfd/mfd.sock``, else ``/tmp/mfd-$UID/mfd.sock``."""
    xdg = environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return (xdg if xdg.endswith("/") else xdg + "/") + "mfd/mfd.sock"
    return f"/tmp/mfd-{uid}/mfd.sock"


def resolve_socket(socket: "Optional[str | os.PathLike[str]]" = None,
                   environ: Optional[Mapping[str, str]] = None,
                   uid: Optional[int] = None,
                   exists: Optional[Callable[[str], bool]] = None) -> str:
    """The socket path, in mfctl's order:

    1. ``socket`` when given (and not empty);
    2. ``$MFD_SOCKET`` when set (and not empty);
    3. ``/run/mfd/mfd.sock`` if it exists;
    4. mfd's hand-run default: ``$XDG_RUNTIME_DIR/mfd/mfd.sock``, or
       ``/tmp/mfd-$UID/mfd.sock`` without ``XDG_RUNTIME_DIR``.

    ``environ``, ``uid`` and ``exists`` default to the process's environment,
    real user ID and :func:`os.path.exists`.
    """
    if socket is not None:
        path = os.fspath(socket)
        if path:
            return path
    env = os.environ if environ is None else environ
    from_env = env.get("MFD_SOCKET")
    if from_env:
        return from_env
    if (os.path.exists if exists is None else exists)(SYSTEM_SOCKET):
        return SYSTEM_SOCKET
    return hand_run_default(env, os.getuid() if uid is None else uid)
