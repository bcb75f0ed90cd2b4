"""Whom the client talks to: a daemon run by root, by the ``mfd`` system user
or by the caller, through a directory one of them owns (as mfctl does).

Anyone may create ``/tmp/mfd-0`` before root's mfd does and listen there;
without this check a client would send its requests (and imported files) to
that listener."""

from __future__ import annotations

import os
import socket
import stat
import struct
from typing import Optional, Set


def trusted_uids() -> Set[int]:
    """Root, the ``mfd`` system user when it exists, and the calling user."""
    uids = {0, os.getuid()}
    try:
        import pwd
        uids.add(pwd.getpwnam("mfd").pw_uid)
    except (ImportError, KeyError):
        pass
    return uids


def path_refusal(path: str, uids: Set[int]) -> Optional[str]:
    """Why the socket at ``path`` must not be used, or None. Its directory must
    belong to a trusted user and not be writable by others, except a sticky one
    such as ``/tmp``, where the socket itself must belong to a trusted user."""
    directory = os.path.dirname(path) or "."
    try:
        st = os.lstat(directory)
    except OSError:
        return None  # connecting will say what is missing
    if st.st_uid not in uids:
        return f"its directory {directory} belongs to uid {st.st_uid}"
    if st.st_mode & stat.S_IWOTH:
        if not st.st_mode & stat.S_ISVTX:
            return f"its directory {directory} is writable by everyone"
        try:
            owner = os.lstat(path).st_uid
        except OSError:
            return None
        if owner not in uids:
            return f"it belongs to uid {owner}"
    return None


def peer_refusal(sock: socket.socket, uids: Set[int]) -> Optional[str]:
    """Why the process listening on ``sock`` must not be used, or None (``SO_PEERCRED``)."""
    option = getattr(socket, "SO_PEERCRED", 17)
    pid, uid, gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return None if uid in uids else f"the server on it runs as uid {uid}"


def refusal_message(path: str, reason: str) -> str:
    return (f"refusing {path}: {reason}, not root, mfd or you; "
            "set MFD_SOCKET or socket= to your mfd's socket")
