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
from typing import Any

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
from .config import Config, RequestOptions
from .types import ResponseMeta

__all__ = ["AsyncHTTP", "SyncHTTP", "to_error", "response_meta", "USER_AGENT"]


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

    def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call, deadline = self.begin(target, body, options, stream=False)
        attempt = 0
        while True:
            try:
                self._enter(deadline)
                try:
                    with self.http().stream(
                        call.method, call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        content = self._read(r, deadline)
                finally:
                    self._gate.release()
                return self.decode(call, r.status_code, plain_headers(r), content, attempt)
            except RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline)
            self.sleep(delay)
            attempt += 1

    def stream(
        self,
        target: Target,
        body: Body,
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> Generator[Any, None, None]:
        call, deadline = self.begin(target, body, options, stream=True)
        attempt = 0
        while True:
            sp = StreamPass()
            try:
                self._enter(deadline)
                try:
                    with self.http().stream(
                        "POST", call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            self.reject(call, r.status_code, r.headers, self._read(r, deadline))
                        self.open_stream(sp, call, r, attempt, info)
                        chunks = chunks_of(r)
                        for raw in chunks:
                            yield from sp.chunk(raw)
                            if sp.done:
                                drain(r, chunks, self.clock)
                                break
                            sp.after_chunk(deadline)
                        if tail := sp.finish():
                            yield tail
                        return
                finally:
                    self._gate.release()
            except RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline, sp.started)
            self.sleep(delay)
            attempt += 1

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

    async def _attempt(self, call: Call, deadline: Deadline) -> tuple[httpx.Response, bytes]:
        gate = await self._enter(deadline)
        try:
            left = deadline.check()
            async with asyncio.timeout(None if math.isinf(left) else left), self.http().stream(
                call.method, call.url, content=call.content, headers=call.headers,
                timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
            ) as r:
                return r, await self._read(r, deadline)
        finally:
            gate.release()

    async def send(
        self, target: Target, body: Body, options: RequestOptions | None
    ) -> tuple[Any, ResponseMeta]:
        call, deadline = self.begin(target, body, options, stream=False)
        attempt = 0
        while True:
            try:
                r, content = await self._attempt(call, deadline)
                return self.decode(call, r.status_code, plain_headers(r), content, attempt)
            except RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline)
            await self.sleep(delay)
            attempt += 1

    async def stream(
        self,
        target: Target,
        body: Body,
        options: RequestOptions | None,
        info: StreamInfo,
    ) -> AsyncGenerator[Any, None]:
        call, deadline = self.begin(target, body, options, stream=True)
        attempt = 0
        while True:
            sp = StreamPass()
            try:
                gate = await self._enter(deadline)
                try:
                    async with self.http().stream(
                        "POST", call.url, content=call.content, headers=call.headers,
                        timeout=self.attempt_timeout(call, deadline), follow_redirects=False,
                    ) as r:
                        if not self.is_event_stream(r.status_code, r.headers):
                            content = await self._read(r, deadline)
                            self.reject(call, r.status_code, r.headers, content)
                        self.open_stream(sp, call, r, attempt, info)
                        chunks = achunks_of(r)
                        async for raw in chunks:
                            for events in sp.chunk(raw):
                                yield events
                            if sp.done:
                                await adrain(chunks)
                                break
                            sp.after_chunk(deadline)
                        if tail := sp.finish():
                            yield tail
                        return
                finally:
                    gate.release()
            except RETRY_ON as exc:
                delay = self.retry_delay(call, exc, attempt, deadline, sp.started)
            await self.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Close the client of the running loop if we built it; those of other loops are
        dropped (their loop closes them); an injected client stays open."""
        await self._loops.aclose()
