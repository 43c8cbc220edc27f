"""A deadline for the whole call: a server dripping bytes, Retry-After waits and retries
all come out of one budget (``deadline``), for both twins and both front ends. For a
stream the deadline runs until the first event."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability._surfaces import SURFACES, Surface, invoke
from workersai import Client, RequestOptions, errors

from ._calls import JSON, OK_BODY, SSE, chat, kwargs, ok, wants_stream
from .conftest import ACCOUNT, MODEL, TOKEN
from .server import Conn, HostileServer, Request

Start = Callable[..., HostileServer]
TWINS = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


async def drip(request: Request, conn: Conn) -> None:
    """Headers, then one byte every 20 ms, forever: no read ever times out."""
    if wants_stream(request):
        await conn.head(200, SSE, chunked=True)
        await conn.drip(b": " + b"x" * 10_000, interval=0.02)
    else:
        await conn.head(200, JSON, length=10_000)
        await conn.drip(b"{" + b" " * 9_999, interval=0.02)


def _timed(fn: Callable[[], Any]) -> tuple[BaseException | None, float]:
    start = time.monotonic()
    try:
        fn()
    except errors.WorkersAIError as exc:
        return exc, time.monotonic() - start
    return None, time.monotonic() - start


@TWINS
@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_dripping_server_cannot_outlast_the_deadline(
    hostile: Start, is_async: bool, stream: bool
) -> None:
    server = hostile(drip)
    exc, took = _timed(lambda: chat(server.url, is_async=is_async, stream=stream,
                                    timeout=1, deadline=0.4))
    assert isinstance(exc, errors.TimeoutError), exc
    assert "deadline" in str(exc)
    assert took < 3.0  # 0.4 s plus one 20 ms read (slack for a loaded machine); never 200 s


@TWINS
def test_retry_after_longer_than_the_deadline_is_not_slept(hostile: Start, is_async: bool) -> None:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.reply(429, b'{"success":false,"errors":[{"code":3040,"message":"busy"}]}',
                         {**JSON, "retry-after": "60"})

    server = hostile(handler)
    exc, took = _timed(lambda: chat(server.url, is_async=is_async, deadline=2))
    assert isinstance(exc, errors.RateLimitError) and exc.retry_after == 60
    assert took < 3.0 and len(server.requests) == 1  # no 60 s sleep


@TWINS
def test_retries_stop_at_the_deadline(hostile: Start, is_async: bool) -> None:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.reply(503, b'{"success":false,"errors":[{"code":3050,"message":"x"}]}',
                         {**JSON, "retry-after-ms": "100"})

    server = hostile(handler)
    exc, took = _timed(lambda: chat(server.url, is_async=is_async, deadline=0.35,
                                    max_retries=50))
    # the last answer's error, or the deadline's if it struck during an attempt
    assert isinstance(exc, errors.ServerError | errors.TimeoutError), exc
    assert took < 3.0 and 2 <= len(server.requests) <= 4


@TWINS
def test_the_per_call_option_overrides_the_client_deadline(
    hostile: Start, is_async: bool
) -> None:
    server = hostile(drip)
    exc, took = _timed(lambda: chat(server.url, is_async=is_async, deadline=30,
                                    options=RequestOptions(deadline=0.3)))
    assert isinstance(exc, errors.TimeoutError) and "0.3s" in str(exc)
    assert took < 3.0


@TWINS
def test_a_stream_may_outlive_its_deadline_once_events_flow(
    hostile: Start, is_async: bool
) -> None:
    async def slow_stream(request: Request, conn: Conn) -> None:
        await conn.head(200, SSE, chunked=True)
        for i in range(6):
            await conn.body(b'data: {"response":"%d"}\n\n' % i)
            await conn.stall(0.1)
        await conn.body(b"data: [DONE]\n\n")
        await conn.end()

    server = hostile(slow_stream)
    # the client is built and warm before the timed call (building one takes time too)
    deltas = chat(server.url, is_async=is_async, stream=True, warm=True,
                  options=RequestOptions(deadline=0.25))
    assert "".join(d.text for d in deltas) == "012345"


@TWINS
def test_a_stream_silent_before_its_first_event_hits_the_deadline(
    hostile: Start, is_async: bool
) -> None:
    async def silent(request: Request, conn: Conn) -> None:
        await conn.head(200, SSE, chunked=True)
        await conn.stall(5)

    server = hostile(silent)
    exc, took = _timed(lambda: chat(server.url, is_async=is_async, stream=True,
                                    timeout=10, deadline=0.3))
    assert isinstance(exc, errors.TimeoutError) and took < 3.0  # not the 10 s timeout


def test_queueing_for_a_slot_counts_against_the_deadline(hostile: Start) -> None:
    release = asyncio.Event()

    async def handler(request: Request, conn: Conn) -> None:
        if request.body and b"slow" in request.body:
            await conn.stall(5)
        await conn.reply(200, OK_BODY, JSON)

    server = hostile(handler)

    async def main() -> None:
        from workersai import AsyncClient
        from workersai.types import Message

        async with AsyncClient(**kwargs(server.url, max_connections=1)) as client:
            slow = asyncio.ensure_future(client.run(MODEL, {"prompt": "slow"}))
            await asyncio.sleep(0.05)
            with pytest.raises(errors.TimeoutError, match="max_connections=1"):
                await client.chat(MODEL, [Message("user", "x")],
                                  options=RequestOptions(deadline=0.2))
            slow.cancel()
            release.set()

    asyncio.run(main())


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "5", True])
def test_the_deadline_must_be_positive_seconds(bad: Any) -> None:
    with pytest.raises(errors.InvalidInputError, match="deadline"):
        Client(**kwargs("http://127.0.0.1:9", deadline=bad))


def test_the_default_deadline_is_in_the_config() -> None:
    client = Client(**kwargs("http://127.0.0.1:9"))
    assert client.config.deadline == 300.0
    assert Client(**kwargs("http://127.0.0.1:9", deadline=float("inf"))).config.deadline > 1e9


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
@pytest.mark.parametrize("how", ["field", "per-call"])
def test_front_ends_take_the_deadline_knob(hostile: Start, surface: Surface, how: str) -> None:
    server = hostile(drip)
    settings: dict[str, Any] = {"base_url": server.url, "account_id": ACCOUNT,
                                "api_key": TOKEN, "timeout": 5}
    call = surface.call
    if how == "field":
        settings["deadline"] = 0.3
    elif surface.kind != "chat":
        pytest.skip("per-call transport options are a chat-model feature")
    elif surface.front == "lc":
        call = lambda llm: surface.call(llm.bind(deadline=0.3))  # noqa: E731
    else:
        pytest.skip("LlamaIndex chat takes per-call options as kwargs (covered in core)")
    obj = surface.build(**settings)
    wrapped = Surface(surface.name, surface.front, surface.kind, surface.stream, surface.make,
                      call)
    start = time.monotonic()
    with pytest.raises(errors.TimeoutError, match="deadline"):
        asyncio.run(invoke(wrapped, obj))
    assert time.monotonic() - start < 3.0


def test_a_prompt_answer_is_unaffected(hostile: Start) -> None:
    server = hostile(ok)
    assert chat(server.url, is_async=False, deadline=5) == "hi"
