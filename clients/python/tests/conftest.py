"""Fixtures: a real `mfd --demo` daemon, and a scripted fake server for
connection-level cases a real daemon cannot be made to show on demand."""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from typing import Callable, List, Optional

import pytest

import mfdclient

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]  # tests -> python -> clients -> repository root

#: How long a daemon may take to load the demo and train its first model (debug builds are slow).
READY_SECONDS = float(os.environ.get("MFD_READY_SECONDS", "180"))


def find_mfd() -> "tuple[Optional[pathlib.Path], str]":
    """The mfd binary: `$MFD_BIN_DIR/mfd`, else the repository's .build/release, then .build/debug."""
    env = os.environ.get("MFD_BIN_DIR")
    dirs = [pathlib.Path(env)] if env else [REPO / ".build" / "release", REPO / ".build" / "debug"]
    for d in dirs:
        exe = d / "mfd"
        if exe.is_file() and os.access(exe, os.X_OK):
            return exe, ""
    where = f"MFD_BIN_DIR={env}" if env else f"{dirs[0]} or {dirs[1]}"
    return None, f"no mfd binary in {where} (build it with `swift build -c release`, or set MFD_BIN_DIR)"


class Daemon:
    def __init__(self, exe: pathlib.Path, *args: str, env: Optional[dict] = None) -> None:
        # Short unique paths under /tmp: a socket path holds at most 107 bytes.
        self.dir = tempfile.mkdtemp(prefix="mfdpy-", dir="/tmp")
        self.socket = os.path.join(self.dir, "s.sock")
        self.log_path = os.path.join(self.dir, "mfd.log")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(exe), "--db", os.path.join(self.dir, "db.sqlite"), "--socket", self.socket, *args],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=None if env is None else {**os.environ, **env})

    def log(self) -> str:
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def wait_ready(self, need_model: bool = True) -> None:
        """Polls `status` until loading has ended (and a model serves), within READY_SECONDS."""
        deadline = time.monotonic() + READY_SECONDS
        last = "no answer yet"
        with mfdclient.Client(self.socket, timeout=5) as c:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"mfd exited with {self.proc.returncode} while starting:\n{self.log()}")
                try:
                    st = c.status()
                    if st.loading is None and (st.model is not None or not need_model):
                        return
                    last = f"loading={st.loading} model={st.model}"
                except mfdclient.MFDConnectionError as e:
                    last = str(e)
                time.sleep(0.05)  # poll interval; the deadline bounds the wait
        raise RuntimeError(f"mfd not ready within {READY_SECONDS} s ({last}):\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_demo(env: Optional[dict] = None) -> Daemon:
    exe, reason = find_mfd()
    if exe is None:
        pytest.skip(reason)
    d = Daemon(exe, "--demo", "--retrain", "manual", env=env)
    try:
        d.wait_ready()
    except BaseException:
        d.stop()
        raise
    return d


@pytest.fixture(scope="session")
def daemon():
    """A demo daemon shared by the tests that only read or write their own users."""
    d = start_demo()
    yield d
    d.stop()


@pytest.fixture(scope="session")
def client(daemon):
    with mfdclient.Client(daemon.socket) as c:
        yield c


@pytest.fixture(scope="module")
def admin_daemon():
    """A demo daemon of its own for tests that retrain or replace the model."""
    d = start_demo()
    yield d
    d.stop()


class FakeServer:
    """A Unix socket server that runs `script(conn)` for each connection it accepts."""

    def __init__(self, script: Callable[[socket.socket, int], None]) -> None:
        self.dir = tempfile.mkdtemp(prefix="mfdpy-fake-", dir="/tmp")
        self.path = os.path.join(self.dir, "s.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(8)
        self.script = script
        self.accepted = 0
        self.errors: List[BaseException] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            n = self.accepted
            self.accepted += 1
            try:
                with conn:
                    self.script(conn, n)
            except BaseException as e:  # reported by the test through .errors
                self.errors.append(e)

    def close(self) -> None:
        self.listener.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def read_line(conn: socket.socket) -> bytes:
    """One request line from the client (or b"" at its end)."""
    buf = b""
    while not buf.endswith(b"\n"):
        got = conn.recv(4096)
        if not got:
            return buf
        buf += got
    return buf


@pytest.fixture
def fake_server():
    servers: List[FakeServer] = []

    def make(script: Callable[[socket.socket, int], None]) -> FakeServer:
        s = FakeServer(script)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()
