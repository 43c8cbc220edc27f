"""Paced streams: ``Client.stream_chat(pacing=...)`` opens each stream in its slot of the
``(account, model)`` bucket the other paced calls use, backs off on a 429 before the first
event (and retries it), never retries once text has reached the caller, and leaves
unpaced streams alone. Checked against the emulator's (time-scaled) rate limit."""

from __future__ import annotations

import httpx
import pytest

from workersai import AsyncClient, Client, Pacing, errors
from workersai._pacer import PACER
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    AsyncEmulatorTransport,
    EmulatorTransport,
)
from workersai.emulator._app import Emulator
from workersai.emulator.faults import ErrorEvent, RateLimited
from workersai.types import ChatParams, Message, StreamDelta

pytestmark = pytest.mark.emulator
MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"
ASK = [Message("user", "Write 3 words about rivers.")]


@pytest.fixture(autouse=True)
def fresh_pacer() -> None:
    PACER.reset()


def clients(emu: Emulator, retries: int = 3) -> tuple[Client, AsyncClient]:
    kw = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN,
          "base_url": "http://emulator/client/v4", "max_retries": retries}
    sync = Client(**kw, http_client=httpx.Client(transport=EmulatorTransport(emu)))
    aio = AsyncClient(**kw, http_client=httpx.AsyncClient(
        transport=AsyncEmulatorTransport(emu)))
    return sync, aio


def streamed(client: Client, pacing: Pacing | None) -> list[StreamDelta]:
    return list(client.stream_chat(MODEL, ASK, ChatParams(max_tokens=8), pacing=pacing))


def text(deltas: list[StreamDelta]) -> str:
    return "".join(d.text for d in deltas)


def test_paced_streams_stay_under_the_limit_where_unpaced_ones_get_429() -> None:
    emu = Emulator(rate_limit=4, rate_window=0.5)
    client, _ = clients(emu, retries=0)
    pacing = Pacing(per_minute=4, window=0.5)
    for _ in range(7):
        assert text(streamed(client, pacing)).split() == ["Write", "words", "rivers."]
    assert emu.rate_limit is not None and emu.rate_limit.refused == 0
    with pytest.raises(errors.RateLimitError):
        for _ in range(7):
            streamed(client, None)


def test_streams_take_slots_in_the_bucket_chat_uses() -> None:
    client, _ = clients(Emulator())
    pacing = Pacing(per_minute=10, window=1.0)  # 9.7 requests a second, a burst of one
    state = PACER.state(DEFAULT_ACCOUNT_ID, MODEL, pacing)
    streamed(client, None)
    assert state.reserve(PACER.clock()) == 0.0  # unpaced: no slot taken, the bucket idle
    PACER.reset()
    state = PACER.state(DEFAULT_ACCOUNT_ID, MODEL, pacing)
    streamed(client, pacing)
    streamed(client, pacing)
    # two slots taken in the bucket paced chat calls use: the next one waits behind them
    started = PACER.clock()
    client.chat(MODEL, ASK, ChatParams(max_tokens=8), pacing=pacing)
    assert PACER.clock() - started > 0.05


def test_a_429_before_the_first_event_backs_off_and_is_retried() -> None:
    emu = Emulator()
    emu.faults.add(RateLimited(code=3021, retry_after_ms=10), times=2)
    client, _ = clients(emu, retries=3)
    pacing = Pacing(per_minute=600, window=60.0)
    state = PACER.state(DEFAULT_ACCOUNT_ID, MODEL, pacing)
    deltas = streamed(client, pacing)
    assert text(deltas).split() == ["Write", "words", "rivers."]
    assert deltas[-1].meta is not None and deltas[-1].meta.attempts == 3
    assert state.throttled == 2
    assert state.rate < state.ceiling  # halved twice, crept back by one success
    assert state.rate == pytest.approx(state.ceiling * (0.25 + 0.02))


def test_a_429_past_the_retry_budget_is_raised() -> None:
    emu = Emulator()
    emu.faults.add(RateLimited(code=3021, retry_after_ms=10), times=5)
    client, _ = clients(emu, retries=1)
    with pytest.raises(errors.RateLimitError):
        streamed(client, Pacing(per_minute=600, window=60.0))


def test_a_failure_after_text_arrived_is_raised_not_retried() -> None:
    emu = Emulator()
    emu.faults.add(ErrorEvent(after_events=2), times=1)
    client, _ = clients(emu, retries=3)
    seen: list[str] = []
    with pytest.raises(errors.WorkersAIError):
        for delta in client.stream_chat(MODEL, ASK, ChatParams(max_tokens=8),
                                        pacing=Pacing(per_minute=600, window=60.0)):
            seen.append(delta.text)
    assert "Write" in "".join(seen)  # text reached the caller once, and only once
    assert len([r for r in emu.requests if "/ai/run/" in r.path]) == 1


async def test_async_paced_streams_back_off_and_finish() -> None:
    emu = Emulator()
    emu.faults.add(RateLimited(code=3021, retry_after_ms=10), times=1)
    _, client = clients(emu, retries=3)
    pacing = Pacing(per_minute=600, window=60.0)
    state = PACER.state(DEFAULT_ACCOUNT_ID, MODEL, pacing)
    deltas = [d async for d in client.stream_chat(MODEL, ASK, ChatParams(max_tokens=8),
                                                  pacing=pacing)]
    assert text(deltas).split() == ["Write", "words", "rivers."]
    assert deltas[-1].meta is not None and deltas[-1].meta.attempts == 2
    assert state.throttled == 1
