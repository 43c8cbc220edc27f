"""Client-side pacing: run a bulk job at the account's rate limit, not into it.

Cloudflare limits Workers AI requests per minute per account and model (per task type,
with per-model overrides: :func:`limit_per_minute`). A :class:`PaceState` paces one
``(account, model)``; two rules decide when a request may go, and the later one wins:

* a token bucket in GCRA form (theoretical arrival time) spaces requests at the limit's
  own rate, with a small burst allowance: a fresh bucket starts at the full published
  limit (no job has used the window yet);
* a log of its own recent send times keeps every window (stretched by :data:`MARGIN`, for
  the jitter between our clock and the server's) at most :data:`SAFETY` x the limit: once
  a window's worth has gone, the next request waits for the oldest one to leave it. So a
  long job runs at about ``SAFETY / (1 + MARGIN)`` of the limit (98%) with no sliding
  window over the limit, and a short one is never slowed by a margin it does not need.

It adapts (AIMD): a 429 halves the bucket's rate and blocks until ``Retry-After``; every
success adds back a fiftieth of the limit's rate.

:class:`PaceState` is pure (the caller passes the time); :class:`Pacer` is the shared,
thread-safe registry both client twins use. A paced call hands its :class:`Paced` (its
bucket in the pacer) to the backend, whose one retry loop uses it as the hook
``workersai._retry.Pace``: it sleeps for the slot before the call's deadline starts, then
reports every retryable 429 and the accepted attempt. Retries take no new slot: they wait
as an unpaced call would, and a 429 holds the bucket's other requests for that long.

Knob: :class:`Pacing` (``enabled``, ``per_minute``, ``window``). ``window`` is the limit's
window in seconds: 60 in real use; a benchmark or test may shrink it to scale time (the
emulator's ``rate_window`` takes the same number).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from . import catalog

__all__ = ["PaceState", "Paced", "Pacer", "Pacing", "PACER", "limit_per_minute"]

SAFETY = 0.99
"""Fraction of the limit any window (stretched by :data:`MARGIN`) may hold."""
MARGIN = 0.01
"""How much longer than the limit's window the pacer counts over (0.6 s of a minute)."""
BURST = 0.05
"""Requests sent without spacing, as a fraction of the limit."""
DECREASE = 0.5
"""Multiplicative decrease of the rate on a 429."""
INCREASE = 0.02
"""Additive increase per success, as a fraction of the ceiling."""
MIN_FRACTION = 0.05
"""The rate never falls below this fraction of the ceiling."""


DEFAULT_PER_MINUTE = 300
"""For a model the catalog does not know: the lowest task default (text generation)."""


def limit_per_minute(model: str) -> int:
    """Requests per minute allowed for ``model``: the catalog's ``rate_limit_per_minute``
    (Cloudflare's limits page: the per-model override, else the task's default), or
    :data:`DEFAULT_PER_MINUTE` for an id the catalog does not know."""
    info = catalog.lookup(model)
    listed = info.rate_limit_per_minute if info is not None else None
    return listed if listed is not None and listed > 0 else DEFAULT_PER_MINUTE


@dataclass(frozen=True, slots=True)
class Pacing:
    """How a call paces its requests.

    Args:
        enabled: False sends as fast as concurrency allows (no pacing).
        per_minute: the limit to stay under; None reads it from the catalog.
        window: seconds the limit counts over (60; smaller scales time for tests).
    """

    enabled: bool = True
    per_minute: int | None = None
    window: float = 60.0

    def __post_init__(self) -> None:
        if self.per_minute is not None and self.per_minute < 1:
            raise ValueError(f"per_minute must be >= 1, got {self.per_minute}")
        if not self.window > 0:
            raise ValueError(f"window must be > 0, got {self.window}")


class PaceState:
    """One ``(account, model)`` bucket. Times are seconds from one monotonic clock."""

    __slots__ = ("_blocked", "_sent", "_tat", "burst", "cap", "ceiling", "rate", "span",
                 "throttled")

    def __init__(self, per_window: int, window: float) -> None:
        self.ceiling = per_window / window  # the limit's rate, requests per second
        self.rate = self.ceiling
        self.burst = max(1.0, math.floor(BURST * per_window))
        self.cap = max(1, math.floor(SAFETY * per_window))  # sends in any stretched window
        self.span = window * (1.0 + MARGIN)
        self._sent: deque[float] = deque(maxlen=self.cap)  # the last ``cap`` send times
        self._tat = -math.inf  # theoretical arrival time of the next request
        self._blocked = -math.inf
        self.throttled = 0

    def reserve(self, now: float) -> float:
        """Take the next slot; seconds to wait before sending (0 when allowed now)."""
        interval = 1.0 / self.rate
        tat = max(self._tat, now)
        send_at = max(now, tat - (self.burst - 1) * interval, self._blocked)
        sent = self._sent
        if sent:
            send_at = max(send_at, sent[-1])  # in order, so the log stays sorted
            if len(sent) == self.cap:  # a window's worth has gone: wait for the oldest
                send_at = max(send_at, sent[0] + self.span)
        self._tat = max(tat, send_at) + interval
        sent.append(send_at)
        return send_at - now

    def success(self) -> None:
        """A request went through: creep back towards the ceiling."""
        self.rate = min(self.ceiling, self.rate + INCREASE * self.ceiling)

    def throttle(self, now: float, retry_after: float | None) -> None:
        """A 429: halve the rate and hold every request until ``retry_after`` has passed."""
        self.throttled += 1
        self.rate = max(MIN_FRACTION * self.ceiling, self.rate * DECREASE)
        self._blocked = max(self._blocked, now + (retry_after or 1.0 / self.rate))
        self._tat = max(self._tat, self._blocked)


class Pacer:
    """Buckets per ``(account, model, limit, window)``, shared by threads and event loops."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._states: dict[tuple[str, str, int, float], PaceState] = {}
        self._lock = threading.Lock()

    def state(self, account: str, model: str, pacing: Pacing) -> PaceState:
        per_minute = pacing.per_minute or limit_per_minute(model)
        key = (account, model, per_minute, pacing.window)
        with self._lock:
            found = self._states.get(key)
            if found is None:
                found = self._states[key] = PaceState(per_minute, pacing.window)
            return found

    def reset(self) -> None:
        """Forget every bucket (a fresh start, e.g. between tests)."""
        with self._lock:
            self._states.clear()

    def reserve(self, state: PaceState) -> float:
        with self._lock:
            return state.reserve(self.clock())

    def success(self, state: PaceState) -> None:
        with self._lock:
            state.success()

    def throttle(self, state: PaceState, retry_after: float | None) -> None:
        with self._lock:
            state.throttle(self.clock(), retry_after)


PACER = Pacer()
"""The process-wide pacer: one account's limit is shared by every client in a process."""


@dataclass(frozen=True, slots=True)
class Paced:
    """One call's bucket in its pacer: the pacing hook a backend's retry loop calls
    (``workersai._retry.Pace``)."""

    state: PaceState
    pacer: Pacer

    @classmethod
    def plan(cls, pacing: Pacing | None, account: str, model: str,
             pacer: Pacer = PACER) -> Paced | None:
        """None when ``pacing`` is off; ``None`` pacing is the default :class:`Pacing`."""
        if pacing is not None and not pacing.enabled:
            return None
        return cls(pacer.state(account, model, pacing or Pacing()), pacer)

    def slot(self) -> float:
        return self.pacer.reserve(self.state)

    def throttle(self, retry_after: float | None) -> None:
        self.pacer.throttle(self.state, retry_after)

    def success(self) -> None:
        self.pacer.success(self.state)
