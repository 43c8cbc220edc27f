"""The loopback server holds 500 simultaneous streams and finishes every one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

from workersai.emulator._types import BodyItem, EmuRequest, EmuResponse
from workersai.emulator.server import EmulatorServer

from .rawhttp import read_response, request_bytes
from .stub import SSE, events, sse_event

STREAMS = 500
EVENTS = 20


class BarrierStreams:
    """Each stream sends one event, then polls (with pauses) until ``STREAMS`` streams are
    open at once, then sends the rest: completing proves they were all held together."""

    def __init__(self) -> None:
        self.active = 0
        self.peak = 0

    def handle(self, request: EmuRequest) -> EmuResponse:
        return EmuResponse(200, SSE, self.stream(request.query["i"]))

    def stream(self, ident: str) -> Iterator[BodyItem]:
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            yield sse_event({"response": f"{ident}:0"})
            deadline = time.monotonic() + 15.0
            while self.peak < STREAMS and time.monotonic() < deadline:
                yield 0.02
            for n in range(1, EVENTS):
                yield sse_event({"response": f"{ident}:{n}"})
            yield b"data: [DONE]\n\n"
        finally:
            self.active -= 1


async def test_500_concurrent_streams_all_complete() -> None:
    # Raw asyncio connections: httpx's pool is quadratic in its connection count (about
    # 8 s for 500), which would time the client, not the server.
    handler = BarrierStreams()
    with EmulatorServer(handler) as server:

        async def one(i: int) -> list[str]:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            try:
                writer.write(request_bytes(f"/client/v4/accounts/a/ai/run/m?i={i}"))
                response = await read_response(reader)
            finally:
                writer.close()
            assert response.status == 200
            assert response.headers["transfer-encoding"] == "chunked"
            return events(response.body)

        start = time.perf_counter()
        results = await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(STREAMS))), timeout=20.0)
        elapsed = time.perf_counter() - start
    assert handler.peak == STREAMS
    assert handler.active == 0
    for i, payloads in enumerate(results):
        assert len(payloads) == EVENTS + 1
        assert payloads[0] == f'{{"response": "{i}:0"}}'
        assert payloads[-1] == "[DONE]"
    assert elapsed < 20.0
