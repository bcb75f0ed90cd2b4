"""The client talks only to a daemon run by root, the mfd user or the caller."""

import os
import tempfile

import pytest

import mfdclient
from mfdclient import _trust

STRANGER = 54321


def test_a_directory_of_someone_else_is_refused_before_connecting():
    if os.getuid() != 0:
        pytest.skip("chown needs root")
    d = tempfile.mkdtemp(prefix="mfdpy-trust-", dir="/tmp")
    try:
        os.chown(d, STRANGER, -1)
        with pytest.raises(mfdclient.MFDConnectionError) as e:
            mfdclient.Client(socket=os.path.join(d, "mfd.sock")).ping()
        assert e.value.code == "untrusted_server"
        assert f"its directory {d} belongs to uid {STRANGER}" in e.value.message
    finally:
        os.rmdir(d)


def test_a_directory_everyone_may_write_is_refused_unless_sticky():
    d = tempfile.mkdtemp(prefix="mfdpy-trust-", dir="/tmp")
    try:
        os.chmod(d, 0o777)
        uids = _trust.trusted_uids()
        assert _trust.path_refusal(os.path.join(d, "s.sock"), uids) == f"its directory {d} is writable by everyone"
        os.chmod(d, 0o1777)
        assert _trust.path_refusal(os.path.join(d, "s.sock"), uids) is None
    finally:
        os.rmdir(d)


def test_a_server_run_by_another_user_is_refused_after_connecting(fake_server, monkeypatch):
    server = fake_server(lambda conn, n: conn.recv(100))
    # Trust only a stranger: the directory check is passed by, the kernel's record of the listener decides.
    monkeypatch.setattr("mfdclient._connection.trusted_uids", lambda: {STRANGER})
    monkeypatch.setattr("mfdclient._connection.path_refusal", lambda path, uids: None)
    with pytest.raises(mfdclient.MFDConnectionError) as e:
        mfdclient.Client(socket=server.path).ping()
    assert e.value.code == "untrusted_server"
    assert f"the server on it runs as uid {os.getuid()}" in e.value.message
