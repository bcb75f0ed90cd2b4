"""Daemon errors as MFDError; connection problems as MFDConnectionError."""

import socket

import pytest

import mfdclient
from conftest import read_line


def test_unknown_parameter_names_the_field(client):
    with pytest.raises(mfdclient.MFDError) as e:
        client.call("recommend", user=42, bogus=1)
    assert (e.value.code, e.value.field) == ("unknown_field", "bogus")
    assert "bogus" in e.value.message and not isinstance(e.value, mfdclient.MFDConnectionError)
    with pytest.raises(mfdclient.MFDError) as e:
        client.set_config(factor=8)
    assert (e.value.code, e.value.field) == ("unknown_field", "factor")


def test_invalid_rating(client):
    with pytest.raises(mfdclient.MFDError) as e:
        client.add_rating(9401, 3211, 9)
    assert (e.value.code, e.value.field) == ("invalid_rating", "rating")
    assert str(e.value).startswith("invalid_rating: ") and str(e.value).endswith("(rating)")
    with pytest.raises(mfdclient.MFDError) as e:
        client.add_rating(9401, 3211, "abc")
    assert (e.value.code, e.value.field) == ("invalid_type", "rating")
    with pytest.raises(mfdclient.MFDError) as e:
        client.add_ratings([(9401, 3211, 4), (9401, 719, 0)])
    assert (e.value.code, e.value.field) == ("invalid_rating", "ratings[1][2]")
    with pytest.raises(mfdclient.MFDError) as e:
        client.user(9401)  # nothing of the failed writes was stored
    assert e.value.code == "unknown_user"


def test_nan_is_refused_before_sending_and_the_connection_stays_usable(client):
    with pytest.raises(ValueError, match="NaN"):
        client.add_rating(9401, 3211, float("nan"))
    assert client.ping()


def test_other_daemon_errors(client):
    with pytest.raises(mfdclient.MFDError) as e:
        client.recommend(42, n=0)
    assert (e.value.code, e.value.field) == ("invalid_value", "n")
    with pytest.raises(mfdclient.MFDError) as e:
        client.call("recomend", user=42)
    assert (e.value.code, e.value.field) == ("unknown_op", "op")
    with pytest.raises(mfdclient.MFDError) as e:
        client.item(123456789)
    assert e.value.code == "unknown_item"
    assert client.ping()  # errors leave the connection in step


def test_unreachable_socket_names_the_path(tmp_path):
    path = f"/tmp/mfdpy-missing-{tmp_path.name[-20:]}.sock"
    c = mfdclient.Client(path, timeout=2)
    with pytest.raises(mfdclient.MFDConnectionError) as e:
        c.ping()
    assert e.value.code == "unreachable" and path in str(e.value) and e.value.path == path
    long_path = "/tmp/" + "x" * 120 + ".sock"
    with pytest.raises(mfdclient.MFDConnectionError, match="at most 107"):
        mfdclient.Client(long_path).ping()


def test_bad_arguments_are_refused_at_once():
    with pytest.raises(ValueError):
        mfdclient.Client("/tmp/x.sock", timeout=0)
    with pytest.raises(TypeError, match="import source"):
        mfdclient.Client("/tmp/x.sock").import_ratings(12345)
    with pytest.raises(FileNotFoundError, match="cannot read /nonexistent/ratings.csv"):
        mfdclient.Client("/tmp/x.sock").import_ratings("/nonexistent/ratings.csv")


REFUSAL = b'{"id":null,"ok":false,"error":{"code":"too_many_connections","message":"too many connections (limit 1); try again later"}}\n'


def test_too_many_connections_refusal_is_an_mfd_error(fake_server):
    def script(conn: socket.socket, n: int) -> None:
        if n == 0:
            conn.sendall(REFUSAL)  # sent on accepting, before any request; then closed
            return
        line = read_line(conn)
        assert b'"op":"ping"' in line
        conn.sendall(b'{"id":1,"ok":true,"result":{"pong":true}}\n')

    server = fake_server(script)
    c = mfdclient.Client(server.path, timeout=5)
    with pytest.raises(mfdclient.MFDError) as e:
        c.ping()
    assert e.value.code == "too_many_connections" and "try again later" in e.value.message
    assert not isinstance(e.value, mfdclient.MFDConnectionError)
    assert c.ping() is True  # the next call opens a new connection
    assert server.accepted == 2 and not server.errors


def test_an_idle_connection_the_daemon_closed_is_replaced(fake_server):
    idle = b'{"id":null,"ok":false,"error":{"code":"timeout","message":"no request for 600 s; closing"}}\n'

    def script(conn: socket.socket, n: int) -> None:
        line = read_line(conn)
        assert line
        conn.sendall(b'{"id":1,"ok":true,"result":{"pong":true}}\n')
        if n == 0:
            conn.sendall(idle)  # the daemon's idle-connection timeout, then it closes

    server = fake_server(script)
    c = mfdclient.Client(server.path, timeout=5)
    assert c.ping() is True
    assert c.ping() is True
    assert server.accepted == 2 and not server.errors


def test_no_answer_within_timeout(fake_server):
    def script(conn: socket.socket, n: int) -> None:
        read_line(conn)
        read_line(conn)  # holds the connection open without answering until the client leaves

    server = fake_server(script)
    c = mfdclient.Client(server.path, timeout=0.3)
    with pytest.raises(mfdclient.MFDTimeoutError) as e:
        c.ping()
    assert e.value.code == "timeout" and server.path in str(e.value)
    assert isinstance(e.value, mfdclient.MFDConnectionError)
    c.close()


def test_connection_closed_mid_request_and_garbled_reply(fake_server):
    def script(conn: socket.socket, n: int) -> None:
        read_line(conn)
        if n == 1:
            conn.sendall(b"this is not json\n")
        if n == 2:
            conn.sendall(b'{"id":77,"ok":true,"result":{}}\n')

    server = fake_server(script)
    c = mfdclient.Client(server.path, timeout=5)
    with pytest.raises(mfdclient.MFDConnectionError) as e:
        c.ping()
    assert e.value.code == "connection_closed" and "closed the connection" in str(e.value)
    with pytest.raises(mfdclient.MFDConnectionError) as e:
        c.ping()
    assert e.value.code == "bad_response" and "not JSON" in str(e.value)
    with pytest.raises(mfdclient.MFDConnectionError) as e:
        c.ping()
    assert e.value.code == "bad_response" and "does not match" in str(e.value)
