"""Pure retry policy: which failures are retried, and how long to wait before the next try.

No I/O and no clock of its own: callers pass the time and a random number, so every rule
is table-tested. :class:`Attempts` spends one call's retry budget: every backend's one
retry loop (the HTTP twins', the binding's) asks it, and only sleeps for what it says.

Pacing is a hook of that one loop, not a loop of its own: a paced call (a :class:`Pace`,
``workersai._pacer.Paced``) waits :func:`slot` seconds for its place in the rate bucket
before its deadline starts, and its :class:`Attempts` reports each retryable 429 (the
bucket slows down and holds its other requests) and the attempt the server accepted (the
bucket speeds back up). An unpaced call pays one ``None`` check per attempt.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from ._deadline import Deadline
from .errors import (
    ConnectError,
    RateLimitError,
    TransportError,
    TruncatedStreamError,
    WorkersAIError,
)

__all__ = [
    "Attempts",
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "JITTER",
    "MAX_RETRY_AFTER",
    "NEVER_RETRY_CODES",
    "Pace",
    "RETRY_CODES",
    "RETRY_STATUSES",
    "backoff_delay",
    "is_retryable",
    "next_delay",
    "parse_retry_after",
    "slot",
]

BACKOFF_BASE = 0.5
"""Seconds before the first retry when the server names no delay."""
BACKOFF_CAP = 8.0
"""Longest computed backoff, in seconds."""
JITTER = 0.25
"""Up to this fraction of each computed backoff is taken off at random."""
MAX_RETRY_AFTER = 60.0
"""Longest server-requested delay we honour, in seconds."""

RETRY_STATUSES = frozenset({408, 409, 429})
RETRY_CODES = frozenset({3040, 3021, 3050, 3007})
"""Capacity, per-minute rate limit, upstream retries exhausted, request timeout."""
NEVER_RETRY_CODES = frozenset({3036, 4006, 10000, 5006, 5007})
"""Daily allocation used up, authentication, bad input, no such model."""


def is_retryable(status: int | None, codes: Iterable[int] = ()) -> bool:
    """Whether an API error answer is worth another try.

    Codes decide first (a 429 for the daily allocation is final, a 400 carrying a
    capacity code is not); then the status: 408, 409, 429 and 5xx are retried.
    """
    code_set = set(codes)
    if code_set & NEVER_RETRY_CODES:
        return False
    if code_set & RETRY_CODES:
        return True
    if status is None:
        return False
    return status in RETRY_STATUSES or status >= 500


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``retry-after-ms`` then ``Retry-After``.

    ``Retry-After`` may be seconds or an HTTP date (relative to ``now``, epoch seconds).
    Unreadable, negative, infinite or NaN values give ``None``; values above
    :data:`MAX_RETRY_AFTER` are capped to it.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        seconds = _number(raw_ms)
        if seconds is not None:
            return _cap(seconds / 1000.0)
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _number(raw)
    if seconds is None:
        seconds = _http_date_delay(raw, time.time() if now is None else now)
    return None if seconds is None else _cap(seconds)


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if math.isnan(value) or math.isinf(value) or value < 0:
        return None
    return value


def _http_date_delay(text: str, now: float) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:  # pragma: no cover - older Pythons returned None
        return None
    return max(0.0, parsed.timestamp() - now)


def _cap(seconds: float) -> float:
    return min(seconds, MAX_RETRY_AFTER)


def backoff_delay(attempt: int, rand: float) -> float:
    """Exponential backoff with jitter for retry number ``attempt`` (0 = first retry).

    ``rand`` in [0, 1) takes up to :data:`JITTER` of the delay off.
    """
    base = min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** min(attempt, 32))
    return base * (1.0 - JITTER * rand)


def next_delay(
    retryable: bool,
    attempt: int,
    max_retries: int,
    retry_after: float | None,
    rand: float,
) -> float | None:
    """Seconds to sleep before retry ``attempt + 1``, or ``None`` to give up.

    ``attempt`` counts the retries already made; a server-named delay wins over backoff.
    """
    if not retryable or attempt >= max_retries:
        return None
    if retry_after is not None:
        return _cap(retry_after)
    return backoff_delay(attempt, rand)


def cut_stream(err: WorkersAIError) -> WorkersAIError:
    """The error to raise for ``err`` once a stream has delivered events (never retried
    then): a dropped connection leaves the reply incomplete, a
    :class:`~workersai.errors.TruncatedStreamError`; a stall or an error event stays
    itself."""
    if type(err) in (TransportError, ConnectError):
        return TruncatedStreamError(
            f"The stream was cut after it started ({err.message}); the reply is incomplete."
        )
    return err


class Pace(Protocol):
    """A paced call's place in its ``(account, model)`` rate bucket, as a backend's retry
    loop uses it (the implementation: ``workersai._pacer.Paced``)."""

    def slot(self) -> float:
        """Take the call's slot: seconds to wait before its first attempt."""
        ...

    def throttle(self, retry_after: float | None) -> None:
        """A retryable 429: slow the bucket and hold it for ``retry_after`` seconds."""
        ...

    def success(self) -> None:
        """The server accepted an attempt: the bucket speeds back up."""
        ...


def slot(pace: Pace | None) -> float:
    """Seconds a call waits for its pacing slot, before its deadline starts (0 unpaced)."""
    return 0.0 if pace is None else pace.slot()


class Attempts:
    """One call's retries as they are spent: whether, and after how long, a failed attempt
    is tried again. Pure: the clock sits in the deadline and the random source is passed
    in; the caller translates the failure to a typed error first and sleeps the answer.

    ``retries`` counts the retries granted so far (``made`` = attempts started, what
    ``ResponseMeta.attempts`` reports for the attempt under way). ``pace``, for a paced
    call, hears of each retryable 429 and of the accepted attempt.
    """

    __slots__ = ("_random", "budget", "deadline", "pace", "refused", "retries")

    def __init__(self, budget: int, deadline: Deadline, rand: Callable[[], float],
                 pace: Pace | None = None) -> None:
        self.budget, self.deadline, self._random, self.pace = budget, deadline, rand, pace
        self.retries = 0
        self.refused: float | None = None
        """The last wait given up because it would not end before the deadline."""

    @property
    def made(self) -> int:
        return self.retries + 1

    def wait(self, err: WorkersAIError) -> float | None:
        """Seconds to sleep before the next attempt after ``err`` (the retry is counted),
        or ``None`` to give up: the failure is final, the budget is spent, or the wait would
        not end before the deadline (no sleep outlasts it; ``refused`` holds it). A paced
        call's bucket is throttled on a retryable 429, for as long as this wait."""
        delay = self._delay(err)
        if self.pace is not None and isinstance(err, RateLimitError) and err.is_retryable:
            self.pace.throttle(self.refused if delay is None else delay)
        return delay

    def _delay(self, err: WorkersAIError) -> float | None:
        retry_after = getattr(err, "retry_after", None)
        delay = next_delay(err.is_retryable, self.retries, self.budget, retry_after,
                           self._random())
        if delay is None:
            return None
        if delay >= self.deadline.remaining():
            self.refused = delay
            return None
        self.retries += 1
        return delay

    def succeeded(self) -> None:
        """The server accepted the attempt under way (a paced call's bucket speeds up)."""
        if self.pace is not None:
            self.pace.success()
