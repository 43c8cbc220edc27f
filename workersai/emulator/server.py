"""The emulator on a loopback HTTP/1.1 server (raw asyncio streams, no dependency).

Run it from a shell::

    python -m workersai.emulator --port 8787

or from Python, in a background thread::

    with EmulatorServer(Emulator()) as server:
        httpx.post(f"{server.base_url}/accounts/{DEFAULT_ACCOUNT_ID}/ai/run/...", ...)

or inside a running event loop with ``await serve(Emulator(), port=8787)``.

Streamed replies use chunked transfer-encoding; pauses are ``asyncio.sleep``;
``RESET`` aborts the TCP connection. The handler is called directly on the event loop
(it only computes), and the body is written in batches, flushed at every pause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from types import TracebackType
from typing import Any

from ._http1 import LAST_CHUNK, BadRequest, chunk_frame, format_head, read_request
from ._runtime import Handler, Step, close_body, pace
from ._types import RESET, EmuRequest, EmuResponse

__all__ = ["EmulatorServer", "serve", "API_PREFIX"]

API_PREFIX = "/client/v4"
_FLUSH_BYTES = 64 * 1024
_BACKLOG = 2048
_log = logging.getLogger("workersai.emulator")
_INTERNAL_ERROR = EmuResponse(500, [("content-type", "text/plain")], b"Internal Server Error")


def _default_handler() -> Handler:
    from ._app import Emulator

    return Emulator()


class _Core:
    """The asyncio server: one task per connection, tracked for a clean shutdown."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._connection, host, port,
                                                  backlog=_BACKLOG)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._exchange(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.transport.abort()
        except asyncio.CancelledError:
            # Shutdown. End normally: on 3.11 asyncio logs a cancelled connection task.
            writer.transport.abort()
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader,
                        writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                parsed = await read_request(reader, writer)
            except BadRequest as exc:
                head = format_head(400, [("content-type", "text/plain")],
                                   length=len(str(exc)), close=True)
                writer.write(head + str(exc).encode("latin-1"))
                return
            if parsed is None:
                return
            request, keep_alive = parsed
            reply = self._call(request)
            if not await self._send(writer, reply, keep_alive, request.method == "HEAD"):
                return
            if not keep_alive:
                await writer.drain()
                return

    def _call(self, request: EmuRequest) -> EmuResponse:
        try:
            return self.handler.handle(request)
        except Exception:
            _log.exception("emulator handler failed on %s %s", request.method, request.path)
            return _INTERNAL_ERROR

    async def _send(self, writer: asyncio.StreamWriter, reply: EmuResponse,
                    keep_alive: bool, head_only: bool) -> bool:
        """Write one reply; False when the connection was dropped on purpose."""
        body = reply.body
        if isinstance(body, bytes):
            return await _send_bytes(writer, reply, body, keep_alive, head_only)
        if head_only:
            close_body(body)
            writer.write(format_head(reply.status, reply.headers, length=None,
                                     close=not keep_alive))
            return True
        try:
            steps = pace(body, None)
            first = await _lead(writer, steps)
            if first is None:
                return False
            second = next(steps, None)
            if second is None:  # a single piece: Content-Length framing, as the API sends
                return await _send_bytes(writer, reply, first, keep_alive, False)
            return await _stream(writer, reply, chain((first, second), steps), keep_alive)
        except Exception:
            _log.exception("emulator body failed mid-stream")
            writer.transport.abort()
            return False
        finally:
            close_body(body)


async def _send_bytes(writer: asyncio.StreamWriter, reply: EmuResponse, body: bytes,
                      keep_alive: bool, head_only: bool) -> bool:
    writer.write(format_head(reply.status, reply.headers, length=len(body),
                             close=not keep_alive))
    if body and not head_only:
        writer.write(body)
    await writer.drain()
    return True


async def _lead(writer: asyncio.StreamWriter, steps: Iterator[Step]) -> bytes | None:
    """Pauses before the first bytes happen before the status line; None: dropped."""
    for step in steps:
        if isinstance(step, bytes):
            return step
        if step is RESET:
            writer.transport.abort()
            return None
        await asyncio.sleep(step)  # type: ignore[arg-type]
    return b""


async def _stream(writer: asyncio.StreamWriter, reply: EmuResponse, steps: Iterable[Step],
                  keep_alive: bool) -> bool:
    """A chunked body, written in batches flushed at every pause and every 64 KiB."""
    parts = [format_head(reply.status, reply.headers, length=None, close=not keep_alive)]
    size = 0
    for step in steps:
        if isinstance(step, bytes):
            if step:
                parts.append(chunk_frame(step))
                size += len(step)
            if size >= _FLUSH_BYTES:
                writer.write(b"".join(parts))
                parts.clear()
                size = 0
                await writer.drain()
            continue
        if parts:
            writer.write(b"".join(parts))
            parts.clear()
            size = 0
        if step is RESET:
            writer.transport.abort()
            return False
        await writer.drain()
        await asyncio.sleep(step)  # type: ignore[arg-type]
    parts.append(LAST_CHUNK)
    writer.write(b"".join(parts))
    await writer.drain()
    return True


async def serve(handler: Handler | None = None, host: str = "127.0.0.1", port: int = 8787, *,
                ready: Callable[[int], None] | None = None) -> None:
    """Serve ``handler`` (a fresh ``Emulator`` if omitted) until cancelled.

    Args:
        handler: what answers requests.
        host: interface to bind (loopback by default).
        port: TCP port; 0 picks a free one.
        ready: called with the bound port once the server accepts connections.
    """
    core = _Core(handler if handler is not None else _default_handler())
    await core.start(host, port)
    if ready is not None:
        ready(core.port)
    try:
        await asyncio.Event().wait()
    finally:
        await core.close()


class EmulatorServer:
    """A loopback emulator server running in a background thread.

    Args:
        handler: what answers requests (a fresh ``Emulator`` if omitted).
        host: interface to bind.
        port: TCP port; 0 (default) picks a free one.

    Example:
        >>> with EmulatorServer(Emulator()) as server:
        ...     client = httpx.Client(base_url=server.base_url)
    """

    def __init__(self, handler: Handler | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.handler = handler if handler is not None else _default_handler()
        self.host = host
        self.port = port
        self._requested_port = port
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL to give a client (``http://host:port/client/v4``)."""
        return self.url + API_PREFIX

    def start(self) -> EmulatorServer:
        """Bind and start serving; returns once connections are accepted."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._thread = threading.Thread(target=self._run, name="workersai-emulator",
                                        daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error
        return self

    def stop(self) -> None:
        """Close every connection and the listening socket; wait for the thread."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # loop already gone
                loop.call_soon_threadsafe(stop.set)
        thread.join()
        self._thread = self._loop = self._stop = None
        self._ready.clear()
        self.port = self._requested_port

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "stopped"
        return f"EmulatorServer({self.url!r}, {state})"

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        core = _Core(self.handler)
        try:
            await core.start(self.host, self._requested_port)
        except BaseException as exc:  # reported to start()'s caller
            self._error = exc
            self._ready.set()
            return
        self._error = None
        self.port = core.port
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await core.close()
