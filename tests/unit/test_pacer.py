"""The pacer: a token bucket per (account, model) that spaces requests under the limit
and adapts (AIMD) to 429s, checked with a fake clock; the limits lookup; and a paced bulk
embedding against the emulator's rate limit."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from workersai import AsyncClient, Client, Pacing, RequestOptions, errors
from workersai._pacer import (
    BURST,
    DECREASE,
    MARGIN,
    SAFETY,
    Pacer,
    PaceState,
    limit_per_minute,
)
from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    AsyncEmulatorTransport,
    EmulatorTransport,
)
from workersai.emulator._app import Emulator
from workersai.emulator._limits import RateLimit

BGE = "@cf/baai/bge-base-en-v1.5"


def sends(state: PaceState, n: int, start: float = 0.0) -> list[float]:
    """When each of ``n`` back-to-back requests may go (each waits its turn)."""
    return [start + state.reserve(start) for _ in range(n)]


def test_a_fresh_bucket_starts_at_the_full_limit_after_a_small_burst() -> None:
    state = PaceState(per_window=3000, window=60.0)
    times = sends(state, 500)
    burst = int(BURST * 3000)
    assert times[:burst] == pytest.approx([0.0] * burst, abs=1e-9)
    gaps = {round(b - a, 9) for a, b in zip(times[burst:], times[burst + 1:], strict=False)}
    assert gaps == {round(60.0 / 3000, 9)}  # the published rate, no safety discount yet


def test_once_a_window_is_spent_the_next_waits_for_the_oldest_to_leave_it() -> None:
    state = PaceState(per_window=100, window=10.0)
    cap = int(SAFETY * 100)
    times = sends(state, cap + 20)
    assert times[cap - 1] < 10.0  # a window's worth at the full rate
    span = 10.0 * (1 + MARGIN)
    for i in range(cap, cap + 20):  # then each one mirrors the send a window before it
        assert times[i] >= times[i - cap] + span - 1e-9


def test_no_sliding_window_ever_holds_more_than_the_limit() -> None:
    limit, window = 120, 1.0
    state = PaceState(per_window=limit, window=window)
    times = sends(state, 1000)
    counter = RateLimit(limit, window, clock=iter(times).__next__)
    assert all(counter.check("a", "m") is None for _ in times)
    # and it runs close to the limit: 1,000 requests take about 1000/120 windows
    assert times[-1] == pytest.approx(1000 / limit, rel=0.03)


def test_a_long_job_runs_at_about_98_percent_of_the_limit() -> None:
    state = PaceState(per_window=3000, window=60.0)
    cap = int(SAFETY * 3000)
    times = sends(state, 10 * cap)  # ten windows' worth
    rate = 9 * cap / (times[-1] - times[cap - 1])  # requests per second, the last nine
    assert rate == pytest.approx(SAFETY / (1 + MARGIN) * 50)
    assert rate > 0.98 * 50


def test_a_429_halves_the_rate_blocks_until_retry_after_then_creeps_back() -> None:
    state = PaceState(per_window=600, window=60.0)  # ceiling 9.7 requests/s
    sends(state, 20)
    state.throttle(now=5.0, retry_after=2.0)
    assert state.rate == pytest.approx(state.ceiling * DECREASE)
    assert state.reserve(5.0) >= 2.0  # nothing goes before Retry-After has passed
    for _ in range(10):
        state.success()
    assert state.ceiling * DECREASE < state.rate < state.ceiling
    for _ in range(100):
        state.success()
    assert state.rate == state.ceiling


def test_the_rate_never_falls_to_zero() -> None:
    state = PaceState(per_window=60, window=60.0)
    for i in range(50):
        state.throttle(now=float(i), retry_after=None)
    assert state.rate > 0 and state.reserve(100.0) < 100


def test_pacer_shares_one_bucket_per_account_and_model() -> None:
    pacer = Pacer(clock=lambda: 0.0)
    a = pacer.state("acct", BGE, Pacing())
    assert pacer.state("acct", BGE, Pacing()) is a
    assert pacer.state("other", BGE, Pacing()) is not a
    assert pacer.state("acct", BGE, Pacing(per_minute=60)) is not a


def test_limits_come_from_the_task_and_per_model_overrides() -> None:
    assert limit_per_minute(BGE) == 3000
    assert limit_per_minute("@cf/baai/bge-large-en-v1.5") == 1500
    assert limit_per_minute("@cf/meta/llama-3.3-70b-instruct-fp8-fast") == 300
    assert limit_per_minute("@cf/qwen/qwen1.5-14b-chat-awq") == 150
    assert limit_per_minute("@cf/acme/unknown") == 300


def test_a_catalog_field_takes_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    from workersai import catalog

    info = catalog.lookup(BGE)

    @dataclasses.dataclass
    class WithLimit:
        task: str
        rate_limit_per_minute: int

    monkeypatch.setattr(catalog, "lookup", lambda m: WithLimit(info.task, 42))  # type: ignore[union-attr]
    assert limit_per_minute(BGE) == 42


def test_pacing_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="per_minute"):
        Pacing(per_minute=0)
    with pytest.raises(ValueError, match="window"):
        Pacing(window=0)


# --- against the emulator's rate limit ------------------------------------------------------


def limited(per_window: int, window: float) -> tuple[Emulator, Client, AsyncClient]:
    emu = Emulator(rate_limit=per_window, rate_window=window)
    kw = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN,
          "base_url": "http://emulator/client/v4", "max_retries": 3}
    sync = Client(**kw, http_client=httpx.Client(transport=EmulatorTransport(emu)))
    aio = AsyncClient(**kw, http_client=httpx.AsyncClient(
        transport=AsyncEmulatorTransport(emu)))
    return emu, sync, aio


def test_unpaced_bulk_job_runs_into_the_limit() -> None:
    emu, client, _ = limited(per_window=5, window=60.0)
    with pytest.raises(errors.BatchError) as info:
        client.embed(BGE, [f"t{i}" for i in range(20)], batch_size=2, max_concurrency=1,
                     pacing=Pacing(enabled=False), options=RequestOptions(max_retries=0))
    assert len([v for v in info.value.results if v is not None]) == 10  # finished work kept
    assert emu.rate_limit is not None and emu.rate_limit.refused > 0


def test_paced_bulk_job_stays_under_the_limit_sync() -> None:
    emu, client, _ = limited(per_window=20, window=1.0)  # a minute's limit in 1 s
    out = client.embed(BGE, [f"t{i}" for i in range(50)], batch_size=2, max_concurrency=4,
                       pacing=Pacing(per_minute=20, window=1.0))
    assert len(out.vectors) == 50
    assert emu.rate_limit is not None and emu.rate_limit.refused == 0


async def test_paced_bulk_job_stays_under_the_limit_async() -> None:
    emu, _, client = limited(per_window=20, window=1.0)
    out = await client.embed(BGE, [f"t{i}" for i in range(50)], batch_size=2,
                             max_concurrency=4, pacing=Pacing(per_minute=20, window=1.0))
    assert len(out.vectors) == 50
    assert emu.rate_limit is not None and emu.rate_limit.refused == 0


def test_a_pacer_that_overshoots_backs_off_on_429_and_finishes() -> None:
    # the client believes in twice the real limit: it meets 429s and adapts
    emu, client, _ = limited(per_window=10, window=0.2)
    out = client.embed(BGE, [f"t{i}" for i in range(40)], batch_size=1, max_concurrency=2,
                       pacing=Pacing(per_minute=20, window=0.2))
    assert len(out.vectors) == 40
    assert emu.rate_limit is not None and emu.rate_limit.refused > 0
    assert sum(m.attempts for m in out.meta) == 40 + emu.rate_limit.refused
