"""One retry policy, many loops: the same failure script run through every door that
retries (HTTP send and stream, sync and async; the binding's send and stream; paced
sends over both HTTP twins) must take the same attempts, sleep the same waits and end
the same way. A loop that drifts from the shared decisions (``_retry.Attempts``) fails
here, whichever it is."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from workersai import errors
from workersai._backend import StreamInfo, Target
from workersai._paced import Paced, apaced_send, paced_send
from workersai._pacer import Pacer, Pacing
from workersai.binding import BindingBackend
from workersai.config import Config, RequestOptions

from .test_binding_fakes import FakeBinding, FakeStream, InferenceUpstreamError, sse
from .test_http_fakes import MODEL, Reply, Server, Twin, config, fail, ok, sse_bytes, sse_reply

EVENT = {"response": "hi"}


@dataclass(frozen=True)
class Failure:
    """One failed attempt, as each carrier shows it."""

    status: int
    code: int
    headers: dict[str, str] | None = None

    def http(self) -> Reply:
        return fail(self.status, self.code, "scripted", self.headers)

    def binding(self) -> BaseException:
        return InferenceUpstreamError(f"{self.code}: scripted")


BUSY = Failure(429, 3040)  # capacity: retried with backoff
SLOW = Failure(504, 3007)  # upstream request timeout: retried
BAD = Failure(400, 5006)  # bad input: final
SPENT = Failure(429, 3036)  # daily allocation used up: a final 429
LATER = Failure(429, 3040, {"retry-after": "1.5"})  # the server names the wait (HTTP only)
DOWN = Failure(503, 3050, {"retry-after": "0.25"})  # a 5xx naming its wait (not a 429)


@dataclass(frozen=True)
class Row:
    """A failure script, a budget, and what every door must do with them."""

    name: str
    script: tuple[Failure, ...]
    retries: int
    attempts: int
    sleeps: tuple[float, ...]
    raises: type[errors.WorkersAIError] | None = None


# random() is pinned to 0: backoff is 0.5 s, then 1 s, then 2 s (no jitter taken off)
TABLE = [
    Row("first-try", (), 2, 1, ()),
    Row("two-busy-then-ok", (BUSY, SLOW), 2, 3, (0.5, 1.0)),
    Row("budget-spent", (BUSY, BUSY, BUSY), 2, 3, (0.5, 1.0), errors.RateLimitError),
    Row("no-budget", (BUSY,), 0, 1, (), errors.RateLimitError),
    Row("final-at-once", (BAD,), 3, 1, (), errors.BadRequestError),
    Row("busy-then-final", (BUSY, SPENT), 3, 2, (0.5,), errors.WorkersAIError),
    Row("three-retries", (SLOW, SLOW, BUSY), 3, 4, (0.5, 1.0, 2.0)),
]
HTTP_ONLY = [  # the binding carries no Retry-After
    Row("retry-after-wins", (LATER, BUSY), 2, 3, (1.5, 1.0)),
    Row("retry-after-on-5xx", (DOWN, DOWN), 1, 2, (0.25,), errors.ServerError),
]

Outcome = tuple[int, tuple[float, ...], type[BaseException] | None]


def http_replies(row: Row, stream: bool) -> list[Reply]:
    success = sse_reply([sse_bytes(EVENT)]) if stream else ok(EVENT)
    return [f.http() for f in row.script] + [success]


def run_http(row: Row, kind: str, stream: bool, opts: RequestOptions | None = None) -> Outcome:
    server = Server(*http_replies(row, stream))
    twin = Twin(kind, server, config(max_retries=row.retries))
    if stream:
        events, info, exc = twin.stream(options=opts)
        assert exc is not None or (events == [EVENT] and info.meta.attempts == len(
            server.requests))
    else:
        try:
            _, meta = twin.send(options=opts)
            assert meta.attempts == len(server.requests)
            exc = None
        except errors.WorkersAIError as err:
            exc = err
    assert server.leaked == 0
    return len(server.requests), tuple(twin.sleeps), type(exc) if exc else None


def run_binding(row: Row, stream: bool) -> Outcome:
    success: Any = FakeStream([sse(EVENT)]) if stream else EVENT
    binding = FakeBinding(*[f.binding() for f in row.script], success)
    backend = BindingBackend(binding, Config.resolve(max_retries=row.retries))
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    backend.sleep, backend.random = record, lambda: 0.0

    async def main() -> int:
        info = StreamInfo()
        if stream:
            events = [e async for batch in backend.stream(Target(MODEL), {}, None, info)
                      for e in batch]
            assert events == [EVENT]
        else:
            _, info.meta = await backend.send(Target(MODEL), {}, None)
        return info.meta.attempts

    try:
        assert asyncio.run(main()) == len(binding.calls)
        exc = None
    except errors.WorkersAIError as err:
        exc = err
    return len(binding.calls), tuple(sleeps), type(exc) if exc else None


def run_paced(row: Row, kind: str) -> Outcome:
    server = Server(*http_replies(row, False))
    cfg = config(max_retries=row.retries)
    twin = Twin(kind, server, cfg)
    paced = Paced.plan(Pacing(per_minute=60_000), cfg, MODEL, None, Pacer())
    assert paced is not None
    target, body = Target(MODEL), {"prompt": "hi"}
    try:
        if kind == "sync":
            _, meta = paced_send(paced, twin.http, target, body)  # type: ignore[arg-type]
        else:
            _, meta = asyncio.run(apaced_send(paced, twin.http, target, body))  # type: ignore[arg-type]
        assert meta.attempts == len(server.requests)
        exc = None
    except errors.WorkersAIError as err:
        exc = err
    return len(server.requests), tuple(twin.sleeps), type(exc) if exc else None


DOORS: dict[str, Callable[[Row], Outcome]] = {
    "sync-send": lambda row: run_http(row, "sync", False),
    "async-send": lambda row: run_http(row, "async", False),
    "sync-stream": lambda row: run_http(row, "sync", True),
    "async-stream": lambda row: run_http(row, "async", True),
    "sync-paced": lambda row: run_paced(row, "sync"),
    "async-paced": lambda row: run_paced(row, "async"),
    "binding-send": lambda row: run_binding(row, False),
    "binding-stream": lambda row: run_binding(row, True),
}
HTTP_DOORS = [d for d in DOORS if not d.startswith("binding")]


def expect(row: Row, outcome: Outcome) -> None:
    attempts, sleeps, raised = outcome
    assert (attempts, sleeps) == (row.attempts, row.sleeps)
    if row.raises is None:
        assert raised is None
    else:
        assert raised is not None and issubclass(raised, row.raises)


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r.name)
def test_every_door_retries_the_same_way(row: Row) -> None:
    outcomes = {door: run(row) for door, run in DOORS.items()}
    for outcome in outcomes.values():
        expect(row, outcome)
    http_errors = {outcomes[d][2] for d in HTTP_DOORS}
    assert len(http_errors) == 1  # the same typed error through every HTTP door


@pytest.mark.parametrize("row", HTTP_ONLY, ids=lambda r: r.name)
def test_every_http_door_honours_retry_after(row: Row) -> None:
    for door in HTTP_DOORS:
        expect(row, DOORS[door](row))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("stream", [False, True], ids=["send", "stream"])
def test_no_wait_outlasts_the_deadline_on_either_path(kind: str, stream: bool) -> None:
    # the server asks for 30 s; the call has 5 s in all: give up now, sleep nothing
    row = Row("later-than-deadline", (Failure(429, 3040, {"retry-after": "30"}),), 3, 1, (),
              errors.RateLimitError)
    expect(row, run_http(row, kind, stream, RequestOptions(deadline=5.0)))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_stream_is_not_retried_once_events_reached_the_caller(kind: str) -> None:
    server = Server(sse_reply([sse_bytes(EVENT, done=False)], error=httpx.ReadError("reset")),
                    sse_reply([sse_bytes(EVENT)]))
    twin = Twin(kind, server, config(max_retries=3))
    events, _, exc = twin.stream()
    assert events == [EVENT] and len(server.requests) == 1 and twin.sleeps == []
    assert isinstance(exc, errors.TruncatedStreamError)
