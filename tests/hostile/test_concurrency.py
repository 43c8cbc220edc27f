"""Thousands of concurrent calls finish: a per-client gate (``max_connections``) lets at
most that many calls into the pool at once, so the pool never thrashes. (Timing figures
live in ``benchmarks/bench_concurrency.py``, not here.)"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from langchain_workersai import ChatWorkersAI
from workersai import AsyncClient, Client, errors
from workersai.types import Message

from ._calls import MODEL, kwargs, ok
from .conftest import ACCOUNT, TOKEN
from .server import HostileServer, ProcessServer

Start = Callable[..., HostileServer]


def test_2000_concurrent_calls_on_one_async_client_complete() -> None:
    with ProcessServer(ok) as server:  # its own process: the client has a core to itself

        async def main() -> list[str]:
            async with AsyncClient(**kwargs(server.url, deadline=120)) as client:
                calls = [client.chat(MODEL, [Message("user", "x")]) for _ in range(2000)]
                return [r.text for r in await asyncio.gather(*calls)]

        assert asyncio.run(main()) == ["hi"] * 2000
        assert server.request_count == 2000
        assert server.max_open <= 100  # the default gate: never more in flight than the pool


def test_many_concurrent_ainvoke_complete_within_the_gate(hostile: Start) -> None:
    server = hostile(ok)
    llm = ChatWorkersAI(model=MODEL, base_url=server.url, account_id=ACCOUNT, api_key=TOKEN,
                        max_connections=50, deadline=60)

    async def main() -> list[str]:
        replies = await asyncio.gather(*(llm.ainvoke("x") for _ in range(300)))
        await llm.aclose()
        return [str(r.content) for r in replies]

    assert asyncio.run(main()) == ["hi"] * 300
    assert server.max_open <= 50


@pytest.mark.parametrize("n", [1, 3])
def test_max_connections_bounds_the_calls_in_flight_async(hostile: Start, n: int) -> None:
    server = hostile(ok)

    async def main() -> None:
        async with AsyncClient(**kwargs(server.url, max_connections=n)) as client:
            await asyncio.gather(*(client.run(MODEL, {"prompt": "x"}) for _ in range(40)))

    asyncio.run(main())
    assert server.max_open <= n and len(server.requests) == 40


def test_max_connections_bounds_the_calls_in_flight_sync(hostile: Start) -> None:
    server = hostile(ok)
    with Client(**kwargs(server.url, max_connections=2)) as client:
        threads = [threading.Thread(target=client.run, args=(MODEL, {"prompt": "x"}))
                   for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.max_open <= 2 and len(server.requests) == 20


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_max_connections_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(errors.InvalidInputError, match="max_connections"):
        Client(**kwargs("http://127.0.0.1:9", max_connections=bad))
