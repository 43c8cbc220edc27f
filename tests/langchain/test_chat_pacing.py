"""Pacing for chat: ``batch``/``abatch`` run under the account's rate limit by default;
single calls are paced only when ``pacing`` is set; ``Pacing(enabled=False)`` turns it off.
Checked against an emulator that enforces a (tiny, time-scaled) rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from langchain_workersai import ChatWorkersAI
from tests._support import spy_on_paced
from workersai._pacer import Pacing
from workersai.emulator import Emulator, emulator_async_http_client, emulator_http_client
from workersai.errors import RateLimitError

from .conftest import emulator_kwargs

pytestmark = pytest.mark.emulator
PROMPTS = [f"Say {i}" for i in range(8)]


@pytest.fixture(params=[None])
def emu(request: pytest.FixtureRequest) -> Emulator:
    """No rate limit unless a test asks for one (``rate_limit`` per 0.5 s)."""
    return Emulator(rate_limit=request.param, rate_window=0.5)


@pytest.fixture
def make(emu: Emulator) -> Iterator[Any]:
    client, aclient = emulator_http_client(emu), emulator_async_http_client(emu)

    def build(**kw: Any) -> ChatWorkersAI:
        return ChatWorkersAI(**emulator_kwargs(client, aclient), max_retries=0, **kw)

    yield build
    client.close()


@pytest.fixture
def paced_sends(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the chat requests that went through the pacer (sync and async)."""
    return spy_on_paced(monkeypatch, {"sync": "SyncHTTP.send", "async": "AsyncHTTP.send"})


def test_batch_is_paced_by_default_and_invoke_is_not(make: Any, paced_sends: list[str]) -> None:
    llm = make()
    assert len(llm.batch(PROMPTS[:3])) == 3
    assert paced_sends == ["sync"] * 3
    llm.invoke("Hello")
    assert len(paced_sends) == 3  # a single call does not wait for a slot
    asyncio.run(llm.abatch(PROMPTS[:2]))
    assert paced_sends[3:] == ["async"] * 2


def test_pacing_off_and_on_for_every_call(make: Any, paced_sends: list[str]) -> None:
    make(pacing=Pacing(enabled=False)).batch(PROMPTS[:2])
    make().batch(PROMPTS[:2], pacing=Pacing(enabled=False))
    assert paced_sends == []
    make(pacing=Pacing()).invoke("Hello")
    make().invoke("Hello", pacing=Pacing())
    assert paced_sends == ["sync", "sync"]


@pytest.mark.parametrize("emu", [4], indirect=True)
def test_paced_batch_stays_under_the_limit_where_unpaced_gets_429(make: Any) -> None:
    config = {"max_concurrency": 8}
    paced = make(pacing=Pacing(per_minute=4, window=0.5)).batch(
        PROMPTS, config, return_exceptions=True)
    assert not [r for r in paced if isinstance(r, Exception)]
    assert all(r.content for r in paced)
    unpaced = make().batch(PROMPTS, config, return_exceptions=True,
                           pacing=Pacing(enabled=False))
    assert any(isinstance(r, RateLimitError) for r in unpaced)


@pytest.fixture
def paced_streams(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the streamed chat requests that went through the pacer (sync and async)."""
    return spy_on_paced(monkeypatch, {"sync": "SyncHTTP.stream",
                                       "async": "AsyncHTTP.stream"})


async def _astream_text(llm: ChatWorkersAI, **kw: Any) -> str:
    return "".join([str(c.content) async for c in llm.astream("Hello", **kw)])


def test_streams_are_paced_when_pacing_is_set(make: Any, paced_streams: list[str]) -> None:
    assert "".join(str(c.content) for c in make().stream("Hello"))
    assert paced_streams == []  # a single stream does not wait for a slot by default
    assert "".join(str(c.content) for c in make(pacing=Pacing()).stream("Hello"))
    assert "".join(str(c.content) for c in make().stream("Hello", pacing=Pacing()))
    assert asyncio.run(_astream_text(make(pacing=Pacing())))
    assert paced_streams == ["sync", "sync", "async"]
    list(make(pacing=Pacing()).stream("Hello", pacing=Pacing(enabled=False)))
    assert len(paced_streams) == 3


@pytest.mark.parametrize("emu", [3], indirect=True)
def test_paced_streams_stay_under_the_limit(make: Any) -> None:
    llm = make(pacing=Pacing(per_minute=3, window=0.5))
    for _ in range(5):
        assert "".join(str(c.content) for c in llm.stream("Hello"))
    with pytest.raises(RateLimitError):
        for _ in range(5):
            list(make().stream("Hello"))
