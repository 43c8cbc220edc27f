"""AI Gateway behaviour: the identical-request cache and the ``cf-aig-*`` reply headers
(reference 9).

A request carrying ``cf-aig-gateway-id`` goes through the gateway. Its cache key is the
gateway id, method, path, query, body and ``cf-aig-cache-key``. A successful (HTTP 200)
reply is stored, streamed ones once fully sent. An identical later request gets the stored
reply with ``cf-aig-cache-status: HIT``; ``cf-aig-skip-cache: true`` bypasses the cache
(``MISS``, nothing stored); ``cf-aig-cache-ttl: <seconds>`` sets how long the entry lives
(``0``: not stored; default: until cleared). Every gateway reply carries a fresh
``cf-aig-log-id`` (also as ``cf-aig-request-id``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ._types import BodyItem, EmuRequest, EmuResponse

__all__ = ["GatewayCache", "GATEWAY_HEADER"]

GATEWAY_HEADER = "cf-aig-gateway-id"
_Key = tuple[str, str, str, tuple[tuple[str, str], ...], bytes, str]


@dataclass(slots=True)
class _Entry:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    expires: float | None


def _ttl(request: EmuRequest) -> float | None:
    raw = request.headers.get("cf-aig-cache-ttl")
    try:
        return None if raw is None else max(float(raw), 0.0)
    except ValueError:
        return None


class GatewayCache:
    """Stored replies per cache key (thread-safe)."""

    def __init__(self) -> None:
        self._entries: dict[_Key, _Entry] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every stored reply."""
        with self._lock:
            self._entries.clear()

    def _get(self, key: _Key) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            expired = entry is not None and entry.expires is not None and (
                entry.expires <= time.monotonic())
            if expired:
                del self._entries[key]
                return None
            return entry

    def _put(self, key: _Key, entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry

    def serve(self, request: EmuRequest, produce: Callable[[], EmuResponse],
              log_id: str) -> EmuResponse:
        """The gateway's reply to ``request``: cached, or produced (and maybe stored)."""
        gateway = request.headers.get(GATEWAY_HEADER, "")
        key: _Key = (gateway, request.method, request.path, tuple(sorted(request.query.items())),
                     request.body, request.headers.get("cf-aig-cache-key", ""))
        skip = request.headers.get("cf-aig-skip-cache", "").strip().lower() == "true"
        extra = [("cf-aig-log-id", log_id), ("cf-aig-request-id", log_id)]
        entry = None if skip else self._get(key)
        if entry is not None:
            headers = [*entry.headers, ("cf-aig-cache-status", "HIT"), *extra]
            return EmuResponse(entry.status, headers, entry.body)
        reply = produce()
        ttl = _ttl(request)
        headers = [*reply.headers, ("cf-aig-cache-status", "MISS"), *extra]
        if skip or reply.status != 200 or ttl == 0:
            return EmuResponse(reply.status, headers, reply.body)
        expires = None if ttl is None else time.monotonic() + ttl
        if isinstance(reply.body, bytes):
            self._put(key, _Entry(reply.status, reply.headers, reply.body, expires))
            return EmuResponse(reply.status, headers, reply.body)
        body = self._recording(key, reply, expires)
        return EmuResponse(reply.status, headers, body)

    def _recording(self, key: _Key, reply: EmuResponse, expires: float | None
                   ) -> Iterator[BodyItem]:
        """Pass a streamed body through, storing it once it has been sent in full."""
        parts: list[bytes] = []
        source = reply.body
        assert isinstance(source, Iterable)
        for item in source:
            if isinstance(item, bytes):
                parts.append(item)
            yield item
        self._put(key, _Entry(reply.status, reply.headers, b"".join(parts), expires))
