"""What happens to a streamed response after ``[DONE]``: the caller already has everything,
so the connection goes back to the pool only if the rest of the body (normally just the
chunked terminator) is already here or arrives within :data:`DRAIN_WAIT`; otherwise it is
closed. A server that stays silent after ``[DONE]`` never holds up the final chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

__all__ = ["DRAIN_LIMIT", "DRAIN_WAIT", "adrain", "drain"]

DRAIN_WAIT = 0.05
"""Longest wait, in seconds, for the end of the body after ``[DONE]``."""
DRAIN_LIMIT = 64 * 1024
"""Bytes read past ``[DONE]`` at most (more: close the connection)."""


def _buffered(response: httpx.Response) -> bool:
    """Whether httpcore already holds the whole chunked terminator (best effort: reading
    on from a partial one could block)."""
    layer: Any = response.stream
    for _ in range(6):  # httpx bound stream -> transport stream -> pool -> connection
        conn = getattr(layer, "_connection", None)
        if conn is not None:
            state = getattr(conn, "_h11_state", None)
            data = getattr(state, "trailing_data", None)
            rest = bytes(data[0]).lstrip(b"\r\n") if data else b""
            return rest.startswith(b"0") and rest.endswith(b"\r\n\r\n")
        layer = getattr(layer, "_stream", None) or getattr(layer, "_httpcore_stream", None)
        if layer is None:
            return False
    return False


def _socket(response: httpx.Response) -> Any:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    with contextlib.suppress(Exception):
        return stream.get_extra_info("socket")
    return None


def _ready(response: httpx.Response, wait: float) -> bool:
    if _buffered(response):
        return True
    sock = _socket(response)
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], wait)
    except (OSError, ValueError, TypeError):
        return False
    return bool(readable)


def drain(response: httpx.Response, chunks: Iterator[bytes], clock: Any) -> None:
    """Read the rest of the body if it is (about to be) here; else leave it to be closed."""
    end = clock() + DRAIN_WAIT
    total = 0
    with contextlib.suppress(httpx.HTTPError, StopIteration):
        while total <= DRAIN_LIMIT and _ready(response, max(0.0, end - clock())):
            total += len(next(chunks))


async def adrain(chunks: AsyncIterator[bytes]) -> None:
    """The async twin of :func:`drain`: at most :data:`DRAIN_WAIT` seconds, then give up
    (the cancelled read makes httpcore close the connection instead of pooling it)."""
    total = 0
    with contextlib.suppress(httpx.HTTPError, TimeoutError):
        async with asyncio.timeout(DRAIN_WAIT):
            async for chunk in chunks:
                total += len(chunk)
                if total > DRAIN_LIMIT:
                    return
