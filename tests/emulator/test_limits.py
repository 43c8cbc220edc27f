"""Emulator delivery rules: streams paced like a live model (one event per write) and
the requests-per-minute limit (429 with Cloudflare's envelope and Retry-After)."""

from __future__ import annotations

import pytest

from workersai.emulator._app import DEFAULT_ACCOUNT_ID, Emulator
from workersai.emulator._limits import RATE_LIMITED_CODE, RateLimit, one_event_per_write

from .helpers import BASE, BGE_BASE, CLASSIC, call, run, user


def test_event_delay_sends_each_event_alone_with_a_pause_after_it() -> None:
    body = {**user("Write 5 words"), "stream": True}
    grouped = run(Emulator(), CLASSIC, body)
    paced = run(Emulator(event_delay=0.01), CLASSIC, body)
    pieces = [i for i in paced.items if isinstance(i, bytes)]
    assert all(p.startswith(b"data: ") and p.endswith(b"\n\n") and p.count(b"\n\n") == 1
               for p in pieces)
    assert [i for i in paced.items if not isinstance(i, bytes)] == [0.01] * len(pieces)
    assert len(pieces) > len([i for i in grouped.items if isinstance(i, bytes)])
    assert b"".join(pieces) == b"".join(i for i in grouped.items if isinstance(i, bytes))


def test_event_delay_leaves_json_replies_alone() -> None:
    reply = run(Emulator(event_delay=0.01), CLASSIC, user("Hi"))
    assert reply.status == 200 and all(isinstance(i, bytes) for i in reply.items)


def test_one_event_per_write_keeps_pauses_and_a_partial_tail() -> None:
    items = list(one_event_per_write([b"data: 1\n\ndata: 2\n", 0.5, b"\ndata: 3"], 0.0))
    assert items == [b"data: 1\n\n", 0.0, 0.5, b"data: 2\n\n", 0.0, b"data: 3"]


def test_rate_limit_answers_429_with_envelope_and_retry_after() -> None:
    emu = Emulator(rate_limit=2, rate_window=60.0)
    texts = {"text": ["hello"]}
    assert [run(emu, BGE_BASE, texts).status for _ in range(2)] == [200, 200]
    refused = run(emu, BGE_BASE, texts)
    assert refused.status == 429
    assert refused.error()["code"] == RATE_LIMITED_CODE
    assert refused.json["success"] is False
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert 0 < int(refused.headers["retry-after-ms"]) <= 60_000
    assert run(emu, CLASSIC, user("Hi")).status == 200  # per model
    assert emu.rate_limit is not None and emu.rate_limit.refused == 1


def test_rate_limit_counts_openai_endpoint_requests_by_model() -> None:
    emu = Emulator(rate_limit=1)
    body = {"model": BGE_BASE, "input": ["hello"]}
    assert call(emu, "/v1/embeddings", body).status == 200
    assert call(emu, "/v1/embeddings", body).status == 429
    assert run(emu, BGE_BASE, {"text": ["x"]}).status == 429  # same model, same account
    assert DEFAULT_ACCOUNT_ID in BASE


def test_rate_limit_window_slides() -> None:
    now = [0.0]
    limit = RateLimit(2, window=10.0, clock=lambda: now[0])
    assert limit.check("a", "m") is None and limit.check("a", "m") is None
    assert limit.check("a", "m") == pytest.approx(10.0)
    now[0] = 5.0
    assert limit.check("a", "m") == pytest.approx(5.0)
    now[0] = 10.0
    assert limit.check("a", "m") is None  # the first left the window
    assert limit.check("b", "m") is None  # another account has its own window


def test_rate_limit_options_are_checked() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        Emulator(rate_limit=0)
    with pytest.raises(ValueError, match="event_delay"):
        Emulator(event_delay=-1)
