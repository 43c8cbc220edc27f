"""Streams end at ``[DONE]``: a server that stays silent after it never holds up the
final chunk (usage included); a well-behaved one still gets its connection reused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from tests.reliability._surfaces import STREAMS, Surface, invoke

from ._calls import EVENTS, SSE, chat, ok
from .conftest import ACCOUNT, TOKEN
from .server import Conn, HostileServer, Request

Start = Callable[..., HostileServer]
TWINS = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


async def silent_after_done(request: Request, conn: Conn) -> None:
    await conn.head(200, SSE, chunked=True)
    for event in EVENTS:
        await conn.body(b"data: " + event + b"\n\n")
    await conn.body(b"data: [DONE]\n\n")
    await conn.stall(10)  # no chunked terminator, no close


async def chatty_after_done(request: Request, conn: Conn) -> None:
    await conn.head(200, SSE, chunked=True)
    await conn.body(b"".join(b"data: " + e + b"\n\n" for e in EVENTS) + b"data: [DONE]\n\n")
    await conn.drip(b": more" * 1000, interval=0.01, size=7)  # keeps talking, never ends


@TWINS
@pytest.mark.parametrize("handler", [silent_after_done, chatty_after_done],
                         ids=["silent", "chatty"])
def test_the_final_chunk_comes_at_done(hostile: Start, is_async: bool, handler: object) -> None:
    server = hostile(handler)
    start = time.monotonic()
    deltas = chat(server.url, is_async=is_async, stream=True, timeout=5)
    took = time.monotonic() - start
    assert "".join(d.text for d in deltas) == "Hello"
    final = deltas[-1]
    assert final.final and final.usage is not None and final.usage.total_tokens == 5
    assert took < 3.0  # not stream_idle (5 s) or the server's 10 s of silence


@TWINS
def test_a_prompt_terminator_keeps_the_connection_pooled(hostile: Start, is_async: bool) -> None:
    server = hostile(ok)

    def three() -> None:
        from workersai import AsyncClient, Client
        from workersai.types import Message

        from ._calls import MODEL, kwargs

        if not is_async:
            with Client(**kwargs(server.url)) as client:
                for _ in range(3):
                    list(client.stream_chat(MODEL, [Message("user", "x")]))
            return

        async def run() -> None:
            async with AsyncClient(**kwargs(server.url)) as client:
                for _ in range(3):
                    [d async for d in client.stream_chat(MODEL, [Message("user", "x")])]

        asyncio.run(run())

    three()
    assert len(server.requests) == 3 and server.connections == 1


@pytest.mark.parametrize("surface", STREAMS, ids=lambda s: s.name)
def test_front_end_streams_end_at_done(hostile: Start, surface: Surface) -> None:
    server = hostile(silent_after_done)
    obj = surface.build(base_url=server.url, account_id=ACCOUNT, api_key=TOKEN, timeout=5)
    start = time.monotonic()
    assert asyncio.run(invoke(surface, obj)) == "Hello"
    assert time.monotonic() - start < 3.0
