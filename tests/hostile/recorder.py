"""A hostile loopback HTTP server that records every request and answers by a script.

Raw sockets on a thread (so sync and async clients both reach it): each connection reads
one request (request line, headers, ``Content-Length`` body), records it, and writes the
reply the test's ``reply`` function returns, byte for byte, then closes. It shares no code
and no beliefs with the client or the emulator: a reply is whatever the test says.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Recorded", "Recorder", "Reply", "json_reply", "recorder"]


@dataclass
class Recorded:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """Raw answer bytes: status, headers (sent as given) and body."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def encode(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} X"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        lines += [f"content-length: {len(self.body)}", "connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


def json_reply(obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    body = json.dumps(obj, ensure_ascii=False).encode()
    return Reply(status, [("content-type", "application/json"), *(headers or [])], body)


Script = Callable[[Recorded], Reply]


class Recorder:
    """The server. ``requests`` lists what arrived, in order; ``url`` is its base URL."""

    def __init__(self, reply: Script) -> None:
        self.reply = reply
        self.requests: list[Recorded] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = _read(conn)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            try:
                answer = self.reply(request)
            except Exception as exc:  # the script failed: say so on the wire
                answer = Reply(599, [], repr(exc).encode())
            conn.sendall(answer.encode())

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


def _read(conn: socket.socket) -> Recorded | None:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return None
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    size = int(headers.get("content-length", "0"))
    while len(body) < size:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return Recorded(method, path, headers, body)


@contextmanager
def recorder(reply: Script) -> Iterator[Recorder]:
    """A running :class:`Recorder` for the block."""
    server = Recorder(reply)
    try:
        yield server
    finally:
        server.close()
