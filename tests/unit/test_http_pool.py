"""Pooled httpx clients: built lazily, reused, per event loop for async, closed only when
we built them."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from workersai._backend import Target
from workersai._http import AsyncHTTP, SyncHTTP

from .test_http_fakes import MODEL, Server, config, ok


def owned_sync(server: Server) -> SyncHTTP:
    http = SyncHTTP(config())
    base = http.client_kwargs

    def with_mock() -> dict[str, Any]:
        return {**base(), "transport": httpx.MockTransport(server)}

    http.client_kwargs = with_mock  # type: ignore[method-assign]
    return http


def owned_async(server: Server) -> AsyncHTTP:
    http = AsyncHTTP(config())
    base = http.client_kwargs

    def with_mock() -> dict[str, Any]:
        return {**base(), "transport": httpx.MockTransport(server)}

    http.client_kwargs = with_mock  # type: ignore[method-assign]
    return http


def test_sync_client_is_built_lazily_once_and_closed() -> None:
    server = Server(ok({"v": 1}))
    http = owned_sync(server)
    assert http._client is None  # no client before the first request
    http.send(Target(MODEL), {}, None)
    first = http.http()
    http.send(Target(MODEL), {}, None)
    assert http.http() is first and len(server.requests) == 2
    assert first.follow_redirects is False
    http.close()
    assert first.is_closed
    http.send(Target(MODEL), {}, None)  # usable again: a fresh client
    assert http.http() is not first
    http.close()


def test_injected_sync_client_is_used_and_never_closed() -> None:
    server = Server(ok({}))
    injected = httpx.Client(transport=httpx.MockTransport(server))
    http = SyncHTTP(config(), injected)
    http.send(Target(MODEL), {}, None)
    assert http.http() is injected and len(server.requests) == 1
    http.close()
    assert not injected.is_closed
    http.send(Target(MODEL), {}, None)
    assert len(server.requests) == 2
    injected.close()


def test_async_client_works_across_event_loops() -> None:
    server = Server(ok({"v": 1}))
    http = owned_async(server)
    seen: list[httpx.AsyncClient] = []

    async def call() -> Any:
        result, _ = await http.send(Target(MODEL), {}, None)
        seen.append(http.http())
        assert http.http() is seen[-1]  # reused within a loop
        return result

    assert asyncio.run(call()) == {"v": 1}
    assert asyncio.run(call()) == {"v": 1}
    assert len(seen) == 2 and seen[0] is not seen[1]

    async def close() -> None:
        current = http.http()
        await http.aclose()
        assert current.is_closed

    asyncio.run(close())


def test_async_client_reused_and_closed_within_one_loop() -> None:
    server = Server(ok({}))
    http = owned_async(server)

    async def main() -> None:
        await asyncio.gather(*(http.send(Target(MODEL), {}, None) for _ in range(5)))
        client = http.http()
        assert len(http._loops) == 1
        await http.aclose()
        assert client.is_closed and len(http._loops) == 0

    asyncio.run(main())
    assert len(server.requests) == 5 and server.leaked == 0


def test_injected_async_client_is_never_closed() -> None:
    server = Server(ok({}))
    injected = httpx.AsyncClient(transport=httpx.MockTransport(server))
    http = AsyncHTTP(config(), injected)

    async def main() -> None:
        await http.send(Target(MODEL), {}, None)
        assert http.http() is injected
        await http.aclose()
        assert not injected.is_closed
        await injected.aclose()

    asyncio.run(main())
