"""Fault injection for the emulator: unhappy paths on demand or on a schedule.

``Emulator.handle`` asks ``emu.faults.next_fault(request)`` before routing. A returned
:class:`Fault` decides the response, calling ``produce()`` when it needs the normal one.

Scheduling (:meth:`FaultSchedule.add`; counters are per rule and count only the requests
whose path contains ``path``)::

    emu.faults.add(RateLimited())                  # every request, until cleared
    emu.faults.add(ServerBusy(), times=1)          # the next request only
    emu.faults.add(Unauthorized(), on=3)           # the 3rd request (or on=[2, 5])
    emu.faults.add(CutStream(5), every=10)         # requests 10, 20, 30, ...
    emu.faults.add(Latency(0.2), rate=0.1, seed=1) # 10% at random, repeatable with a seed
    emu.faults.add(NoDone(), path="/ai/run")       # only where the path contains "/ai/run"
    emu.faults.clear()

When several rules fire on one request their faults are combined, the first added
outermost (it sees the reply the later ones make).

Replies (bodies are the Cloudflare v4 error envelope):

* :class:`ErrorReply` ``(status, code, message, retry_after=None, retry_after_ms=None)``:
  any JSON error; ``Retry-After`` / ``retry-after-ms`` headers only when given.
* :class:`RateLimited` ``(code=3040, retry_after=None)``: 429 with 3040 "Capacity
  temporarily exceeded, please try again.", 3021 (per-minute limit), 4006 or 3036 (daily
  free allocation used up).
* :class:`ServerBusy`: 503 with 3050 "AiError: Max retries exhausted".
* :class:`Unauthorized`: 401 with 10000 "Authentication error" and no ``cf-ai-req-id``.
* :class:`BadInput` ``(message=...)``: 400 with 5006 "AiError: Bad input: ...".
* :class:`PlainError` ``(status=500, text=...)``: a ``text/plain`` error page.
* :class:`HTMLPage` ``(status=502)``: an HTML error page from the edge.
* :class:`MalformedJSON` ``(body=...)``: HTTP 200 ``application/json`` that does not parse.
* :class:`FailureOn200` ``(code=3040, message=...)``: ``"success": false`` on HTTP 200.

Hostile replies (a misbehaving server; each is decided from the request alone):

* :class:`EchoToken` ``(where="request-id")``: echoes the request's bearer token in the
  ``cf-ai-req-id``/``cf-ray`` headers of a 500 (``"request-id"``), in a 302 ``Location``
  (``"location"``) or after multi-byte text in a 502 HTML page (``"body"``).
* :class:`MissingRerankResults` ``(drop=1)``: a rerank reply without its last scores.
* :class:`PaddedVectors` ``(extra=2)``: embeddings with ``extra`` more dimensions (with
  ``times=1``, one batch of a call differs from the rest).

Delivery (wrap the normal reply; an SSE event is everything up to a blank line, and a
non-SSE body counts as one event):

* :class:`Latency` ``(seconds)``: the whole reply arrives ``seconds`` late.
* :class:`Stall` ``(seconds=60, after_events=0)``: no bytes for ``seconds`` (before the
  status line when ``after_events`` is 0, else after that many events), then the rest.
* :class:`ResetBeforeBody`: the connection drops before any byte.
* :class:`CutStream` ``(after_events)``: status and the first events, then the
  connection drops (at the end if the body has fewer events).
* :class:`NoDone`: the stream ends cleanly without its ``data: [DONE]`` event.
* :class:`ErrorEvent` ``(after_events, code=3040, message=...)``: after that many events
  (or in place of ``[DONE]``) an event ``data: {"errors":[...],"success":false}`` ends the
  stream.
* :class:`Chunked` ``(sizes)``: the body re-cut into pieces of these byte sizes (cycled),
  splitting inside multi-byte UTF-8 characters and SSE lines alike.
* :class:`Combined` ``(*faults)``: several at once, the first outermost.

Hostile delivery (what a misbehaving server or middlebox does; the client's limits and
deadline must stop each one):

* :class:`Drip` ``(interval=0.5, size=1)``: the body a few bytes at a time, ``interval``
  seconds apart, so no single read times out.
* :class:`EndlessLine` ``(after_events=0)``: after that many events, a ``data:`` line that
  never ends.
* :class:`HugeBody` ``(size=300 MiB)``: a JSON 200 of that many bytes.
* :class:`GzipBomb` ``(inflated=2 GiB)``: ``content-encoding: gzip``, about 1 KB per MB
  inflated.
* :class:`SilenceAfterDone` ``(seconds=60)``: the stream through ``[DONE]``, then silence
  before the body ends.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ._fault_kinds import (
    BadInput,
    Chunked,
    Combined,
    CutStream,
    Drip,
    EchoToken,
    EndlessLine,
    ErrorEvent,
    ErrorReply,
    FailureOn200,
    GzipBomb,
    HTMLPage,
    HugeBody,
    Latency,
    MalformedJSON,
    MissingRerankResults,
    NoDone,
    PaddedVectors,
    PlainError,
    RateLimited,
    ResetBeforeBody,
    ServerBusy,
    SilenceAfterDone,
    Stall,
    Unauthorized,
)
from ._types import EmuRequest, EmuResponse

__all__ = [
    "Fault",
    "FaultRule",
    "FaultSchedule",
    "ErrorReply",
    "RateLimited",
    "ServerBusy",
    "Unauthorized",
    "BadInput",
    "PlainError",
    "HTMLPage",
    "MalformedJSON",
    "FailureOn200",
    "EchoToken",
    "MissingRerankResults",
    "PaddedVectors",
    "Latency",
    "Stall",
    "ResetBeforeBody",
    "CutStream",
    "NoDone",
    "ErrorEvent",
    "Chunked",
    "Combined",
    "Drip",
    "EndlessLine",
    "HugeBody",
    "GzipBomb",
    "SilenceAfterDone",
]


class Fault(Protocol):
    """Decides a response; calls ``produce()`` for the normal one when it needs it."""

    def apply(self, request: EmuRequest, produce: Callable[[], EmuResponse]) -> EmuResponse: ...


@dataclass(eq=False)
class FaultRule:
    """One scheduled fault and its counters (``seen``: matching requests, ``fired``)."""

    fault: Fault
    on: frozenset[int] | None = None
    every: int | None = None
    rate: float | None = None
    times: int | None = None
    path: str | None = None
    rng: random.Random = field(default_factory=random.Random, repr=False)
    seen: int = 0
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def check(self, request: EmuRequest) -> bool:
        """Count ``request`` if it matches ``path``; True when the fault fires on it."""
        if self.path is not None and self.path not in request.path:
            return False
        self.seen += 1
        if self.rate is not None:
            hit = self.rng.random() < self.rate  # drawn for every request: repeatable
        elif self.on is not None:
            hit = self.seen in self.on
        elif self.every is not None:
            hit = self.seen % self.every == 0
        else:
            hit = True
        if not hit or self.exhausted:
            return False
        self.fired += 1
        return True


def _validate(on: frozenset[int] | None, every: int | None, rate: float | None,
              seed: int | None, times: int | None) -> None:
    if sum(x is not None for x in (on, every, rate)) > 1:
        raise ValueError("give at most one of on=, every=, rate=")
    if on is not None and (not on or min(on) < 1):
        raise ValueError("on= counts requests from 1")
    if every is not None and every < 1:
        raise ValueError("every= must be at least 1")
    if rate is not None and not 0.0 <= rate <= 1.0:
        raise ValueError("rate= must be between 0 and 1")
    if seed is not None and rate is None:
        raise ValueError("seed= only applies with rate=")
    if times is not None and times < 1:
        raise ValueError("times= must be at least 1")


class FaultSchedule:
    """Which requests get which fault. Empty: every request is served normally.

    Thread-safe: the loopback server and in-process transports may share one emulator.

    Example:
        >>> schedule = FaultSchedule()
        >>> rule = schedule.add(RateLimited(retry_after=2), on=1)
        >>> schedule.clear()
    """

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(
        self,
        fault: Fault,
        *,
        on: int | Iterable[int] | None = None,
        every: int | None = None,
        rate: float | None = None,
        seed: int | None = None,
        times: int | None = None,
        path: str | None = None,
    ) -> FaultRule:
        """Schedule ``fault``; with no ``on``/``every``/``rate`` it fires on every request.

        Args:
            fault: what to do to the request.
            on: the n-th matching request (1-based) or several such numbers.
            every: every n-th matching request.
            rate: probability per matching request; ``seed`` makes the draw repeatable.
            seed: seed for ``rate``.
            times: stop after firing this many times.
            path: only requests whose path contains this substring count.
        """
        ons = frozenset([on] if isinstance(on, int) else on) if on is not None else None
        _validate(ons, every, rate, seed, times)
        rule = FaultRule(fault, on=ons, every=every, rate=rate, times=times, path=path,
                         rng=random.Random(seed))
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        """Unschedule one rule."""
        with self._lock:
            self._rules.remove(rule)

    def clear(self) -> None:
        """Unschedule everything."""
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> Sequence[FaultRule]:
        """The scheduled rules, in the order added."""
        with self._lock:
            return tuple(self._rules)

    def next_fault(self, request: EmuRequest) -> Fault | None:
        """The fault for ``request`` (advancing every rule's counters), or None."""
        with self._lock:
            fired = [rule.fault for rule in self._rules if rule.check(request)]
        if not fired:
            return None
        return fired[0] if len(fired) == 1 else Combined(*fired)
