"""Size limits on what the API sends back, and the incremental body reader that keeps
memory near them (``Limits``, :class:`Inflow`).

Bodies are read raw (``Content-Encoding`` still applied) and inflated here, piece by piece,
with ``zlib``'s ``max_length``, so a gzip bomb costs at most the limit plus one piece,
never its inflated size. Sizes are counted after inflation: that is what the caller holds.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import InvalidInputError, ResponseFormatError, ResponseTooLargeError

__all__ = ["ACCEPT_ENCODING", "Inflow", "Limits", "MiB", "event_too_large"]

MiB = 1 << 20
ACCEPT_ENCODING = "gzip, deflate"
"""The encodings we ask for (and can inflate incrementally)."""
_PIECE = 64 * 1024


@dataclass(slots=True, frozen=True)
class Limits:
    """Upper bounds, in bytes after decompression, on what one call may read.

    Args:
        max_response_bytes: a whole non-streamed answer (JSON, an image, an error page).
            64 MiB: far above the largest legitimate answers (an image as base64 or
            raw bytes, 100 texts x 1024 floats of embeddings is ~2-3 MB as JSON).
        max_event_bytes: one server-sent-events line or event of a stream. 4 MiB: a
            stream event is a token or a tool-call fragment, a few hundred bytes.
    """

    max_response_bytes: int = 64 * MiB
    max_event_bytes: int = 4 * MiB

    def __post_init__(self) -> None:
        for name in ("max_response_bytes", "max_event_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInputError(f"Limits.{name} must be a positive int, got {value!r}")


def _too_large(what: str, limit: int, setting: str, status: int | None) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"Workers AI sent {what} over {limit:,} bytes (Limits.{setting}); stopped reading. "
        f"Raise Limits.{setting} if this answer is expected.",
        limit=limit, setting=setting, status_code=status,
    )


class Inflow:
    """Raw body bytes in, decoded bytes out, counting against an optional total limit."""

    __slots__ = ("_inflater", "_limit", "_parts", "_status", "total")

    def __init__(self, encoding: str, limit: int | None, status: int | None = None) -> None:
        self._inflater = _inflater(encoding.strip().lower(), status)
        self._limit = limit
        self._status = status
        self._parts: list[bytes] = []
        self.total = 0

    def feed(self, raw: bytes) -> Iterable[bytes]:
        """The decoded bytes of ``raw``, in pieces of at most 64 KiB when inflating."""
        if self._inflater is None:
            self._count(len(raw))
            return (raw,)
        return self._inflate(raw)

    def add(self, raw: bytes) -> None:
        """Keep the decoded bytes of ``raw`` (a whole answer, see :meth:`content`)."""
        self._parts.extend(self.feed(raw))

    def content(self) -> bytes:
        """Everything kept by :meth:`add` (with what the inflater still held)."""
        if self._inflater is not None:
            tail = self._inflater.flush()
            self._count(len(tail))
            self._parts.append(tail)
        return b"".join(self._parts)

    def _inflate(self, raw: bytes) -> Iterator[bytes]:
        inflater = self._inflater
        assert inflater is not None
        data = raw
        while data:
            try:
                piece = inflater.decompress(data, _PIECE)
            except zlib.error as exc:
                raise ResponseFormatError(
                    f"Could not inflate the Workers AI answer: {exc}", status_code=self._status
                ) from None
            self._count(len(piece))
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            if inflater.eof:
                return

    def _count(self, n: int) -> None:
        self.total += n
        if self._limit is not None and self.total > self._limit:
            raise _too_large("an answer", self._limit, "max_response_bytes", self._status)


def _inflater(encoding: str, status: int | None) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib header (auto-detected)
    raise ResponseFormatError(
        f"Workers AI answered with an unsupported content-encoding {encoding!r}",
        status_code=status,
    )


def event_too_large(limit: int, what: str) -> ResponseTooLargeError:
    """The error for an SSE line or event over ``Limits.max_event_bytes``."""
    return _too_large(what, limit, "max_event_bytes", 200)
