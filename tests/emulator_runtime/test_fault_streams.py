"""Delivery faults: stalls, resets, cut streams, missing [DONE], error events, chunking.

Pure checks on the rewritten body first, then the same faults seen by real clients over
the in-process transport and the loopback server.
"""

from __future__ import annotations

import time

import httpx
import pytest

from workersai.emulator import RESET
from workersai.emulator._types import BodyItem, EmuRequest, EmuResponse
from workersai.emulator.faults import (
    Chunked,
    Combined,
    CutStream,
    ErrorEvent,
    Fault,
    Latency,
    NoDone,
    ResetBeforeBody,
    Stall,
)
from workersai.emulator.server import EmulatorServer
from workersai.emulator.transport import emulator_http_client

from .stub import StubHandler, events

E1, E2, E3 = (b'data: {"response":"%d"}\n\n' % i for i in (1, 2, 3))
DONE = b"data: [DONE]\n\n"
ERROR = (b'data: {"errors":[{"code":3040,"message":"Capacity temporarily exceeded, '
         b'please try again."}],"success":false}\n\n')
STREAM = "/accounts/a/ai/run/@cf/m/stream"


def rewrite(fault: Fault, body: list[BodyItem] | bytes) -> list[BodyItem]:
    """The body ``fault`` makes of a normal reply with ``body`` (split across items)."""
    reply = fault.apply(EmuRequest("POST", STREAM), lambda: EmuResponse(200, [], body))
    assert reply.status == 200
    return [reply.body] if isinstance(reply.body, bytes) else list(reply.body)


# Events split across items, and a pause.
SPLIT: list[BodyItem] = [E1[:5], E1[5:] + E2[:3], E2[3:], 0.5, E3 + DONE]


def test_events_are_found_across_item_boundaries() -> None:
    assert rewrite(CutStream(2), SPLIT) == [b"", E1, E2, RESET]
    assert rewrite(NoDone(), SPLIT) == [E1, E2, 0.5, E3]


def test_stall_before_status_and_after_events() -> None:
    assert rewrite(Stall(9.0), [E1, DONE]) == [9.0, E1, DONE]
    assert rewrite(Stall(9.0, after_events=2), [E1, E2, E3, DONE]) == [E1, E2, 9.0, E3, DONE]
    assert rewrite(Latency(0.3), b"{}") == [0.3, b"{}"]


def test_cut_stream_variants() -> None:
    assert rewrite(CutStream(0), [E1, DONE]) == [b"", RESET]
    assert rewrite(CutStream(10), [E1, DONE]) == [b"", E1, DONE, RESET]  # short body: at end
    assert rewrite(CutStream(1), b'{"result":{}}') == [b"", b'{"result":{}}', RESET]


def test_error_event_after_n_or_instead_of_done() -> None:
    assert rewrite(ErrorEvent(2), [E1, E2, E3, DONE]) == [E1, E2, ERROR]
    assert rewrite(ErrorEvent(0), [E1, DONE]) == [ERROR]
    assert rewrite(ErrorEvent(9), [E1, DONE]) == [E1, ERROR]
    custom = rewrite(ErrorEvent(1, code=3021, message="slow down"), [E1, DONE])
    assert custom[-1] == (b'data: {"errors":[{"code":3021,"message":"slow down"}],'
                          b'"success":false}\n\n')


def test_no_done_accepts_bare_done_and_crlf() -> None:
    assert rewrite(NoDone(), [b"data: a\r\n\r\n", b"[DONE]\n\n"]) == [b"data: a\r\n\r\n"]


def test_chunked_cycles_sizes_and_keeps_pauses() -> None:
    body = bytes(range(20))
    pieces = rewrite(Chunked([1, 7]), body)
    assert [len(p) for p in pieces] == [1, 7, 1, 7, 1, 3]  # type: ignore[arg-type]
    assert b"".join(pieces) == body  # type: ignore[arg-type]
    assert rewrite(Chunked(4), [b"abcdef", 0.1, b"gh", RESET]) == [b"abcd", b"ef", 0.1,
                                                                   b"gh", RESET]
    with pytest.raises(ValueError):
        Chunked([])
    with pytest.raises(ValueError):
        Chunked([3, 0])


def test_chunked_splits_inside_multibyte_utf8() -> None:
    body = 'data: {"response":"héllo → 世界 🙂"}\n\n'.encode()
    pieces = rewrite(Chunked(1), body)
    assert all(len(p) == 1 for p in pieces)  # type: ignore[arg-type]
    broken = 0
    for piece in pieces:
        try:
            piece.decode()  # type: ignore[union-attr]
        except UnicodeDecodeError:
            broken += 1
    assert broken > 0
    assert b"".join(pieces).decode() == body.decode()  # type: ignore[arg-type]


def test_combined_applies_first_outermost() -> None:
    assert rewrite(Combined(Latency(0.1), CutStream(1)), [E1, DONE]) == [0.1, b"", E1, RESET]


# --- the same faults seen by clients -------------------------------------------------


def read_stream(client: httpx.Client, url: str = STREAM + "?n=5") -> tuple[int, list[bytes]]:
    got: list[bytes] = []
    with client.stream("POST", url) as response:
        for chunk in response.iter_raw():
            got.append(chunk)
    return response.status_code, got


@pytest.fixture(params=["in-process", "loopback"])
def client(request: pytest.FixtureRequest, stub: StubHandler):  # type: ignore[no-untyped-def]
    if request.param == "in-process":
        with emulator_http_client(stub, timeout=httpx.Timeout(5.0, read=0.3)) as c:
            yield c
        return
    with EmulatorServer(stub) as server, httpx.Client(
            base_url=server.base_url, timeout=httpx.Timeout(5.0, read=0.3)) as c:
        yield c


def test_cut_stream_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    stub.faults.add(CutStream(3), times=1)
    got: list[bytes] = []
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)), \
            client.stream("POST", STREAM + "?n=5&pause=0.001") as response:
        assert response.status_code == 200
        for chunk in response.iter_raw():
            got.append(chunk)
    assert events(b"".join(got)) == ['{"response": "tok0", "p": ""}',
                                     '{"response": "tok1", "p": "x"}',
                                     '{"response": "tok2", "p": "xx"}']
    assert read_stream(client)[0] == 200  # next request is fine


def test_reset_before_body_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    stub.faults.add(ResetBeforeBody(), on=1)
    with pytest.raises((httpx.ConnectError, httpx.RemoteProtocolError)):
        client.post(STREAM)
    assert client.post("/echo").status_code == 200


def test_stall_trips_read_timeout_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    stub.faults.add(Stall(30.0), times=1)
    start = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        client.post(STREAM)
    stub.faults.add(Stall(30.0, after_events=2), times=1)
    got: list[bytes] = []
    with pytest.raises(httpx.ReadTimeout), client.stream("POST", STREAM) as response:
        for chunk in response.iter_raw():
            got.append(chunk)
    assert len(events(b"".join(got))) == 2
    assert time.perf_counter() - start < 3.0


def test_no_done_and_error_event_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    stub.faults.add(NoDone(), on=1)
    stub.faults.add(ErrorEvent(2), on=2)
    first = events(b"".join(read_stream(client)[1]))
    assert len(first) == 6 and first[-1].startswith('{"response": "", "usage"')
    second = events(b"".join(read_stream(client)[1]))
    assert second[2] == ERROR.decode()[6:-2] and len(second) == 3


def test_chunked_sizes_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    url = STREAM + "?n=3&text=h%C3%A9%E4%B8%96"
    normal = b"".join(read_stream(client, url)[1])
    stub.faults.add(Chunked([1, 7, 97]), times=1)
    status, pieces = read_stream(client, url)
    assert status == 200 and b"".join(pieces) == normal
    assert len(pieces) > 3 and max(len(p) for p in pieces) <= 97
    with pytest.raises(UnicodeDecodeError):
        for piece in pieces:
            piece.decode()


def test_latency_on_the_wire(client: httpx.Client, stub: StubHandler) -> None:
    stub.faults.add(Latency(0.15), times=1)
    start = time.perf_counter()
    assert client.post("/echo").status_code == 200
    assert time.perf_counter() - start >= 0.15
