"""Socket resolution, in mfctl's order."""

import os

import mfdclient
from mfdclient import resolve_socket


def never(_path):
    return False


def always(_path):
    return True


def test_explicit_socket_wins():
    env = {"MFD_SOCKET": "/env/s.sock", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert resolve_socket("/explicit.sock", env, 1000, always) == "/explicit.sock"


def test_mfd_socket_comes_next_and_empty_means_unset():
    env = {"MFD_SOCKET": "/env/s.sock", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert resolve_socket(None, env, 1000, always) == "/env/s.sock"
    assert resolve_socket("", env, 1000, always) == "/env/s.sock"
    assert resolve_socket(None, {"MFD_SOCKET": ""}, 1000, always) == "/run/mfd/mfd.sock"


def test_system_socket_when_it_exists():
    env = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    seen = []

    def exists(path):
        seen.append(path)
        return True

    assert resolve_socket(None, env, 1000, exists) == "/run/mfd/mfd.sock"
    assert seen == ["/run/mfd/mfd.sock"]


def test_hand_run_default():
    assert resolve_socket(None, {"XDG_RUNTIME_DIR": "/run/user/1000"}, 1000, never) == "/run/user/1000/mfd/mfd.sock"
    assert resolve_socket(None, {"XDG_RUNTIME_DIR": "/run/user/1000/"}, 1000, never) == "/run/user/1000/mfd/mfd.sock"
    assert resolve_socket(None, {"XDG_RUNTIME_DIR": ""}, 1000, never) == "/tmp/mfd-1000/mfd.sock"
    assert resolve_socket(None, {}, 0, never) == "/tmp/mfd-0/mfd.sock"


def test_defaults_are_the_process_environment_and_uid(monkeypatch):
    monkeypatch.delenv("MFD_SOCKET", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    expected = "/run/mfd/mfd.sock" if os.path.exists("/run/mfd/mfd.sock") else f"/tmp/mfd-{os.getuid()}/mfd.sock"
    assert resolve_socket() == expected
    assert mfdclient.Client().path == expected


def test_client_uses_mfd_socket_from_the_environment(monkeypatch, daemon):
    monkeypatch.setenv("MFD_SOCKET", daemon.socket)
    with mfdclient.Client() as c:
        assert c.path == daemon.socket
        assert c.ping() is True
