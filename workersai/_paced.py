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
import math
import random
import time
from typing import Any, Protocol

from ._deadline import Deadline
from ._pacer import PACER, Pacer, PaceState, Pacing
from ._retry import Attempts
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

    def attempts(self, backend: object) -> Attempts:
        """One send's retry budget, spent as the transport spends its own (with the
        backend's ``random`` hook when it has one). Each paced attempt keeps its own
        deadline; the waits between them have none."""
        rand = getattr(backend, "random", random.random)
        return Attempts(self.retries, Deadline(math.inf, time.monotonic), rand)

    def failed(self, err: WorkersAIError, tries: Attempts) -> float:
        """Seconds to wait before the next attempt after a failure, or ``err`` raised to
        give up: the transport's policy (the server's ``Retry-After``, else backoff with
        jitter). A 429 also halves the bucket's rate and holds its other requests for that
        long."""
        delay = tries.wait(err)
        if isinstance(err, RateLimitError) and err.is_retryable:
            self.pacer.throttle(self.state, delay)
        if delay is None:
            raise err
        return delay


def paced_send(paced: Paced, backend: _Sync, target: Any, body: Any) -> Sent:
    """Send one request in its slot (retry waits use the backend's ``sleep`` hook when it
    has one, so they are observable like the transport's own)."""
    tries, wait = paced.attempts(backend), paced.pacer.reserve(paced.state)
    if wait > 0:
        time.sleep(wait)
    while True:
        try:
            return paced.done(backend.send(target, body, paced.once()), tries.retries)
        except WorkersAIError as err:
            getattr(backend, "sleep", time.sleep)(paced.failed(err, tries))


async def apaced_send(paced: Paced, backend: _Async, target: Any, body: Any) -> Sent:
    """The async twin of :func:`paced_send`."""
    tries, wait = paced.attempts(backend), paced.pacer.reserve(paced.state)
    if wait > 0:
        await asyncio.sleep(wait)
    while True:
        try:
            return paced.done(await backend.send(target, body, paced.once()), tries.retries)
        except WorkersAIError as err:
            await getattr(backend, "sleep", asyncio.sleep)(paced.failed(err, tries))
