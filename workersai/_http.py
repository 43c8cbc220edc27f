"""The HTTP shells: the only place in ``workersai`` that does I/O.

``SyncHTTP`` and ``AsyncHTTP`` are short twins around the shared
:class:`~workersai._http_shell.Shell`, which holds every decision: URLs, headers, timeouts,
reading answers, turning failures into typed errors and asking ``_retry`` whether to try
again; a :class:`~workersai._http_shell.StreamPass` turns each streamed chunk into events.
Each twin only sends, sleeps and iterates bytes. httpx clients are built on first use and
reused (per event loop for the async twin); injected clients are used as given and never
closed.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any, TypeAlias

import httpx

from ._backend import Body, StreamInfo, Target
from ._deadline import Deadline
from ._drain import adrain, drain
from ._http_shell import (
    RETRY_ON,
    USER_AGENT,
    Call,
    Shell,
    StreamPass,
    achunks_of,
    chunks_of,
    plain_headers,
    response_meta,
    to_error,
)
from ._loops import LoopStates
from ._retry import Pace, slot
from .config import Config, RequestOptions
from .types import ResponseMeta

__all__ = ["AsyncHTTP", "SyncHTTP", "to_error", "response_meta", "USER_AGENT"]

Whole: TypeAlias = tuple[int, dict[str, str], bytes]
"""A whole answer as read in one attempt: status, headers, body."""


class SyncHTTP(Shell):
    """Blocking twin. Thread-safe; one pooled ``httpx.Client`` built on first use, and a
    gate letting at most ``max_connections`` calls use it at once."""

    def __init__(self, config: Config, http_client: httpx.Client | None = None) -> None:
        super().__init__(config)
        self._client = http_client
        self._owned = http_client is None
        self._lock = threading.Lock()
        self._gate = threading.BoundedSemaphore(config.max_connections)
        self.sleep: Callable[[float], None] = time.sleep

    def http(self) -> httpx.Client:
        """The pooled client (built now if this is the first request)."""
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(**self.client_kwargs())
                client = self._client
        return client

    def _enter(self, deadline: Deadline) -> None:
        """Take a slot of the gate, queueing at most until the deadline."""
        if not self._gate.acquire(blocking=False) and not self._gate.acquire(
            timeout=self.gate_timeout(deadline)
        ):
            raise self.queue_error(deadline)

    def _read(self, r: httpx.Response, deadline: Deadline) -> bytes:
        """A whole answer, inflated and bounded, read before the deadline."""
        inflow = self.inflow(r, whole=True)
        for raw in chunks_of(r):
            inflow.add(raw)
            deadline.check()
        return inflow.content()

    def _open(self, call: Call, deadline: Deadline) -> AbstractContextManager[httpx.Response]:
        return self.http().stream(
            call.method, call.url, content=call.content, headers=call.headers,
            timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
        )

    def _whole(self, call: Call, deadline: Deadline) -> Whole:
        """One attempt at a whole answer, in a slot of the gate."""
        self._enter(deadline)
        try:
            with self._open(call, deadline) as r:
                return r.status_code, plain_headers(r), self._read(r, deadline)
        finally:
            self._gate.release()

    def _exchange(
        self, target: Target, body: Body, options: RequestOptions | None,
        info: StreamInfo | None, pace: Pace | None,
    ) -> Generator[Any, None, None]:
        """The retry loop of this twin, for both kinds of call: ``info`` None yields the
        decoded whole answer once; else the events of a stream, retried only until the
        first of them reached the caller. ``pace``: the call's pacing hook (``_retry``)."""
        if wait := slot(pace):  # a paced call's slot, before its deadline starts
            time.sleep(wait)
        call, deadline, tries = self.begin(target, body, options, pace, stream=info is not None)
        while True:
            sp = StreamPass()
            try:
                if info is None:
                    yield self.decode(call, *self._whole(call, deadline), tries)
                    return
                self._enter(deadline)
                try:
                    with self._open(call, deadline) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            content = self._read(r, deadline)
                            self.reject(call, r.status_code, r.headers, content, tries)
                        self.open_stream(sp, call, r, tries, info)
                        chunks = chunks_of(r)
                        for raw in chunks:
                            yield from sp.chunk(raw)
                            if sp.over(deadline):
                                drain(r, chunks, self.clock)
                                break
                        if tail := sp.finish():
                            yield tail
                        return
                finally:
                    self._gate.release()
            except RETRY_ON as exc:
                self.sleep(self.retry_delay(call, exc, tries, sp.started))

    def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]:
        (reply,) = self._exchange(target, body, options, None, pace)
        return reply

    def stream(self, target: Target, body: Body, options: RequestOptions | None,
               info: StreamInfo, *, pace: Pace | None = None) -> Generator[Any, None, None]:
        return self._exchange(target, body, options, info, pace)

    def close(self) -> None:
        """Close the pooled client if we built it (an injected one stays open)."""
        client, self._client = self._client, None
        if client is not None and self._owned:
            client.close()
        elif not self._owned:
            self._client = client


class AsyncHTTP(Shell):
    """Asynchronous twin. One ``httpx.AsyncClient`` and one gate of ``max_connections``
    slots per running event loop, released when that loop ends (``_loops``), so one
    instance works across ``asyncio.run`` calls without keeping their sockets."""

    def __init__(self, config: Config, http_client: httpx.AsyncClient | None = None) -> None:
        super().__init__(config)
        make = None if http_client is not None else self._make_client
        self._loops = LoopStates(make, http_client, config.max_connections)
        self.sleep: Callable[[float], Any] = asyncio.sleep

    def _make_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self.client_kwargs())

    def http(self) -> httpx.AsyncClient:
        """The pooled client of the running loop (built now if this is its first request)."""
        return self._loops.get().client

    async def _enter(self, deadline: Deadline) -> asyncio.Semaphore:
        """Take a slot of the running loop's gate, queueing at most until the deadline."""
        gate = self._loops.get().gate
        if gate.locked():
            try:
                async with asyncio.timeout(self.gate_timeout(deadline)):
                    await gate.acquire()
            except TimeoutError:
                raise self.queue_error(deadline) from None
        else:
            await gate.acquire()
        return gate

    async def _read(self, r: httpx.Response, deadline: Deadline) -> bytes:
        """A whole answer, inflated and bounded, read before the deadline."""
        inflow = self.inflow(r, whole=True)
        async for raw in achunks_of(r):
            inflow.add(raw)
            deadline.check()
        return inflow.content()

    def _open(
        self, call: Call, deadline: Deadline
    ) -> AbstractAsyncContextManager[httpx.Response]:
        return self.http().stream(
            call.method, call.url, content=call.content, headers=call.headers,
            timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
        )

    async def _whole(self, call: Call, deadline: Deadline) -> Whole:
        """One attempt at a whole answer, in a slot of the gate, cut at the deadline."""
        gate = await self._enter(deadline)
        try:
            left = deadline.check()
            async with asyncio.timeout(None if math.isinf(left) else left), self._open(
                call, deadline
            ) as r:
                return r.status_code, plain_headers(r), await self._read(r, deadline)
        finally:
            gate.release()

    async def _exchange(
        self, target: Target, body: Body, options: RequestOptions | None,
        info: StreamInfo | None, pace: Pace | None,
    ) -> AsyncGenerator[Any, None]:
        """The async twin of :meth:`SyncHTTP._exchange`."""
        if wait := slot(pace):
            await asyncio.sleep(wait)
        call, deadline, tries = self.begin(target, body, options, pace, stream=info is not None)
        while True:
            sp = StreamPass()
            try:
                if info is None:
                    yield self.decode(call, *await self._whole(call, deadline), tries)
                    return
                gate = await self._enter(deadline)
                try:
                    async with self._open(call, deadline) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            content = await self._read(r, deadline)
                            self.reject(call, r.status_code, r.headers, content, tries)
                        self.open_stream(sp, call, r, tries, info)
                        chunks = achunks_of(r)
                        async for raw in chunks:
                            for events in sp.chunk(raw):
                                yield events
                            if sp.over(deadline):
                                await adrain(chunks)
                                break
                        if tail := sp.finish():
                            yield tail
                        return
                finally:
                    gate.release()
            except RETRY_ON as exc:
                await self.sleep(self.retry_delay(call, exc, tries, sp.started))

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None, *,
        pace: Pace | None = None,
    ) -> tuple[Any, ResponseMeta]:
        [reply] = [r async for r in self._exchange(target, body, options, None, pace)]
        return reply

    def stream(self, target: Target, body: Body, options: RequestOptions | None,
               info: StreamInfo, *, pace: Pace | None = None) -> AsyncGenerator[Any, None]:
        return self._exchange(target, body, options, info, pace)

    async def aclose(self) -> None:
        """Close the client of the running loop if we built it; those of other loops are
        dropped (their loop closes them); an injected client stays open."""
        await self._loops.aclose()
