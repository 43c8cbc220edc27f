"""``WorkersAI(pacing=...)``: the same knob as ``ChatWorkersAI.pacing``. ``None`` sends at
once; ``Pacing(...)`` paces every call (chat, stream, complete; sync and async) in the
``(account, model)`` bucket; ``Pacing(enabled=False)`` none; also per call. Checked with
spies on the paced requests the core hands its backend, and against an emulator enforcing
a (tiny, time-scaled) rate limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage

from llamaindex_workersai import WorkersAI
from tests._support import spy_on_paced
from workersai import Pacing
from workersai.emulator import Emulator, emulator_async_http_client, emulator_http_client
from workersai.emulator._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.errors import RateLimitError

pytestmark = pytest.mark.emulator
HELLO = [ChatMessage(role="user", content="Hello")]


@pytest.fixture(params=[None])
def emu(request: pytest.FixtureRequest) -> Emulator:
    """No rate limit unless a test asks for one (``rate_limit`` per 0.5 s)."""
    return Emulator(rate_limit=request.param, rate_window=0.5)


@pytest.fixture
def make(emu: Emulator, clean_env: None) -> Iterator[Any]:
    client, aclient = emulator_http_client(emu), emulator_async_http_client(emu)

    def build(**kw: Any) -> WorkersAI:
        return WorkersAI(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN,
                         http_client=client, http_async_client=aclient, max_retries=0, **kw)

    yield build
    client.close()


@pytest.fixture
def paced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names each request the core handed its backend with a pacing slot (send or stream,
    sync or async)."""
    return spy_on_paced(monkeypatch, {
        "paced_send": "SyncHTTP.send", "apaced_send": "AsyncHTTP.send",
        "paced_stream": "SyncHTTP.stream", "apaced_stream": "AsyncHTTP.stream"})


def every_call(llm: WorkersAI, **kw: Any) -> None:
    """chat, stream_chat, complete, stream_complete and the async twins, once each."""
    assert llm.chat(HELLO, **kw).message.content
    assert list(llm.stream_chat(HELLO, **kw))[-1].message.content
    assert llm.complete("Hello", **kw).text
    assert list(llm.stream_complete("Hello", **kw))[-1].text

    async def both() -> None:
        assert (await llm.achat(HELLO, **kw)).message.content
        assert [r async for r in await llm.astream_chat(HELLO, **kw)][-1].message.content

    asyncio.run(both())


def test_no_pacing_by_default(make: Any, paced: list[str]) -> None:
    every_call(make())
    assert paced == []


def test_pacing_paces_every_call(make: Any, paced: list[str]) -> None:
    every_call(make(pacing=Pacing()))
    assert paced == ["paced_send", "paced_stream", "paced_send", "paced_stream",
                     "apaced_send", "apaced_stream"]


def test_pacing_per_call_and_off(make: Any, paced: list[str]) -> None:
    every_call(make(), pacing=Pacing())
    assert len(paced) == 6
    every_call(make(pacing=Pacing()), pacing=Pacing(enabled=False))
    every_call(make(pacing=Pacing(enabled=False)))
    assert len(paced) == 6


@pytest.mark.parametrize("emu", [3], indirect=True)
def test_paced_calls_stay_under_the_limit_where_unpaced_get_429(make: Any) -> None:
    llm = make(pacing=Pacing(per_minute=3, window=0.5))
    for _ in range(3):
        assert llm.chat(HELLO).message.content
        assert list(llm.stream_chat(HELLO))[-1].message.content
    with pytest.raises(RateLimitError):
        for _ in range(4):
            make().chat(HELLO)
