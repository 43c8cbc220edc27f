"""In-process httpx transports for the emulator: no sockets, real streaming.

A streamed reply reaches the client item by item as the handler produces it; pauses
sleep, :data:`~workersai.emulator._types.RESET` raises the error a dropped connection
gives, and a pause longer than the request's read timeout raises
:class:`httpx.ReadTimeout` after exactly that long.

Example:
    >>> from workersai.emulator import Emulator, EmulatorTransport
    >>> import httpx
    >>> client = httpx.Client(transport=EmulatorTransport(Emulator()))
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from itertools import chain
from typing import TYPE_CHECKING

import httpx

from ._runtime import Handler, Step, TimedOut, clean_headers, close_body, pace
from ._types import EmuRequest, EmuResponse

if TYPE_CHECKING:
    from ._app import Emulator

__all__ = [
    "EmulatorTransport",
    "AsyncEmulatorTransport",
    "emulator_http_client",
    "emulator_async_http_client",
    "DEFAULT_CLIENT_BASE_URL",
]

DEFAULT_CLIENT_BASE_URL = "https://api.cloudflare.com/client/v4"


def _emu_request(request: httpx.Request, body: bytes) -> EmuRequest:
    return EmuRequest(
        method=request.method,
        path=request.url.path,
        query=dict(request.url.params),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
    )


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    value = timeout.get("read")
    return None if value is None else float(value)


def _decode(
    step: Step, request: httpx.Request, *, started: bool
) -> tuple[float, bytes | None, Exception | None]:
    """One step as (seconds to sleep, bytes to deliver, error to raise after sleeping)."""
    if isinstance(step, bytes):
        return 0.0, step, None
    if isinstance(step, float):
        return step, None, None
    if isinstance(step, TimedOut):
        return step.after, None, httpx.ReadTimeout("timed out", request=request)
    if started:
        message = "peer closed connection without sending complete message body"
        return 0.0, None, httpx.RemoteProtocolError(message, request=request)
    return 0.0, None, httpx.ConnectError("[Errno 104] Connection reset by peer", request=request)


def _response(reply: EmuResponse, stream: httpx.SyncByteStream | httpx.AsyncByteStream
              ) -> httpx.Response:
    headers = [*clean_headers(reply.headers), ("transfer-encoding", "chunked")]
    return httpx.Response(reply.status, headers=headers, stream=stream)


def _plain_response(reply: EmuResponse, body: bytes) -> httpx.Response:
    # A raw stream (not ``content=``) so the client reads it as it would off a socket.
    headers = [*clean_headers(reply.headers), ("content-length", str(len(body)))]
    return httpx.Response(reply.status, headers=headers, stream=_BytesBody(body))


class _BytesBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        if self._body:
            yield self._body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._body:
            yield self._body


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, first: bytes, steps: Iterator[Step], request: httpx.Request,
                 source: object) -> None:
        self._first, self._steps, self._request, self._source = first, steps, request, source

    def __iter__(self) -> Iterator[bytes]:
        if self._first:
            yield self._first
        for step in self._steps:
            pause, data, error = _decode(step, self._request, started=True)
            if pause:
                time.sleep(pause)
            if error is not None:
                raise error
            if data:
                yield data

    def close(self) -> None:
        close_body(self._source)


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, first: bytes, steps: Iterator[Step], request: httpx.Request,
                 source: object) -> None:
        self._first, self._steps, self._request, self._source = first, steps, request, source

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._first:
            yield self._first
        for step in self._steps:
            pause, data, error = _decode(step, self._request, started=True)
            if pause:
                await asyncio.sleep(pause)
            if error is not None:
                raise error
            if data:
                yield data

    async def aclose(self) -> None:
        close_body(self._source)


def _after_lead(reply: EmuResponse, first: bytes, steps: Iterator[Step], request: httpx.Request,
                body_type: type[_SyncBody] | type[_AsyncBody]) -> httpx.Response:
    """A body that turns out to be a single piece gets Content-Length, as the API sends."""
    second = next(steps, None)
    if second is None:
        return _plain_response(reply, first)
    return _response(reply, body_type(first, chain((second,), steps), request, reply.body))


class EmulatorTransport(httpx.BaseTransport):
    """An :class:`httpx.BaseTransport` that answers from a handler, in process.

    Args:
        handler: the ``Emulator`` (or any object with ``handle(EmuRequest) -> EmuResponse``).

    Example:
        >>> client = httpx.Client(transport=EmulatorTransport(Emulator()),
        ...                       base_url="https://api.cloudflare.com/client/v4")
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply = self.handler.handle(_emu_request(request, request.read()))
        if isinstance(reply.body, bytes):
            return _plain_response(reply, reply.body)
        steps = pace(reply.body, _read_timeout(request))
        for step in steps:
            pause, data, error = _decode(step, request, started=False)
            if pause:
                time.sleep(pause)
            if error is not None:
                raise error
            if data is not None:
                return _after_lead(reply, data, steps, request, _SyncBody)
        return _plain_response(reply, b"")


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    """The asynchronous twin of :class:`EmulatorTransport` (pauses use ``asyncio.sleep``).

    Example:
        >>> client = httpx.AsyncClient(transport=AsyncEmulatorTransport(Emulator()))
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = self.handler.handle(_emu_request(request, await request.aread()))
        if isinstance(reply.body, bytes):
            return _plain_response(reply, reply.body)
        steps = pace(reply.body, _read_timeout(request))
        for step in steps:
            pause, data, error = _decode(step, request, started=False)
            if pause:
                await asyncio.sleep(pause)
            if error is not None:
                raise error
            if data is not None:
                return _after_lead(reply, data, steps, request, _AsyncBody)
        return _plain_response(reply, b"")


def _default_emulator() -> Emulator:
    from ._app import Emulator

    return Emulator()


def emulator_http_client(emu: Handler | None = None, **kwargs: object) -> httpx.Client:
    """An :class:`httpx.Client` wired to ``emu`` (a fresh ``Emulator`` if omitted).

    Any host works; only the path routes. ``kwargs`` go to :class:`httpx.Client`.
    """
    handler = emu if emu is not None else _default_emulator()
    kwargs.setdefault("base_url", DEFAULT_CLIENT_BASE_URL)
    return httpx.Client(transport=EmulatorTransport(handler), **kwargs)  # type: ignore[arg-type]


def emulator_async_http_client(emu: Handler | None = None, **kwargs: object) -> httpx.AsyncClient:
    """An :class:`httpx.AsyncClient` wired to ``emu`` (a fresh ``Emulator`` if omitted)."""
    handler = emu if emu is not None else _default_emulator()
    kwargs.setdefault("base_url", DEFAULT_CLIENT_BASE_URL)
    return httpx.AsyncClient(
        transport=AsyncEmulatorTransport(handler), **kwargs  # type: ignore[arg-type]
    )
