"""Paced streams for both client twins: a streamed chat call takes its slot in the same
``(account, model)`` bucket as every other paced call (:mod:`workersai._pacer`).

The attempt goes out with no transport retry (as :mod:`workersai._paced` does for plain
sends), so a refusal before the first event (a 429, a 5xx) comes back here: a 429 halves
the bucket's rate and holds its other requests, and the attempt is retried by the
transport's own policy (``max_retries``, ``Retry-After``, else backoff with jitter). Once
events have reached the caller a failure is raised as it is, never retried (the caller
would see the text twice). The first event counts as the success that lets the bucket
creep back up; ``meta.attempts`` counts the refused tries.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Generator
from typing import Any, Protocol

from ._backend import StreamInfo
from ._paced import Paced
from ._retry import Attempts
from .config import RequestOptions
from .errors import WorkersAIError

__all__ = ["apaced_stream", "paced_stream"]


class _Sync(Protocol):
    def stream(self, target: Any, body: Any, options: RequestOptions | None,
               info: StreamInfo) -> Generator[list[Any], None, None]: ...


class _Async(Protocol):
    def stream(self, target: Any, body: Any, options: RequestOptions | None,
               info: StreamInfo) -> AsyncGenerator[list[Any], None]: ...


def _opened(paced: Paced, info: StreamInfo, used: int) -> None:
    """The server accepted the stream: the bucket creeps up, the meta counts the tries."""
    paced.done((None, info.meta), used)


def _after_failure(paced: Paced, err: WorkersAIError, started: bool, tries: Attempts) -> float:
    """Seconds to wait before trying again, or ``err`` raised: never once events reached
    the caller, else as :meth:`Paced.failed` decides (a 429 also throttles the bucket)."""
    if started:
        raise err
    return paced.failed(err, tries)


def paced_stream(paced: Paced, backend: _Sync, target: Any, body: Any,
                 info: StreamInfo) -> Generator[list[Any], None, None]:
    """The batches of events of one stream sent in its slot."""
    retry_sleep = getattr(backend, "sleep", time.sleep)
    tries, wait = paced.attempts(backend), paced.pacer.reserve(paced.state)
    if wait > 0:
        time.sleep(wait)
    while True:
        if tries.retries:
            retry_sleep(wait)
        started = False
        try:
            with contextlib.closing(backend.stream(target, body, paced.once(), info)) as events:
                for batch in events:
                    if not started:
                        started = True
                        _opened(paced, info, tries.retries)
                    yield batch
        except WorkersAIError as err:
            wait = _after_failure(paced, err, started, tries)
            continue
        if not started:
            _opened(paced, info, tries.retries)
        return


async def apaced_stream(paced: Paced, backend: _Async, target: Any, body: Any,
                        info: StreamInfo) -> AsyncGenerator[list[Any], None]:
    """The async twin of :func:`paced_stream`."""
    retry_sleep = getattr(backend, "sleep", asyncio.sleep)
    tries, wait = paced.attempts(backend), paced.pacer.reserve(paced.state)
    if wait > 0:
        await asyncio.sleep(wait)
    while True:
        if tries.retries:
            await retry_sleep(wait)
        started = False
        try:
            async with contextlib.aclosing(
                    backend.stream(target, body, paced.once(), info)) as events:
                async for batch in events:
                    if not started:
                        started = True
                        _opened(paced, info, tries.retries)
                    yield batch
        except WorkersAIError as err:
            wait = _after_failure(paced, err, started, tries)
            continue
        if not started:
            _opened(paced, info, tries.retries)
        return
