"""The emulator's hostile delivery faults (drip, endless line, huge body, gzip bomb,
silence after ``[DONE]``) as a client sees them, in process and over loopback: each is
stopped by the client's limits, deadline or ``[DONE]`` handling."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from workersai import Client, Limits, errors
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator, EmulatorServer
from workersai.emulator.faults import Drip, EndlessLine, GzipBomb, HugeBody, SilenceAfterDone
from workersai.emulator.transport import emulator_http_client
from workersai.types import Message

MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
MiB = 1 << 20
SMALL = Limits(max_response_bytes=MiB, max_event_bytes=64 * 1024)


@pytest.fixture(params=["in-process", "loopback"])
def client_for(request: pytest.FixtureRequest) -> Iterator[Callable[..., Client]]:
    emulator = Emulator()
    server = EmulatorServer(emulator).__enter__() if request.param == "loopback" else None
    made: list[Client] = []

    def make(fault: object, **settings: object) -> Client:
        emulator.faults.add(fault)  # type: ignore[arg-type]
        http = None if server else emulator_http_client(emulator)
        base = server.base_url if server else "https://api.cloudflare.com/client/v4"
        client = Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                        base_url=base, http_client=http, **settings)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    if server is not None:
        server.__exit__(None, None, None)


def _chat(client: Client, stream: bool) -> object:
    messages = [Message("user", "hi")]
    if stream:
        return list(client.stream_chat(MODEL, messages))
    return client.chat(MODEL, messages)


@pytest.mark.parametrize(("fault", "stream"), [
    (HugeBody(300 * MiB), False),
    (GzipBomb(64 * MiB), False),
    (EndlessLine(after_events=2), True),
], ids=["huge-body", "gzip-bomb", "endless-line"])
def test_size_faults_hit_the_limits(
    client_for: Callable[..., Client], fault: object, stream: bool
) -> None:
    client = client_for(fault, limits=SMALL)
    with pytest.raises(errors.ResponseTooLargeError):
        _chat(client, stream)


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_drip_hits_the_deadline(client_for: Callable[..., Client], stream: bool) -> None:
    client = client_for(Drip(interval=0.02, size=1), timeout=2, deadline=0.3)
    start = time.monotonic()
    with pytest.raises(errors.TimeoutError, match="deadline"):
        _chat(client, stream)
    assert time.monotonic() - start < 3.0


def test_silence_after_done_does_not_hold_the_final_chunk(
    client_for: Callable[..., Client]
) -> None:
    client = client_for(SilenceAfterDone(10), timeout=5)
    start = time.monotonic()
    deltas = _chat(client, True)
    assert isinstance(deltas, list) and deltas[-1].final
    assert time.monotonic() - start < 3.0


def test_the_fault_bodies_are_what_they_say() -> None:
    import zlib

    from workersai.emulator._types import EmuRequest, EmuResponse

    req = EmuRequest("POST", "/x")
    huge = HugeBody(200_000).apply(req, lambda: EmuResponse(200))
    assert sum(len(b) for b in huge.body if isinstance(b, bytes)) == 200_000  # type: ignore[union-attr]
    bomb = GzipBomb(3 * MiB).apply(req, lambda: EmuResponse(200))
    wire = b"".join(b for b in bomb.body if isinstance(b, bytes))  # type: ignore[union-attr]
    assert len(wire) < 64 * 1024 and len(zlib.decompress(wire, 31)) == 3 * MiB
    assert ("content-encoding", "gzip") in bomb.headers
    sse = b"data: {}\n\ndata: [DONE]\n\n"
    quiet = SilenceAfterDone(7).apply(req, lambda: EmuResponse(200, [], sse))
    assert list(quiet.body)[-1] == 7.0  # type: ignore[arg-type]
    drip = Drip(0.1, 4).apply(req, lambda: EmuResponse(200, [], b"abcdefgh"))
    assert list(drip.body) == [b"", b"abcd", 0.1, b"efgh", 0.1]  # type: ignore[arg-type]
