"""Real timeouts over loopback sockets: a silent server, a server that stalls mid-stream
and one that trickles keep-alive comments forever all end in ``TimeoutError``."""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from workersai import errors
from workersai._backend import StreamInfo, Target
from workersai._http import AsyncHTTP, SyncHTTP
from workersai.config import Timeouts

from .test_http_fakes import MODEL, TWINS, config

Behaviour = Callable[[socket.socket, threading.Event], None]

SSE_HEAD = (b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n")


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def silent(conn: socket.socket, stop: threading.Event) -> None:
    stop.wait(5)


def stalls_after_one_event(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(SSE_HEAD + chunk(b'data: {"response": "a"}\n\n'))
    stop.wait(5)


def trickles_comments(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(SSE_HEAD + chunk(b'data: {"response": "a"}\n\n'))
    while not stop.wait(0.03):
        try:
            conn.sendall(chunk(b": keep-alive\n\n"))
        except OSError:
            return


@pytest.fixture
def serve() -> Iterator[Callable[[Behaviour], str]]:
    stop = threading.Event()
    servers: list[socketserver.ThreadingTCPServer] = []

    def start(behaviour: Behaviour) -> str:
        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.recv(65536)
                behaviour(self.request, stop)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/client/v4"

    yield start
    stop.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def run(kind: str, base_url: str, stream: bool, timeouts: Timeouts) -> list[object]:
    cfg = config(base_url=base_url, timeout=timeouts, max_retries=0)
    events: list[object] = []
    if kind == "sync":
        http = SyncHTTP(cfg)
        try:
            if stream:
                events.extend(http.stream(Target(MODEL), {"stream": True}, None, StreamInfo()))
            else:
                http.send(Target(MODEL), {}, None)
        finally:
            http.close()
        return events

    async def main() -> None:
        http = AsyncHTTP(cfg)
        try:
            if stream:
                async for event in http.stream(Target(MODEL), {}, None, StreamInfo()):
                    events.append(event)
            else:
                await http.send(Target(MODEL), {}, None)
        finally:
            await http.aclose()

    asyncio.run(main())
    return events


@TWINS
def test_silent_server_read_timeout(kind: str, serve: Callable[[Behaviour], str]) -> None:
    url = serve(silent)
    start = time.monotonic()
    with pytest.raises(errors.TimeoutError):
        run(kind, url, False, Timeouts(connect=1.0, read=0.2))
    assert time.monotonic() - start < 2.0


@TWINS
def test_stream_stalled_mid_way(kind: str, serve: Callable[[Behaviour], str]) -> None:
    url = serve(stalls_after_one_event)
    start = time.monotonic()
    with pytest.raises(errors.TimeoutError):
        run(kind, url, True, Timeouts(connect=1.0, read=30.0, stream_idle=0.2))
    assert time.monotonic() - start < 2.0


@TWINS
def test_keep_alive_trickle_cannot_hold_a_stream_open(
    kind: str, serve: Callable[[Behaviour], str]
) -> None:
    url = serve(trickles_comments)
    start = time.monotonic()
    with pytest.raises(errors.TimeoutError, match="stream_idle"):
        run(kind, url, True, Timeouts(connect=1.0, read=30.0, stream_idle=0.3))
    assert time.monotonic() - start < 2.0
