"""Minimal HTTP/1.1 for the loopback server: read a request, format a response head.

Supports what clients send to the API: Content-Length and chunked request bodies,
keep-alive (the HTTP/1.1 default), ``Connection: close`` and HTTP/1.0.
"""

from __future__ import annotations

import asyncio
import http
from urllib.parse import parse_qsl, unquote, urlsplit

from ._runtime import clean_headers
from ._types import EmuRequest

__all__ = ["BadRequest", "read_request", "format_head", "chunk_frame", "LAST_CHUNK"]

LAST_CHUNK = b"0\r\n\r\n"
_MAX_BODY = 1 << 30
_REASONS = {s.value: s.phrase for s in http.HTTPStatus}


class BadRequest(Exception):
    """The peer sent something that is not an HTTP/1.1 request we can read."""


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    lines = head.decode("latin-1").lstrip("\r\n").split("\r\n")
    try:
        method, target, version = lines[0].split(" ")
    except ValueError:
        raise BadRequest(f"bad request line {lines[0][:80]!r}") from None
    if not version.startswith("HTTP/1."):
        raise BadRequest(f"unsupported version {version[:20]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest("bad header line")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return method, target, version, headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest("bad chunk size") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(parts)
        total += size
        if total > _MAX_BODY:
            raise BadRequest("body too large")
        parts.append((await reader.readexactly(size + 2))[:-2])


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    length = headers.get("content-length")
    if not length:
        return b""
    try:
        size = int(length)
    except ValueError:
        raise BadRequest("bad content-length") from None
    if not 0 <= size <= _MAX_BODY:
        raise BadRequest("bad content-length")
    return await reader.readexactly(size) if size else b""


def _keep_alive(version: str, headers: dict[str, str]) -> bool:
    connection = headers.get("connection", "").lower()
    if version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


async def read_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                       ) -> tuple[EmuRequest, bool] | None:
    """The next request on a connection and whether to keep it alive; None at clean EOF.

    Answers ``Expect: 100-continue`` (curl sends it for bodies over 1 KiB)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise BadRequest("connection closed mid-request") from None
        return None
    except asyncio.LimitOverrunError:
        raise BadRequest("request head too large") from None
    method, target, version, headers = _parse_head(head)
    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    body = await _read_body(reader, headers)
    if not target.startswith("/"):  # absolute-form: http://host/path
        target = urlsplit(target)._replace(scheme="", netloc="").geturl() or "/"
    path, _, query = target.partition("?")
    request = EmuRequest(method=method.upper(), path=unquote(path),
                         query=dict(parse_qsl(query, keep_blank_values=True)),
                         headers=headers, body=body)
    return request, _keep_alive(version, headers)


def format_head(status: int, headers: list[tuple[str, str]], *, length: int | None,
                close: bool) -> bytes:
    """Status line and headers; ``length`` None means chunked transfer-encoding."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}"]
    lines.extend(f"{k}: {v}" for k, v in clean_headers(headers))
    lines.append("transfer-encoding: chunked" if length is None else f"content-length: {length}")
    if close:
        lines.append("connection: close")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1")


def chunk_frame(data: bytes) -> bytes:
    """One chunk of a chunked body (``data`` must not be empty)."""
    return b"%x\r\n%b\r\n" % (len(data), data)
