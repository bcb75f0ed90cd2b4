"""A connection lost during import_commit is answered by asking how the import ended
(import_status); silence during it names the import; progress lines keep it alive."""

import json
import socket
import time

import pytest

import mfdclient
from conftest import read_line

RESULT = {"kind": "ratings", "format": "csv", "lines": 3, "imported": 2, "skipped": 0, "issues": [], "duration_s": 0.01}


def requests(conn):
    """Each request the client sends, parsed, until it hangs up."""
    while True:
        line = read_line(conn)
        if not line:
            return
        yield json.loads(line)


def upload_reply(req):
    """The answer to import_begin or import_chunk; None for any other request."""
    if req["op"] == "import_begin":
        return {"id": req.get("id"), "ok": True, "result": {"import": "imp-x", "max_chunk_bytes": 4096}}
    if req["op"] == "import_chunk":
        return {"id": req.get("id"), "ok": True, "result": {"bytes": 10, "lines": 1}}
    return None


def script(lands):
    def run(conn, n):
        for req in requests(conn):
            op, rid = req["op"], req.get("id")
            reply = upload_reply(req)
            if reply is None and op == "import_commit":
                return  # hang up, as a daemon killed mid-commit would
            if reply is None and op == "import_status" and lands:
                reply = {"id": rid, "ok": True, "result": {"import": "imp-x", "kind": "ratings", "state": "committed",
                                                           "result": RESULT}}
            elif reply is None:
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


def committing(progress_lines, then_answer):
    """Answers import_commit after ``progress_lines`` progress lines 0.1 s apart,
    or (``then_answer`` false) goes silent after them."""
    def run(conn: socket.socket, n: int) -> None:
        for req in requests(conn):
            op, rid = req["op"], req.get("id")
            reply = upload_reply(req)
            if reply is None:
                assert op == "import_commit" and req.get("progress") is True
                for i in range(progress_lines):
                    conn.sendall(json.dumps({"id": rid, "progress": {"stage": "write", "done": i, "total": progress_lines,
                                                                     "import": "imp-x"}}).encode() + b"\n")
                    time.sleep(0.1)  # mfd's cadence, sped up: far below the client's timeout
                if not then_answer:
                    read_line(conn)  # silent until the client leaves
                    return
                reply = {"id": rid, "ok": True, "result": RESULT}
            conn.sendall(json.dumps(reply).encode() + b"\n")
    return run


def test_a_commit_longer_than_the_timeout_succeeds_while_progress_arrives(fake_server):
    server = fake_server(committing(20, True))  # 2 s in all, twice the timeout
    seen = []
    r = mfdclient.Client(socket=server.path, timeout=1).import_ratings(b"userId,movieId,rating\n1,2,3.5\n", progress=seen.append)
    assert r.imported == 2
    assert len(seen) == 20 and all(p.stage == "write" and p.import_token == "imp-x" for p in seen)
    assert seen[-1].fraction == 19 / 20


def test_silence_during_the_commit_names_the_import(fake_server):
    server = fake_server(committing(3, False))
    with pytest.raises(mfdclient.MFDTimeoutError) as e:
        mfdclient.Client(socket=server.path, timeout=0.5).import_ratings(b"userId,movieId,rating\n1,2,3.5\n")
    assert e.value.job == "imp-x" and "client.job('imp-x')" in str(e.value), str(e.value)
