"""Bounded responses: a huge body, a gzip bomb, an endless SSE line or event end in
``ResponseTooLargeError`` with memory near the limit; legitimate large answers pass."""

from __future__ import annotations

import asyncio
import json
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability._surfaces import SURFACES, Surface, invoke
from workersai import Client, Limits, errors

from ._calls import JSON, SSE, chat, kwargs, wants_stream
from .conftest import ACCOUNT, MODEL, TOKEN
from .server import Conn, HostileServer, Request, gzip_bomb

MiB = 1 << 20
SMALL = Limits(max_response_bytes=1 * MiB, max_event_bytes=64 * 1024)
Start = Callable[..., HostileServer]


async def huge_json(request: Request, conn: Conn) -> None:
    await conn.head(200, JSON, length=300 * MiB)
    await conn.send(b'{"result":{"response":"')
    await conn.forever(b"a" * 65536, limit=300 * MiB)


async def bomb(request: Request, conn: Conn) -> None:
    body = gzip_bomb(100 * MiB)  # ~100 KB on the wire
    await conn.reply(200, body, {**JSON, "content-encoding": "gzip"})


async def endless_line(request: Request, conn: Conn) -> None:
    await conn.head(200, SSE, chunked=True)
    await conn.body(b'data: {"response":"')
    await conn.forever(b"x" * 8192, limit=300 * MiB)


async def endless_event(request: Request, conn: Conn) -> None:
    await conn.head(200, SSE, chunked=True)
    await conn.forever(b'data: {"response":"x"}\n' * 2000, limit=300 * MiB)


async def gzip_stream(request: Request, conn: Conn) -> None:
    await conn.head(200, {**SSE, "content-encoding": "gzip"}, chunked=True)
    await conn.body(gzip_bomb(100 * MiB))
    await conn.end()


def _peak(fn: Callable[[], Any]) -> tuple[BaseException, int]:
    tracemalloc.start()
    try:
        fn()
    except errors.WorkersAIError as exc:
        _, peak = tracemalloc.get_traced_memory()
        return exc, peak
    finally:
        tracemalloc.stop()
    raise AssertionError("no error raised")


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("handler", "stream"), [
    (huge_json, False), (bomb, False), (endless_line, True), (endless_event, True),
    (gzip_stream, True),
], ids=["huge-json", "gzip-bomb", "endless-sse-line", "endless-sse-event", "gzip-sse"])
def test_oversized_answers_raise_with_memory_near_the_limit(
    hostile: Start, handler: Any, stream: bool, is_async: bool
) -> None:
    server = hostile(handler)
    exc, peak = _peak(lambda: chat(server.url, is_async=is_async, stream=stream,
                                   limits=SMALL, max_retries=3))
    assert isinstance(exc, errors.ResponseTooLargeError), exc
    assert exc.setting == ("max_event_bytes" if stream and handler is not gzip_stream
                           else exc.setting)
    assert f"Limits.{exc.setting}" in str(exc)
    assert peak < 8 * MiB, peak  # the limit (1 MiB / 64 KiB) plus buffers, never 200 MB+
    assert len(server.requests) == 1  # never retried


def test_the_default_limits_stop_a_gzip_bomb(hostile: Start) -> None:
    server = hostile(bomb)
    with pytest.raises(errors.ResponseTooLargeError, match="max_response_bytes"):
        chat(server.url, is_async=False)


def test_large_legitimate_answers_pass_with_the_defaults(hostile: Start) -> None:
    vectors = [[0.123456789] * 1024 for _ in range(100)]  # ~1.2 MB of JSON
    payload = json.dumps({"result": {"shape": [100, 1024], "data": vectors},
                          "success": True}).encode()

    async def handler(request: Request, conn: Conn) -> None:
        await conn.reply(200, payload, JSON)

    server = hostile(handler)
    with Client(**kwargs(server.url)) as client:
        out = client.embed("@cf/baai/bge-large-en-v1.5", ["t"] * 100)
    assert len(out.vectors) == 100 and len(out.vectors[0]) == 1024


def test_a_body_just_under_the_limit_passes_and_just_over_fails(hostile: Start) -> None:
    body = json.dumps({"result": {"response": "x" * 1000}, "success": True}).encode()

    async def handler(request: Request, conn: Conn) -> None:
        await conn.reply(200, body, JSON)

    server = hostile(handler)
    exact = Limits(max_response_bytes=len(body))
    assert chat(server.url, is_async=False, limits=exact) == "x" * 1000
    with pytest.raises(errors.ResponseTooLargeError):
        chat(server.url, is_async=True, limits=Limits(max_response_bytes=len(body) - 1))


def test_error_bodies_are_bounded_too(hostile: Start) -> None:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.head(500, {"content-type": "text/html"}, length=300 * MiB)
        await conn.forever(b"<p>" * 20000, limit=300 * MiB)

    server = hostile(handler)
    with pytest.raises(errors.ResponseTooLargeError):
        chat(server.url, is_async=False, limits=SMALL)


def test_unknown_content_encoding_is_a_format_error(hostile: Start) -> None:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.reply(200, b"\x00\x01", {**JSON, "content-encoding": "br"})

    server = hostile(handler)
    with pytest.raises(errors.ResponseFormatError, match="content-encoding 'br'"):
        chat(server.url, is_async=True)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_limits_must_be_positive_ints(bad: Any) -> None:
    with pytest.raises(errors.InvalidInputError, match="max_event_bytes"):
        Limits(max_event_bytes=bad)


async def hostile_any(request: Request, conn: Conn) -> None:
    if wants_stream(request):
        await endless_line(request, conn)
    else:
        await huge_json(request, conn)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_front_ends_take_the_limits_knob(hostile: Start, surface: Surface) -> None:
    server = hostile(hostile_any)
    obj = surface.build(base_url=server.url, account_id=ACCOUNT, api_key=TOKEN,
                        limits=SMALL, max_retries=2)
    with pytest.raises(errors.ResponseTooLargeError):
        asyncio.run(invoke(surface, obj))
    assert len(server.requests) == 1


def test_model_override_reaches_the_hostile_path(hostile: Start) -> None:
    # sanity: the server really is what the clients talk to (same account and model path)
    server = hostile(hostile_any)
    with pytest.raises(errors.ResponseTooLargeError):
        chat(server.url, is_async=False, limits=SMALL)
    assert server.requests[0].path == f"/accounts/{ACCOUNT}/ai/run/{MODEL}"
