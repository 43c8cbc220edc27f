"""The total deadline of one call: every attempt, every retry sleep and every wait for a
free connection slot come out of one budget (``Config.deadline``, per call
``RequestOptions.deadline``). Pure: the clock is passed in.

For a stream the deadline runs until its first event arrives (connecting, retries,
the model's time to first token); after that ``Timeouts.stream_idle`` bounds each gap
between events and the stream may run as long as events keep coming.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from . import errors

__all__ = ["DEFAULT_DEADLINE", "Deadline", "check_deadline"]

DEFAULT_DEADLINE = 300.0
"""Seconds. Above one full default read timeout (120 s) plus retries of quick failures,
well below "hung forever"."""


def check_deadline(value: float | None) -> float | None:
    """``value`` if it is a positive number of seconds (``math.inf``: no deadline)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.InvalidInputError(f"deadline must be a number of seconds, got {value!r}")
    seconds = float(value)
    if math.isnan(seconds) or seconds <= 0:
        raise errors.InvalidInputError(f"deadline must be positive seconds, got {value!r}")
    return seconds


class Deadline:
    """When one call must be over."""

    __slots__ = ("_clock", "_end", "budget")

    def __init__(self, budget: float, clock: Callable[[], float]) -> None:
        self.budget = budget
        self._clock = clock
        self._end = clock() + budget

    def remaining(self) -> float:
        """Seconds left (may be negative; ``inf`` without a deadline)."""
        return self._end - self._clock()

    def error(self) -> errors.TimeoutError:
        """The error for a call that ran out of time."""
        return errors.TimeoutError(
            f"The call to Workers AI did not finish within its deadline of {self.budget:g}s "
            "(attempts, retry waits and queueing included; raise `deadline` to allow more)."
        )

    def check(self) -> float:
        """Seconds left, or the deadline's ``TimeoutError`` when none are."""
        left = self._end - self._clock()
        if left <= 0:
            raise self.error()
        return left
