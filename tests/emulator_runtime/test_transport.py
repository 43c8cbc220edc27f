"""In-process transports: request conversion, incremental streaming, pauses, resets, timeouts.

Every behaviour is checked on both twins (``mode`` = sync / async).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from workersai.emulator import RESET
from workersai.emulator.transport import (
    DEFAULT_CLIENT_BASE_URL,
    AsyncEmulatorTransport,
    EmulatorTransport,
    emulator_async_http_client,
    emulator_http_client,
)

from .stub import StubHandler, events

URL = "https://api.cloudflare.com/client/v4/accounts/abc/ai/run/@cf/meta/llama-3.1-8b-instruct"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def sync_fetch(handler: StubHandler, url: str, timeout: httpx.Timeout,
               on_chunk: Callable[[bytes], None] | None, method: str,
               kw: dict[str, Any]) -> tuple[httpx.Response, list[bytes]]:
    chunks: list[bytes] = []
    with httpx.Client(transport=EmulatorTransport(handler), timeout=timeout) as client:
        with client.stream(method, url, **kw) as response:
            for chunk in response.iter_raw():
                chunks.append(chunk)
                if on_chunk:
                    on_chunk(chunk)
    return response, chunks


async def fetch(mode: str, handler: StubHandler, url: str = URL, *, read: float = 5.0,
                on_chunk: Callable[[bytes], None] | None = None,
                method: str = "POST", **kw: Any) -> tuple[httpx.Response, list[bytes]]:
    """Stream ``url`` through the chosen twin; returns the response and raw chunks."""
    timeout = httpx.Timeout(5.0, read=read)
    if mode == "sync":
        return await asyncio.to_thread(sync_fetch, handler, url, timeout, on_chunk, method, kw)
    chunks: list[bytes] = []
    transport = AsyncEmulatorTransport(handler)
    async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
        async with client.stream(method, url, **kw) as response:
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                if on_chunk:
                    on_chunk(chunk)
    return response, chunks


async def test_request_reaches_handler_as_emu_request(mode: str, stub: StubHandler) -> None:
    url = "http://any-host.invalid/client/v4/accounts/abc/echo?queueRequest=true&x=1"
    response, chunks = await fetch(mode, stub, url, json={"prompt": "hé"},
                                   headers={"Authorization": "Bearer t", "X-Mixed": "A"})
    echo = json.loads(b"".join(chunks))
    assert response.status_code == 200
    assert echo["method"] == "POST"
    assert echo["path"] == "/client/v4/accounts/abc/echo"
    assert echo["query"] == {"queueRequest": "true", "x": "1"}
    assert echo["headers"]["authorization"] == "Bearer t"
    assert echo["headers"]["x-mixed"] == "A"
    assert json.loads(echo["body"]) == {"prompt": "hé"}
    assert stub.requests[0].path == "/client/v4/accounts/abc/echo"


async def test_model_path_with_at_sign_and_slashes(mode: str, stub: StubHandler) -> None:
    await fetch(mode, stub)
    assert stub.requests[0].path.endswith("/ai/run/@cf/meta/llama-3.1-8b-instruct")


async def test_bytes_body_has_content_length(mode: str, stub: StubHandler) -> None:
    response, chunks = await fetch(mode, stub)
    body = b"".join(chunks)
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["cf-ai-req-id"] == "r-1"
    assert json.loads(body)["result"] == {"response": "Hello"}


async def test_stream_is_delivered_incrementally(mode: str, stub: StubHandler) -> None:
    seen: list[int] = []
    response, chunks = await fetch(mode, stub, URL + "/stream?n=20",
                                   on_chunk=lambda _: seen.append(stub.produced))
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.headers
    # The client holds event k while the producer is at most one event ahead (the runner
    # looks one item ahead to frame single-piece bodies with Content-Length).
    assert seen[:20] == [2, *range(2, 21)]
    payloads = events(b"".join(chunks))
    assert payloads[0] == '{"response": "tok0", "p": ""}'
    assert payloads[-1] == "[DONE]"


async def test_pauses_sleep(mode: str, stub: StubHandler) -> None:
    stub.body = [b"data: a\n\n", 0.15, b"data: b\n\n", 0.15, b"data: [DONE]\n\n"]
    start = time.perf_counter()
    _, chunks = await fetch(mode, stub)
    assert time.perf_counter() - start >= 0.3
    assert chunks == [b"data: a\n\n", b"data: b\n\n", b"data: [DONE]\n\n"]


def sync_headers_only(stub: StubHandler) -> None:
    with httpx.Client(transport=EmulatorTransport(stub)) as client:
        client.send(client.build_request("POST", URL), stream=True).close()


async def test_leading_pause_delays_the_headers(mode: str, stub: StubHandler) -> None:
    stub.body = [0.2, b"data: a\n\n"]
    start = time.perf_counter()
    if mode == "sync":
        await asyncio.to_thread(sync_headers_only, stub)
    else:
        async with httpx.AsyncClient(transport=AsyncEmulatorTransport(stub)) as client:
            await (await client.send(client.build_request("POST", URL), stream=True)).aclose()
    assert time.perf_counter() - start >= 0.2


async def test_reset_mid_body_is_a_protocol_error(mode: str, stub: StubHandler) -> None:
    stub.body = [b"data: a\n\n", RESET, b"data: never\n\n"]
    got: list[bytes] = []
    with pytest.raises(httpx.RemoteProtocolError):
        await fetch(mode, stub, on_chunk=got.append)
    assert got == [b"data: a\n\n"]


async def test_reset_before_any_byte_is_a_connect_error(mode: str, stub: StubHandler) -> None:
    stub.body = [0.01, RESET]
    with pytest.raises(httpx.ConnectError):
        await fetch(mode, stub)


async def test_stall_before_first_byte_hits_read_timeout(mode: str, stub: StubHandler) -> None:
    stub.body = [30.0, b"data: late\n\n"]
    start = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        await fetch(mode, stub, read=0.2)
    assert 0.19 <= time.perf_counter() - start < 2.0


async def test_mid_stream_stall_hits_read_timeout(mode: str, stub: StubHandler) -> None:
    stub.body = [b"data: a\n\n", 30.0, b"data: late\n\n"]
    got: list[bytes] = []
    start = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        await fetch(mode, stub, read=0.2, on_chunk=got.append)
    assert got == [b"data: a\n\n"]
    assert time.perf_counter() - start < 2.0


async def test_consecutive_pauses_add_up_against_the_timeout(mode: str, stub: StubHandler
                                                             ) -> None:
    stub.body = [b"a", 0.12, 0.12, b"b"]
    with pytest.raises(httpx.ReadTimeout):
        await fetch(mode, stub, read=0.2)
    stub.body = [b"a", 0.12, b"b", 0.12, b"c"]  # bytes between pauses reset the clock
    _, chunks = await fetch(mode, stub, read=0.2)
    assert chunks == [b"a", b"b", b"c"]


async def test_empty_body_stream_completes(mode: str, stub: StubHandler) -> None:
    stub.body = []
    response, chunks = await fetch(mode, stub)
    assert response.status_code == 200 and chunks == []
    assert response.headers["content-length"] == "0"


async def test_single_piece_body_gets_content_length(mode: str, stub: StubHandler) -> None:
    stub.body = [0.01, b'{"result":{}}']  # e.g. a JSON reply behind a latency pause
    response, chunks = await fetch(mode, stub)
    assert response.headers["content-length"] == str(len(b'{"result":{}}'))
    assert "transfer-encoding" not in response.headers
    assert chunks == [b'{"result":{}}']


async def test_closing_early_closes_the_handler_generator(mode: str, stub: StubHandler) -> None:
    url = URL + "/stream?n=1000"
    if mode == "sync":
        with emulator_http_client(stub) as client, client.stream("POST", url) as response:
            next(response.iter_raw())
    else:
        async with emulator_async_http_client(stub) as aclient:
            async with aclient.stream("POST", url) as aresponse:
                await aresponse.aiter_raw().__anext__()
    assert stub.closed
    assert stub.produced < 1000


def test_convenience_clients_route_by_path_whatever_the_host(stub: StubHandler) -> None:
    with emulator_http_client(stub) as client:
        assert str(client.base_url).rstrip("/") == DEFAULT_CLIENT_BASE_URL
        client.get("/accounts/a/echo")
        client.get("http://elsewhere.example/client/v4/accounts/b/echo")
    assert [r.path for r in stub.requests] == ["/client/v4/accounts/a/echo",
                                               "/client/v4/accounts/b/echo"]


async def test_async_convenience_client_takes_client_options(stub: StubHandler) -> None:
    async with emulator_async_http_client(stub, base_url="http://x/y",
                                          headers={"x-k": "v"}) as client:
        response = await client.get("/echo")
    assert response.json()["headers"]["x-k"] == "v"
    assert stub.requests[0].path == "/y/echo"
