"""The binding backend honours the call's deadline as the HTTP twins do: an attempt still
running at the deadline is cut with ``workersai.errors.TimeoutError``, no retry wait
outlasts it, and a stream answers to it until its first event (tiny values, no long sleeps).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from workersai import AsyncClient, RequestOptions, errors
from workersai.binding import BindingBackend
from workersai.config import Config

from .test_binding import HI
from .test_binding_fakes import (
    CLASSIC_STREAM,
    LLM,
    FakeBinding,
    InferenceUpstreamError,
    Uint8Array,
    sse,
)


class SlowStream:
    """A ``ReadableStream`` whose reads resolve after the given delays (one per chunk)."""

    def __init__(self, chunks: list[tuple[float, bytes]]) -> None:
        self.chunks = list(chunks)

    def getReader(self) -> SlowStream:
        return self

    async def read(self) -> dict[str, Any]:
        if not self.chunks:
            return {"done": True, "value": None}
        delay, data = self.chunks.pop(0)
        await asyncio.sleep(delay)
        return {"done": False, "value": Uint8Array(data)}


def client(binding: Any, slept: list[float] | None = None, **kw: Any) -> AsyncClient:
    c = AsyncClient(binding=binding, **kw)
    assert isinstance(c._backend, BindingBackend)

    async def record(seconds: float) -> None:
        if slept is not None:
            slept.append(seconds)

    c._backend.sleep = record
    return c


@pytest.mark.parametrize("where", ["config", "call"])
async def test_an_attempt_running_past_the_deadline_is_cut(where: str) -> None:
    b = FakeBinding({"response": "late"}, delay=5)
    c = client(b, deadline=0.05) if where == "config" else client(b)
    options = RequestOptions(deadline=0.05) if where == "call" else None
    started = time.monotonic()
    with pytest.raises(errors.TimeoutError, match=r"deadline of 0\.05s"):
        await c.chat(LLM, HI, options=options)
    assert time.monotonic() - started < 2 and len(b.calls) == 1


async def test_no_retry_waits_past_the_deadline() -> None:
    busy = InferenceUpstreamError("3040: Capacity temporarily exceeded")
    slept: list[float] = []
    b = FakeBinding(busy, {"response": "ok"})
    with pytest.raises(errors.RateLimitError):  # the first backoff (>= 0.375s) is too long
        await client(b, slept, max_retries=3, deadline=0.2).chat(LLM, HI)
    assert len(b.calls) == 1 and slept == []
    b = FakeBinding(busy, {"response": "ok"})  # a deadline with room: retried as before
    reply = await client(b, slept, max_retries=3, deadline=30).chat(LLM, HI)
    assert reply.text == "ok" and len(b.calls) == 2 and len(slept) == 1


async def test_a_stream_answers_to_the_deadline_until_its_first_event() -> None:
    first, rest = sse(CLASSIC_STREAM[0], done=False), sse(*CLASSIC_STREAM[1:])
    stalled = client(FakeBinding(SlowStream([(5, first)])), deadline=0.05)
    with pytest.raises(errors.TimeoutError, match="deadline"):
        [d async for d in stalled.stream_chat(LLM, HI)]
    # once an event has come, stream_idle alone bounds the gaps (the deadline has passed)
    late = client(FakeBinding(SlowStream([(0, first), (0.15, rest)])), deadline=0.05)
    deltas = [d async for d in late.stream_chat(LLM, HI)]
    assert "".join(d.text for d in deltas) == "Hello ✓"


async def test_a_whole_media_answer_is_read_before_the_deadline() -> None:
    image = client(FakeBinding(SlowStream([(0, b"\x89PNG"), (5, b"rest")])), deadline=0.05)
    with pytest.raises(errors.TimeoutError, match="deadline"):
        await image.run("@cf/stabilityai/stable-diffusion-xl-base-1.0", {"prompt": "x"})


def test_call_deadline_is_the_one_rule_for_every_backend() -> None:
    config = Config(deadline=7.0)
    assert config.call_deadline(None) == config.call_deadline(RequestOptions()) == 7.0
    assert config.call_deadline(RequestOptions(deadline=0.5)) == 0.5
    with pytest.raises(errors.InvalidInputError, match="deadline must be positive"):
        config.call_deadline(RequestOptions(deadline=-1))
