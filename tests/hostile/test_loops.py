"""No socket leak per event loop: one async object used from hundreds of ``asyncio.run``
calls keeps one pooled client (and its sockets) per *live* loop only."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import Callable
from typing import Any

import pytest

from langchain_workersai import ChatWorkersAI
from llamaindex_workersai import WorkersAIEmbedding
from workersai import AsyncClient
from workersai.types import Message

from ._calls import MODEL, kwargs, ok
from .conftest import ACCOUNT, TOKEN
from .server import HostileServer

Start = Callable[..., HostileServer]
RUNS = 300


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _settled(server: HostileServer, before: int) -> tuple[int, int]:
    for _ in range(50):
        gc.collect()
        if open_fds() <= before + 4 and server.open == 0:
            break
        import time

        time.sleep(0.02)
    return open_fds(), server.open


def test_one_async_client_across_300_event_loops_keeps_no_sockets(hostile: Start) -> None:
    server = hostile(ok)
    client = AsyncClient(**kwargs(server.url))
    before = open_fds()
    peak = 0

    async def one() -> None:
        nonlocal peak
        await client.chat(MODEL, [Message("user", "x")])
        peak = max(peak, open_fds())

    for _ in range(RUNS):
        asyncio.run(one())
    assert len(server.requests) == RUNS
    assert peak <= before + 8  # one loop's sockets at a time, never 300
    assert len(client._backend._loops) <= 1  # type: ignore[attr-defined]
    fds, still_open = _settled(server, before)
    assert fds <= before + 4 and still_open == 0


@pytest.mark.parametrize("make", ["lc", "li"])
def test_front_ends_release_each_loops_client(hostile: Start, make: str) -> None:
    server = hostile(ok)
    before = open_fds()
    obj: Any
    if make == "lc":
        obj = ChatWorkersAI(model=MODEL, base_url=server.url, account_id=ACCOUNT, api_key=TOKEN)
        call = lambda: obj.ainvoke("hi")  # noqa: E731
    else:
        obj = WorkersAIEmbedding(base_url=server.url, account_id=ACCOUNT, api_key=TOKEN)
        call = lambda: obj.aget_query_embedding("hi")  # noqa: E731

    async def one() -> None:
        with contextlib.suppress(Exception):  # the canned answer is not an embedding:
            await call()  # only the sockets matter here

    for _ in range(100):
        asyncio.run(one())
    assert len(server.requests) == 100
    fds, still_open = _settled(server, before)
    assert fds <= before + 4 and still_open == 0


def test_a_loop_closed_without_shutting_down_is_swept(hostile: Start) -> None:
    server = hostile(ok)
    client = AsyncClient(**kwargs(server.url))
    for _ in range(5):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(client.chat(MODEL, [Message("user", "x")]))
        loop.close()  # no shutdown_asyncgens: the state is dropped on the next call
    assert len(client._backend._loops) <= 1  # type: ignore[attr-defined]


def test_aclose_in_the_loop_still_closes_its_client(hostile: Start) -> None:
    server = hostile(ok)

    async def main() -> None:
        client = AsyncClient(**kwargs(server.url))
        await client.chat(MODEL, [Message("user", "x")])
        http = client._backend.http()  # type: ignore[attr-defined]
        await client.aclose()
        assert http.is_closed

    asyncio.run(main())
