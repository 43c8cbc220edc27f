"""workersai.cost: neurons per call, dollars, and the tracker's totals and daily notices."""

from __future__ import annotations

import datetime as dt
import threading
import warnings

import httpx
import pytest

from workersai import Client
from workersai.cost import (
    AllowanceEvent,
    CallCost,
    CostTracker,
    FreeAllocationWarning,
    cost_of,
    estimate_neurons,
    neurons_for,
    rough_tokens,
    usd,
)
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN
from workersai.types import Message, ResponseMeta, Usage

# prices are the published USD ones (workersai/catalog/published/*.json) in neurons:
# USD x 1000 / 0.011 (they replaced the pricing-page neuron figures of the hand table)
N = 1000 / 0.011
LLAMA = "@cf/meta/llama-3.3-70b-instruct-fp8-fast"  # $0.29 in / $2.25 out per M
KIMI = "@cf/moonshotai/kimi-k2.6"  # $0.95 in, $0.16 cached in, $4 out
BGE = "@cf/baai/bge-base-en-v1.5"  # $0.067 in, no output price
UNPRICED = "@cf/meta/llama-guard-3-8b"  # published without a price


class Clock:
    def __init__(self, when: dt.datetime) -> None:
        self.now = when

    def __call__(self) -> dt.datetime:
        return self.now


def test_usd_and_rough_tokens() -> None:
    assert usd(1000) == pytest.approx(0.011)
    assert usd(0) == 0
    assert rough_tokens("") == 0 and rough_tokens("abcd") == 1 and rough_tokens("abcde") == 2


def test_estimate_from_catalog_prices() -> None:
    assert estimate_neurons(LLAMA, 1000, 100) == pytest.approx(
        (1000 * 0.29 + 100 * 2.25) * N / 1e6, rel=1e-4)
    assert estimate_neurons(KIMI, 1000, 0, cached_input_tokens=400) == pytest.approx(
        (600 * 0.95 + 400 * 0.16) * N / 1e6, rel=1e-4)
    # a model without a cached price bills cached tokens as ordinary input
    assert estimate_neurons(LLAMA, 1000, 0, 400) == estimate_neurons(LLAMA, 1000, 0)
    assert estimate_neurons(BGE, 2000) == pytest.approx(2000 * 0.067 * N / 1e6, rel=1e-4)
    assert estimate_neurons(BGE, 10, 5) is None  # output tokens with no output price
    assert estimate_neurons(UNPRICED, 10, 5) is None
    assert estimate_neurons("@cf/nobody/knows", 10, 5) is None


def test_neurons_for_prefers_header_then_usage_then_estimate() -> None:
    usage = Usage(input_tokens=1000, output_tokens=100, neurons=3.5)
    assert neurons_for(LLAMA, usage, ResponseMeta(neurons=4.25)) == (4.25, False)
    assert neurons_for(LLAMA, usage, ResponseMeta()) == (3.5, False)
    usage.neurons = None
    n, estimated = neurons_for(LLAMA, usage, None)
    assert estimated and n == pytest.approx(estimate_neurons(LLAMA, 1000, 100))
    assert neurons_for(LLAMA, None, None) == (None, True)
    assert neurons_for(UNPRICED, Usage(input_tokens=5), None) == (None, True)


def test_cost_of_fills_total_tokens_and_dollars() -> None:
    cost = cost_of(LLAMA, Usage(input_tokens=10, output_tokens=5), ResponseMeta(neurons=2000))
    assert cost == CallCost(LLAMA, 10, 5, 15, 2000.0, False)
    assert cost.usd == pytest.approx(0.022)
    assert CallCost("m").usd is None  # unknown, not free


def _client(http: httpx.Client) -> Client:
    return Client(account_id=DEFAULT_ACCOUNT_ID, api_token=DEFAULT_TOKEN, http_client=http)


def test_every_reply_has_a_cost_chat_and_stream(emulator_http_client: httpx.Client) -> None:
    client = _client(emulator_http_client)
    reply = client.chat(LLAMA, [Message("user", "Say hi in three words")])
    cost = cost_of(LLAMA, reply.usage, reply.meta)
    assert not cost.estimated and cost.neurons == pytest.approx(reply.meta.neurons)
    assert cost.neurons == pytest.approx(
        estimate_neurons(LLAMA, cost.input_tokens, cost.output_tokens), abs=1e-3)
    final = list(client.stream_chat(LLAMA, [Message("user", "Say hi in three words")]))[-1]
    streamed = cost_of(LLAMA, final.usage, final.meta)
    assert not streamed.estimated and streamed.neurons and streamed.neurons > 0
    assert streamed.usd == pytest.approx(streamed.neurons * 0.000011)


def test_tracker_totals_per_model_and_run() -> None:
    tracker = CostTracker(warn=False)
    tracker.record(LLAMA, Usage(10, 5, 15), ResponseMeta(neurons=2.0), run_id="a")
    tracker.record(LLAMA, Usage(20, 5, 25), ResponseMeta(neurons=3.0), run_id="b")
    tracker.record(BGE, Usage(input_tokens=1000), run_id="a")
    tracker.record(UNPRICED, Usage(1, 1, 2))
    total = tracker.total
    assert (total.calls, total.input_tokens, total.output_tokens, total.total_tokens) == (
        4, 1031, 11, 1042)
    assert total.neurons == pytest.approx(5.0 + 0.067 * N / 1000, rel=1e-4)
    assert (total.estimated_calls, total.unpriced_calls) == (1, 1)
    assert total.usd == pytest.approx(usd(total.neurons))
    assert tracker.by_model[LLAMA].neurons == 5.0 and tracker.by_model[LLAMA].calls == 2
    assert tracker.by_run["a"].calls == 2 and tracker.by_run["b"].neurons == 3.0
    assert "4 calls" in tracker.summary() and "~11.09 neurons" in tracker.summary()
    assert "1 calls of unknown price" in tracker.summary()
    tracker.reset()
    assert tracker.total.calls == 0 and not tracker.by_model and tracker.used_today() == 0


def test_tracker_is_thread_safe() -> None:
    tracker = CostTracker(warn=False, daily_limit=1e12)

    def work(i: int) -> None:
        for _ in range(200):
            tracker.record(LLAMA, Usage(1, 1, 2), ResponseMeta(neurons=0.5), run_id=i % 3)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert tracker.total.calls == 1600 and tracker.total.neurons == 800.0
    assert sum(t.calls for t in tracker.by_run.values()) == 1600
    assert tracker.used_today() == 800.0


def test_daily_notices_once_each_and_reset_at_utc_midnight() -> None:
    # 23:30 in UTC-5 is 04:30 UTC the next day: the day is counted in UTC
    clock = Clock(dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    events: list[AllowanceEvent] = []
    tracker = CostTracker(daily_limit=100, warn_at=0.8, on_allowance=events.append, clock=clock)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tracker.record(LLAMA, meta=ResponseMeta(neurons=70))
        assert not events
        tracker.record(LLAMA, meta=ResponseMeta(neurons=15))  # 85: approaching
        tracker.record(LLAMA, meta=ResponseMeta(neurons=5))  # 90: already told
        tracker.record(LLAMA, meta=ResponseMeta(neurons=20))  # 110: crossed
        tracker.record(LLAMA, meta=ResponseMeta(neurons=20))  # 130: already told
    assert [(e.kind, e.used, e.day) for e in events] == [
        ("approaching", 85, dt.date(2026, 3, 2)), ("exceeded", 110, dt.date(2026, 3, 2))]
    assert [w.category for w in caught] == [FreeAllocationWarning] * 2
    assert "85 of 100 free" in str(caught[0].message)
    assert "resets at 00:00 UTC" in str(caught[1].message)
    clock.now = dt.datetime(2026, 3, 3, 0, 0, 1, tzinfo=dt.UTC)  # a new UTC day
    assert tracker.used_today() == 0
    with pytest.warns(FreeAllocationWarning):
        tracker.record(LLAMA, meta=ResponseMeta(neurons=150))  # straight past: exceeded only
    assert [e.kind for e in events[2:]] == ["exceeded"]
    assert tracker.total.neurons == 280


def test_precheck_warns_before_a_call_would_cross() -> None:
    events: list[AllowanceEvent] = []
    tracker = CostTracker(daily_limit=100, warn=False, on_allowance=events.append)
    assert not tracker.precheck(LLAMA, 1000, 100)  # ~47 neurons: fine
    tracker.record(LLAMA, meta=ResponseMeta(neurons=60))
    assert tracker.precheck(LLAMA, 1000, 100)  # 60 + 47 > 100
    assert tracker.precheck(LLAMA, 1000, 100)  # still true, told once
    (event,) = [e for e in events if e.kind == "would_exceed"]
    projected = (1000 * 0.29 + 100 * 2.25) * N / 1e6
    assert event.model == LLAMA and event.projected == pytest.approx(projected, rel=1e-4)
    assert "next @cf/meta/llama-3.3-70b-instruct-fp8-fast call" in event.message
    assert not tracker.precheck(UNPRICED, 10**6, 10**6)  # unpriced: cannot tell


def test_precheck_uses_catalog_default_max_tokens() -> None:
    tracker = CostTracker(daily_limit=100, warn=False)
    tracker.record(LLAMA, meta=ResponseMeta(neurons=99.9))
    # 0 input tokens + the catalog's 256 default output tokens = 52 neurons
    assert tracker.precheck(LLAMA, 0)
    tracker2 = CostTracker(daily_limit=100, warn=False)
    tracker2.record(LLAMA, meta=ResponseMeta(neurons=60))
    assert not tracker2.precheck(LLAMA, 0, max_output_tokens=10)


def test_warning_category_is_filterable() -> None:
    tracker = CostTracker(daily_limit=10)
    with pytest.warns(FreeAllocationWarning, match="crossed"):
        tracker.record(LLAMA, meta=ResponseMeta(neurons=11))
    quiet = CostTracker(daily_limit=10, warn=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet.record(LLAMA, meta=ResponseMeta(neurons=11))


def test_bad_settings_rejected() -> None:
    with pytest.raises(ValueError):
        CostTracker(daily_limit=0)
    with pytest.raises(ValueError):
        CostTracker(warn_at=1.5)


@pytest.mark.parametrize("model,unit,amount,usd_price", [
    ("@cf/openai/whisper-large-v3-turbo", "per audio minute", 3, 0.00051 * 3),
    ("@cf/deepgram/aura-2-en", "per 1k characters", 2500, 0.03 * 2.5),
    ("@cf/microsoft/resnet-50", "per inference request", 10, 2.51e-06 * 10),
    ("@cf/bytedance/stable-diffusion-xl-lightning", "per step", 8, 0.0),
    ("@cf/leonardo/phoenix-1.0", "per 512 by 512 tile", 4, 0.0058 * 4),
    ("@cf/leonardo/phoenix-1.0", "per step", 25, 0.00011 * 25),
    ("@cf/deepgram/nova-3", "per audio minute", 2, 0.0052 * 2),
    ("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "per M output tokens", 2e6, 4.5),
])
def test_every_published_price_unit_is_costed(
        model: str, unit: str, amount: float, usd_price: float) -> None:
    from workersai.cost import neurons_for_units

    neurons = neurons_for_units(model, unit, amount)
    assert neurons is not None and usd(neurons) == pytest.approx(usd_price, rel=1e-6)


def test_units_without_a_price_are_unknown_not_free() -> None:
    from workersai.cost import neurons_for_units

    assert neurons_for_units("@cf/openai/whisper", "per audio minute", 1) is None
    assert neurons_for_units("@cf/nobody/knows", "per step", 1) is None
    assert estimate_neurons("@cf/meta/llama-guard-3-8b", 100, 10) is None


def test_every_live_text_model_with_a_price_is_estimated() -> None:
    from workersai import catalog

    for m in catalog.MODELS:
        if m.task == "text-generation" and m.neurons_per_m_input is not None:
            assert (estimate_neurons(m.id, 1000, 100 if m.neurons_per_m_output else 0) or 0) > 0


def test_aliased_model_costs_as_its_replacement() -> None:
    import datetime as _dt

    from workersai import catalog

    kimi25 = "@cf/moonshotai/kimi-k2.5"
    if catalog._today() >= _dt.date(2026, 5, 30):
        assert estimate_neurons(kimi25, 1000, 100) == estimate_neurons(KIMI, 1000, 100)
    assert catalog.require(kimi25).neurons_per_m_input == pytest.approx(0.6 * N, rel=1e-4)
