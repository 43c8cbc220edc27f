"""Paced sends for both client twins (the logic is :mod:`workersai._pacer`).

A paced request waits for its slot and goes out with no transport retry, so that every
failure comes back here and is retried by the transport's own policy (``max_retries``,
``Retry-After``, else backoff with jitter; the waits use the backend's ``sleep`` hook):
the same attempts and delays as an unpaced call. A 429 also halves the pacer's rate and
holds the bucket's other requests until the delay has passed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from typing import Any, Protocol

from ._pacer import PACER, Pacer, PaceState, Pacing
from ._retry import next_delay
from .config import Config, RequestOptions
from .errors import RateLimitError, WorkersAIError
from .types import ResponseMeta

__all__ = ["Paced", "apaced_send", "paced_send"]

Sent = tuple[Any, ResponseMeta]


class _Sync(Protocol):
    def send(self, target: Any, body: Any, options: RequestOptions | None) -> Sent: ...


class _Async(Protocol):
    async def send(self, target: Any, body: Any, options: RequestOptions | None) -> Sent: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Paced:
    """What one call paces against: the bucket, the pacer, and the retry budget."""

    state: PaceState
    pacer: Pacer
    options: RequestOptions | None
    retries: int

    @classmethod
    def plan(cls, pacing: Pacing | None, config: Config, model: str,
             options: RequestOptions | None, pacer: Pacer = PACER) -> Paced | None:
        """None when pacing is off; the retry budget is the call's (``config`` overridden
        by ``options``, resolved as every backend resolves it)."""
        if pacing is not None and not pacing.enabled:
            return None
        pacing = pacing or Pacing()
        _, retries = config.call_settings(options)
        return cls(pacer.state(config.account_id or "", model, pacing), pacer, options, retries)

    def once(self) -> RequestOptions:
        """Options for a paced attempt: the call's, with no transport retry."""
        base = self.options or RequestOptions()
        return dataclasses.replace(base, max_retries=0)

    def done(self, sent: Sent, used: int) -> Sent:
        """A success: the pacer creeps up; ``meta.attempts`` counts the throttled tries."""
        self.pacer.success(self.state)
        sent[1].attempts += used
        return sent

    def failed(self, err: WorkersAIError, used: int) -> float | None:
        """Seconds to wait before the next attempt after a failure (``used`` retries
        spent), or None to give up: the transport's policy (the server's ``Retry-After``,
        else backoff with jitter). A 429 also halves the bucket's rate and holds its other
        requests for that long."""
        after = err.retry_after if isinstance(err, RateLimitError) else None
        delay = next_delay(err.is_retryable, used, self.retries, after, random.random())
        if isinstance(err, RateLimitError) and err.is_retryable:
            self.pacer.throttle(self.state, delay)
        return delay


def paced_send(paced: Paced, backend: _Sync, target: Any, body: Any) -> Sent:
    """Send one request in its slot (retry waits use the backend's ``sleep`` hook when it
    has one, so they are observable like the transport's own)."""
    retry_sleep = getattr(backend, "sleep", time.sleep)
    used, wait = 0, paced.pacer.reserve(paced.state)
    if wait > 0:
        time.sleep(wait)
    while True:
        if used:
            retry_sleep(wait)
        try:
            sent = backend.send(target, body, paced.once())
        except WorkersAIError as err:
            delay = paced.failed(err, used)
            if delay is None:
                raise
            wait, used = delay, used + 1
            continue
        return paced.done(sent, used)


async def apaced_send(paced: Paced, backend: _Async, target: Any, body: Any) -> Sent:
    """The async twin of :func:`paced_send`."""
    retry_sleep = getattr(backend, "sleep", asyncio.sleep)
    used, wait = 0, paced.pacer.reserve(paced.state)
    if wait > 0:
        await asyncio.sleep(wait)
    while True:
        if used:
            await retry_sleep(wait)
        try:
            sent = await backend.send(target, body, paced.once())
        except WorkersAIError as err:
            delay = paced.failed(err, used)
            if delay is None:
                raise
            wait, used = delay, used + 1
            continue
        return paced.done(sent, used)
