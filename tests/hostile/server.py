"""A hostile HTTP/1.1 server on loopback, for tests of the transport against misbehaviour.

It shares nothing with the client or the emulator: a handler gets the parsed request and a
:class:`Conn` that writes whatever bytes it likes, when it likes (drip, stall, endless
lines, gzip bombs, huge bodies, silence after ``[DONE]``, resets). The server runs its own
event loop in a background thread, so sync and async clients alike can talk to it.

Example::

    async def handler(req: Request, conn: Conn) -> None:
        await conn.head(200, {"content-type": "text/event-stream"}, chunked=True)
        await conn.drip(b"data: x", interval=0.01)

    with HostileServer(handler) as server:
        url = server.url          # http://127.0.0.1:PORT
        ...
        server.requests           # every request seen (path, headers, body)

After a handler returns, the connection is kept open for the next request unless the
handler closed it (keep-alive), like a real server.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Conn",
    "Handler",
    "HostileServer",
    "Request",
    "gzip_bomb",
    "json_ok",
    "sse_stream",
]


@dataclass
class Request:
    """One request as received (header names lower-case)."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Handler = Callable[[Request, "Conn"], Awaitable[None]]


@dataclass
class Conn:
    """One client connection: raw writes plus helpers for the usual misbehaviours."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    stop: asyncio.Event
    closed: bool = False
    chunked: bool = field(default=False)

    async def send(self, data: bytes) -> None:
        """Write raw bytes (no framing) and flush them."""
        self.writer.write(data)
        await self.writer.drain()

    async def head(self, status: int, headers: dict[str, str] | None = None, *,
                   chunked: bool = False, length: int | None = None) -> None:
        """Status line and headers; ``chunked`` frames later :meth:`body` writes."""
        lines = [f"HTTP/1.1 {status} X"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if chunked:
            lines.append("transfer-encoding: chunked")
        elif length is not None:
            lines.append(f"content-length: {length}")
        self.chunked = chunked
        await self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def body(self, data: bytes) -> None:
        """Body bytes, as one chunk when the response is chunked."""
        if not data:
            return
        if self.chunked:
            data = b"%x\r\n%s\r\n" % (len(data), data)
        await self.send(data)

    async def end(self) -> None:
        """The chunked terminator (nothing for a fixed-length body)."""
        if self.chunked:
            await self.send(b"0\r\n\r\n")

    async def reply(self, status: int, body: bytes,
                    headers: dict[str, str] | None = None) -> None:
        """A complete fixed-length response."""
        await self.head(status, headers, length=len(body))
        await self.send(body)

    async def drip(self, data: bytes, interval: float, size: int = 1) -> None:
        """``data`` a few bytes at a time, ``interval`` seconds apart."""
        for i in range(0, len(data), size):
            await self.body(data[i : i + size])
            if await self.stall(interval):
                return

    async def stall(self, seconds: float) -> bool:
        """Send nothing for ``seconds`` (or until the server stops); True if stopped."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), seconds)
        return self.stop.is_set()

    async def forever(self, piece: bytes, limit: int = 1 << 34) -> int:
        """Send ``piece`` again and again until the client hangs up (or ``limit`` bytes)."""
        sent = 0
        try:
            while sent < limit and not self.stop.is_set():
                await self.body(piece)
                sent += len(piece)
        except (ConnectionError, OSError):
            pass
        return sent

    def close(self) -> None:
        """Hang up (the next request on this connection never comes)."""
        self.closed = True
        self.writer.close()


def json_ok(payload: bytes) -> dict[str, str]:
    """Headers of a JSON 200."""
    return {"content-type": "application/json", "content-length": str(len(payload))}


def sse_stream(*events: bytes) -> bytes:
    """``data: <event>\\n\\n`` for each event."""
    return b"".join(b"data: " + e + b"\n\n" for e in events)


@functools.lru_cache(maxsize=4)
def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of ``inflated`` zero bytes (about 1 KB per MB inflated)."""
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    piece = 1 << 20
    zeros = bytes(piece)
    out = [comp.compress(zeros) for _ in range(inflated // piece)]
    out.append(comp.compress(bytes(inflated % piece)))
    out.append(comp.flush())
    return b"".join(out)


class HostileServer:
    """Runs ``handler`` for each request on ``127.0.0.1`` in a background thread."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.connections = 0  # accepted so far
        self.open = 0  # open right now
        self.max_open = 0  # most open at once
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._stop: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _start(self) -> None:
        self._stop = asyncio.Event()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=4096)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        assert self._stop is not None and self._server is not None
        self._stop.set()
        self._server.close()
        await asyncio.sleep(0)
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._stop is not None
        self.connections += 1
        self.open += 1
        self.max_open = max(self.max_open, self.open)
        conn = Conn(reader, writer, self._stop)
        try:
            async for request in _requests(reader):
                self.requests.append(request)
                conn.chunked = False
                await self.handler(request, conn)
                if conn.closed:
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self.open -= 1
            with contextlib.suppress(Exception):
                writer.close()


async def _requests(reader: asyncio.StreamReader) -> AsyncIterator[Request]:
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, Any] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        yield Request(method, target, headers, body)


class ProcessServer:
    """:class:`HostileServer` in a forked child process, for load tests: the server then
    never competes with the client for the interpreter lock. Only counters cross back:
    ``request_count`` and ``max_open``."""

    def __init__(self, handler: Handler) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._ctx = ctx
        self.handler = handler
        self._requests = ctx.Value("i", 0)
        self._max_open = ctx.Value("i", 0)
        self._port = ctx.Value("i", 0)
        self._stop = ctx.Event()
        self._proc = ctx.Process(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port.value}"

    @property
    def request_count(self) -> int:
        return int(self._requests.value)

    @property
    def max_open(self) -> int:
        return int(self._max_open.value)

    def _run(self) -> None:
        async def counted(request: Request, conn: Conn) -> None:
            self._requests.value += 1
            self._max_open.value = server.max_open
            await self.handler(request, conn)

        with HostileServer(counted) as server:
            self._port.value = server.port
            self._stop.wait()

    def __enter__(self) -> ProcessServer:
        import time

        self._proc.start()
        deadline = time.monotonic() + 10
        while not self._port.value and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._proc.join(5)
        if self._proc.is_alive():
            self._proc.kill()
