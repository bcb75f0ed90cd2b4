"""A connection lost during import_commit is answered by asking for the import's receipt."""

import json

import pytest

import mfdclient
from conftest import read_line

RESULT = {"kind": "ratings", "format": "csv", "lines": 3, "imported": 2, "skipped": 0, "issues": [], "duration_s": 0.01}


def script(lands):
    def run(conn, n):
        while True:
            line = read_line(conn)
            if not line:
                return
            req = json.loads(line)
            op, rid = req["op"], req.get("id")
            if op == "import_begin":
                reply = {"id": rid, "ok": True, "result": {"import": "imp-x", "max_chunk_bytes": 4096}}
            elif op == "import_chunk":
                reply = {"id": rid, "ok": True, "result": {"bytes": 10, "lines": 1}}
            elif op == "import_commit":
                return  # hang up, as a daemon killed mid-commit would
            elif op == "import_receipt" and lands:
                reply = {"id": rid, "ok": True, "result": RESULT}
            else:
                reply = {"id": rid, "ok": False, "error": {"code": "not_found", "message": "no committed import", "field": "import"}}
            conn.sendall(json.dumps(reply).encode() + b"\n")
    return run


def test_a_commit_that_landed_is_reported_as_done(fake_server):
    server = fake_server(script(True))
    r = mfdclient.Client(socket=server.path, timeout=5).import_ratings(b"userId,movieId,rating\n1,2,3.5\n1,3,4\n")
    assert r.imported == 2


def test_a_commit_that_did_not_land_is_an_import_failure(fake_server):
    server = fake_server(script(False))
    with pytest.raises(mfdclient.MFDError) as e:
        mfdclient.Client(socket=server.path, timeout=5).import_ratings(b"userId,movieId,rating\n1,2,3.5\n")
    assert e.value.code == "import_failed" and "did not commit" in e.value.message
