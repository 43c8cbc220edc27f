"""One retry policy, one loop per backend: the same failure script run through every door
(HTTP send and stream, sync and async; the binding's send and stream; each of them paced
and unpaced) must take the same attempts, sleep the same waits and end the same way. A
loop that drifts from the shared decisions (``_retry.Attempts``) fails here, whichever it
is. A paced door also tells its pacing hook the same story on every path: one slot before
the first attempt, a throttle for each retryable 429 (with the wait granted after it), and
one success when an attempt is accepted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from workersai import errors
from workersai._backend import StreamInfo, Target
from workersai._pacer import Paced, Pacer, Pacing
from workersai._retry import RETRY_CODES
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

    @property
    def throttles(self) -> bool:
        """A retryable 429: a paced call slows its bucket down."""
        return self.status == 429 and self.code in RETRY_CODES


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

    def hook(self) -> Hook:
        """What a paced door tells its pacing hook: the wait granted after each retryable
        429 it met (``None``: not retried), and whether an attempt was accepted."""
        met = self.script[: self.attempts]
        granted = [*self.sleeps, None]
        throttles = tuple(granted[i] for i, f in enumerate(met) if f.throttles)
        return Hook(slots=1, throttles=throttles, successes=0 if self.raises else 1)


@dataclass
class Hook:
    """A pacing hook (``_retry.Pace``) that records what the backend's loop tells it."""

    slots: int = 0
    throttles: tuple[float | None, ...] = ()
    successes: int = 0
    wait: float = field(default=0.0, compare=False)
    """Seconds until the slot comes."""

    def slot(self) -> float:
        self.slots += 1
        return self.wait

    def throttle(self, retry_after: float | None) -> None:
        self.throttles += (retry_after,)

    def success(self) -> None:
        self.successes += 1


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


def run_http(row: Row, kind: str, stream: bool, opts: RequestOptions | None = None,
             pace: Hook | None = None) -> Outcome:
    server = Server(*http_replies(row, stream))
    twin = Twin(kind, server, config(max_retries=row.retries))
    if stream:
        events, info, exc = twin.stream(options=opts, pace=pace)
        assert exc is not None or (events == [EVENT] and info.meta.attempts == len(
            server.requests))
    else:
        try:
            _, meta = twin.send(options=opts, pace=pace)
            assert meta.attempts == len(server.requests)
            exc = None
        except errors.WorkersAIError as err:
            exc = err
    assert server.leaked == 0
    return len(server.requests), tuple(twin.sleeps), type(exc) if exc else None


def run_binding(row: Row, stream: bool, pace: Hook | None = None) -> Outcome:
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
            events = [e async for batch in backend.stream(Target(MODEL), {}, None, info,
                                                          pace=pace) for e in batch]
            assert events == [EVENT]
        else:
            _, info.meta = await backend.send(Target(MODEL), {}, None, pace=pace)
        return info.meta.attempts

    try:
        assert asyncio.run(main()) == len(binding.calls)
        exc = None
    except errors.WorkersAIError as err:
        exc = err
    return len(binding.calls), tuple(sleeps), type(exc) if exc else None


Door = Callable[[Row, Hook | None], Outcome]
DOORS: dict[str, Door] = {
    "sync-send": lambda row, pace: run_http(row, "sync", False, pace=pace),
    "async-send": lambda row, pace: run_http(row, "async", False, pace=pace),
    "sync-stream": lambda row, pace: run_http(row, "sync", True, pace=pace),
    "async-stream": lambda row, pace: run_http(row, "async", True, pace=pace),
    "binding-send": lambda row, pace: run_binding(row, False, pace),
    "binding-stream": lambda row, pace: run_binding(row, True, pace),
}
HTTP_DOORS = [d for d in DOORS if not d.startswith("binding")]


def expect(row: Row, outcome: Outcome) -> None:
    attempts, sleeps, raised = outcome
    assert (attempts, sleeps) == (row.attempts, row.sleeps)
    if row.raises is None:
        assert raised is None
    else:
        assert raised is not None and issubclass(raised, row.raises)


def run_door(row: Row, door: str, paced: bool) -> Outcome:
    """One door, unpaced or paced (then the hook must hear the row's story too)."""
    if not paced:
        return DOORS[door](row, None)
    hook = Hook()
    outcome = DOORS[door](row, hook)
    assert hook == row.hook(), door
    return outcome


PACED = pytest.mark.parametrize("paced", [False, True], ids=["unpaced", "paced"])


@PACED
@pytest.mark.parametrize("row", TABLE, ids=lambda r: r.name)
def test_every_door_retries_the_same_way(row: Row, paced: bool) -> None:
    outcomes = {door: run_door(row, door, paced) for door in DOORS}
    for outcome in outcomes.values():
        expect(row, outcome)
    http_errors = {outcomes[d][2] for d in HTTP_DOORS}
    assert len(http_errors) == 1  # the same typed error through every HTTP door


@PACED
@pytest.mark.parametrize("row", HTTP_ONLY, ids=lambda r: r.name)
def test_every_http_door_honours_retry_after(row: Row, paced: bool) -> None:
    for door in HTTP_DOORS:
        expect(row, run_door(row, door, paced))


@pytest.mark.parametrize("door", DOORS)
def test_a_real_bucket_hears_every_door(door: str) -> None:
    # two-busy-then-ok: one 429 (throttle: the rate halves), one 504, then a success
    # (the rate creeps back a fiftieth)
    row = TABLE[1]
    pacer = Pacer()
    paced = Paced.plan(Pacing(per_minute=6_000), "acct", MODEL, pacer)
    assert paced is not None
    expect(row, DOORS[door](row, paced))  # type: ignore[arg-type]
    assert paced.state.throttled == 1
    assert paced.state.rate == pytest.approx(paced.state.ceiling * (0.5 + 0.02))


@pytest.mark.parametrize("door", DOORS)
def test_a_paced_call_waits_for_its_slot_outside_its_deadline(door: str) -> None:
    # the slot comes after 0.15 s and an HTTP call has 0.1 s in all: it still runs, as
    # its deadline starts once it has its slot; and the slot wait is no retry wait (the
    # backend's sleep hook never hears of it)
    row, hook = TABLE[0], Hook(wait=0.15)
    started = time.monotonic()
    if door.startswith("binding"):
        outcome = run_binding(row, door.endswith("stream"), hook)
    else:
        kind, _, call = door.partition("-")
        outcome = run_http(row, kind, call == "stream", RequestOptions(deadline=0.1), hook)
    assert time.monotonic() - started >= 0.15
    expect(row, outcome)
    assert hook == row.hook()


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


def _binding_stream(*replies: Any, retries: int = 3) -> tuple[list[Any], list[float],
                                                               BaseException | None, int]:
    binding = FakeBinding(*replies)
    backend = BindingBackend(binding, Config.resolve(max_retries=retries))
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    backend.sleep, backend.random = record, lambda: 0.0
    seen: list[Any] = []

    async def main() -> None:
        async for batch in backend.stream(Target(MODEL), {}, None, StreamInfo()):
            seen.extend(batch)

    try:
        asyncio.run(main())
    except errors.WorkersAIError as err:
        return seen, sleeps, err, len(binding.calls)
    return seen, sleeps, None, len(binding.calls)


def test_a_binding_stream_that_fails_before_its_first_event_is_retried() -> None:
    # the promise resolved, then the ReadableStream threw at its first read (capacity):
    # nothing reached the caller, so the call is tried again, as over HTTP
    seen, sleeps, exc, calls = _binding_stream(
        FakeStream([sse(EVENT)], fail_after=0), FakeStream([sse(EVENT)]))
    assert (seen, sleeps, exc, calls) == ([EVENT], [0.5], None, 2)


def test_a_binding_stream_cut_after_its_first_event_is_truncated_not_retried() -> None:
    class Dropped(FakeStream):  # the connection under the stream went away
        def getReader(self) -> Any:
            reader = super().getReader()
            read = reader.read

            async def failing() -> Any:
                if self.reads >= 1:
                    raise TypeError("network connection lost")
                return await read()

            reader.read = failing  # type: ignore[method-assign]
            return reader

    seen, sleeps, exc, calls = _binding_stream(
        Dropped([sse(EVENT, done=False)]), FakeStream([sse(EVENT)]))
    assert (seen, sleeps, calls) == ([EVENT], [], 1)
    assert isinstance(exc, errors.TruncatedStreamError)
