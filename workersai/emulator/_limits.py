"""Two delivery rules of the emulator: streams paced like a live model, and an account's
requests-per-minute limit.

* :func:`one_event_per_write`: a live model sends one SSE event per network write, some
  milliseconds apart; the renderer groups events for speed, so this splits every group
  back into single ``data: ...\\n\\n`` events with a pause (seconds, may be 0) after each.
  The loopback server flushes at every pause, so each event is its own HTTP chunk.
  Both it and the ``chunk_size`` knob re-cut a body with :func:`recut`.
* :class:`RateLimit`: Cloudflare's documented limits are requests per minute per task
  type, with per-model overrides. This counts requests per ``(account, model)`` over a
  sliding window of ``window`` seconds (60 by default; a shorter window scales time, e.g.
  ``window=1`` runs a minute's budget in one second) and answers the request that would
  exceed it with 429, Cloudflare's envelope (code 3021, "rate limiting: inference request
  per min rate reached") and a ``Retry-After`` header giving the seconds until the oldest
  counted request leaves the window (Workers AI does not document sending one; the
  emulator does, and the client works with or without it).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ._jsonenc import dumps, loads
from ._types import BodyItem, EmuResponse

__all__ = [
    "RATE_LIMITED_CODE", "RateLimit", "limit_key", "one_event_per_write", "rate_limited_reply",
    "recut",
]

RATE_LIMITED_CODE = 3021
"""Workers AI's per-minute rate-limit error code (3040 is out of capacity)."""


def recut(items: Iterable[BodyItem], piece: Callable[[bytes], int],
          pause: float | None = None) -> Iterator[BodyItem]:
    """The bytes of ``items`` re-cut into the pieces ``piece`` measures (the length of the
    first whole piece at the start of a buffer, 0 while there is none), with ``pause``
    seconds after each; pauses already in ``items`` stay in place, a partial tail ends it."""
    buf = b""
    for item in items:
        if not isinstance(item, bytes):
            yield item
            continue
        buf += item
        while (size := piece(buf)) > 0:
            yield buf[:size]
            if pause is not None:
                yield float(pause)
            buf = buf[size:]
    if buf:
        yield buf


def _event_length(buf: bytes) -> int:
    end = buf.find(b"\n\n")
    return end + 2 if end >= 0 else 0


def one_event_per_write(items: Iterable[BodyItem], delay: float) -> Iterator[BodyItem]:
    """Each SSE event of ``items`` as its own item, followed by a ``delay`` pause."""
    return recut(items, _event_length, delay)


class RateLimit:
    """At most ``per_window`` requests per key in any ``window`` seconds (sliding).

    Args:
        per_window: requests allowed in one window (Cloudflare's "per minute" figure).
        window: the window in seconds (60 = real time; smaller values scale time down).
        clock: seconds, monotonic (injectable for tests).
    """

    def __init__(self, per_window: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_window < 1 or window <= 0:
            raise ValueError("rate limit needs per_window >= 1 and window > 0")
        self.per_window, self.window, self._clock = per_window, window, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def check(self, account: str, model: str) -> float | None:
        """Count one request; None when allowed, else seconds until one would be."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault((account, model), deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.per_window:
                self.refused += 1
                return seen[0] + self.window - now
            seen.append(now)
            return None


def rate_limited_reply(retry_after: float, headers: list[tuple[str, str]]) -> EmuResponse:
    """Cloudflare's 429: the error envelope and ``Retry-After`` (whole seconds, >= 1;
    ``retry-after-ms`` carries the precise figure for scaled-time runs)."""
    body = dumps({"result": None, "success": False, "messages": [], "errors": [
        {"code": RATE_LIMITED_CODE,
         "message": "rate limiting: inference request per min rate reached"}]})
    extra = [("retry-after", str(max(1, math.ceil(retry_after)))),
             ("retry-after-ms", str(max(1, math.ceil(retry_after * 1000))))]
    return EmuResponse(429, [*headers, *extra], body)


def limit_key(route: str, body: bytes) -> str:
    """The model a request counts against: from the ``run/{model}`` path, else the
    body's ``model`` field (OpenAI-compatible endpoints), else the route itself."""
    if route.startswith("run/"):
        return route[4:]
    try:
        model = loads(body).get("model")
    except (ValueError, AttributeError):
        model = None
    return model if isinstance(model, str) else route
