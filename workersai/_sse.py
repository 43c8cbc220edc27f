"""Server-Sent Events: an incremental decoder (bytes in, ``data`` payloads out) and the
per-chunk :class:`EventReader` both transport twins share (JSON, error events, idle time).

The decoder works on bytes so a UTF-8 character split across network chunks is never decoded
half-way (a line break byte never occurs inside a multi-byte character); the payloads are
handed to the JSON parser as bytes. Handles LF, CR and CRLF line endings (also a CRLF
split across two chunks), ignores comments (``:`` lines) and every field but ``data``,
joins multi-line data with ``\\n``, and treats a bare ``[DONE]`` line like
``data: [DONE]``. It sits on the per-token hot path, so the common case (one complete
``data: ...\\n\\n`` event per chunk) takes one ``split`` and no decoding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import _json, errors
from ._errors_map import error_from_payload, format_error
from ._limits import event_too_large

__all__ = ["DONE", "EventReader", "SSEDecoder"]

loads = _json.loads

DONE = b"[DONE]"
"""The payload that ends a Workers AI stream."""

_BOM = b"\xef\xbb\xbf"


class SSEDecoder:
    """Feed raw chunks with :meth:`feed`; call :meth:`flush` once at end of stream.

    A line or an event longer than ``max_event`` bytes raises ``ResponseTooLargeError``
    as soon as it is seen, so an endless line costs at most ``max_event`` plus a chunk.
    """

    __slots__ = ("_data", "_data_len", "_max", "_pending", "_pending_len", "_skip_lf",
                 "_started")

    def __init__(self, max_event: int | None = None) -> None:
        self._pending: list[bytes] = []  # bytes of the current, unfinished line
        self._pending_len = 0
        self._data: list[bytes] = []  # data lines of the current, undispatched event
        self._data_len = 0
        self._max = max_event if max_event is not None else 1 << 62
        self._skip_lf = False  # the last chunk ended in CR: a leading LF is its partner
        self._started = False

    def feed(self, chunk: bytes) -> list[bytes]:
        """The payloads of every event completed by ``chunk`` (often none or one)."""
        if not self._started:
            if not chunk:
                return []
            self._started = True
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            self._skip_lf = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if (  # fast path: exactly one whole "data: ...\n\n" event, nothing pending
            end == len(chunk) - 1
            and chunk.find(b"\n") == end - 1
            and chunk.startswith(b"data: ")
            and not self._pending
            and not self._data
            and end <= self._max
        ):
            return [chunk[6:-2]]
        if end < 0:
            if chunk:
                self._hold(chunk)
            return []
        if self._pending:
            self._pending.append(chunk[:end])
            block = b"".join(self._pending)
            self._pending.clear()
            self._pending_len = 0
        else:
            block = chunk[:end]
        if end + 1 < len(chunk):
            self._hold(chunk[end + 1 :])
        return self._lines(block.split(b"\n"))

    def _hold(self, piece: bytes) -> None:
        """Keep part of an unfinished line (refusing one over the limit)."""
        self._pending_len += len(piece)
        if self._pending_len > self._max:
            raise event_too_large(self._max, "a stream line")
        self._pending.append(piece)

    def flush(self) -> list[bytes]:
        """End of stream: the last line and event even without their terminators."""
        lines = [b"".join(self._pending), b""]
        self._pending.clear()
        self._pending_len = 0
        return self._lines(lines)

    def _lines(self, lines: list[bytes]) -> list[bytes]:
        events: list[bytes] = []
        data = self._data
        limit = self._max
        for line in lines:
            if not line:
                if data:
                    events.append(data[0] if len(data) == 1 else b"\n".join(data))
                    data = []
                    self._data_len = 0
            elif len(line) > limit:
                raise event_too_large(limit, "a stream line")
            elif line.startswith(b"data:"):
                data.append(line[6:] if line[5:6] == b" " else line[5:])
                self._data_len += len(line)
                if self._data_len > limit:
                    raise event_too_large(limit, "a stream event")
            elif line == b"data":
                data.append(b"")
            elif line == DONE:
                if data:
                    events.append(b"\n".join(data))
                    data = []
                    self._data_len = 0
                events.append(DONE)
            # comments (":...") and other fields (event, id, retry) do not matter here
        self._data = data
        return events


class EventReader:
    """Per-chunk stream logic shared by both twins: SSE -> JSON events, errors, idle time."""

    __slots__ = (
        "_clock", "_decoder", "_error", "_headers", "_idle", "_last", "_secret", "done",
    )

    def __init__(
        self, idle: float, headers: Mapping[str, str], clock: Callable[[], float], secret: str,
        max_event: int | None = None,
    ) -> None:
        self._decoder = SSEDecoder(max_event)
        self._headers = headers
        self._idle = idle
        self._clock = clock
        self._last = clock()
        self._secret = secret
        self._error: errors.WorkersAIError | None = None  # raised after earlier events
        self.done = False

    def feed(self, chunk: bytes) -> list[Any]:
        """The events completed by ``chunk``; raises on an error event or idle timeout."""
        if self._error is not None:
            raise self._error
        payloads = self._decoder.feed(chunk)
        now = self._clock()
        if not payloads:
            if now - self._last > self._idle:
                raise errors.TimeoutError(
                    f"No stream event from Workers AI for {now - self._last:.1f}s "
                    f"(stream_idle timeout {self._idle:g}s)"
                )
            return []
        self._last = now
        return self._parse(payloads, tail=False)

    def flush(self) -> list[Any]:
        """Events left when the connection closed (an unreadable tail is truncation)."""
        if self._error is not None:
            raise self._error
        return self._parse(self._decoder.flush(), tail=True)

    def _parse(self, payloads: list[bytes], *, tail: bool) -> list[Any]:
        events: list[Any] = []
        for data in payloads:
            if not data:
                continue  # an empty data field carries nothing
            if data == DONE:
                self.done = True
                break
            try:  # _json.loads_or_invalid, inlined: once per token
                event = loads(data)
            except ValueError:
                event = _json.INVALID
            if event is _json.INVALID:
                if tail:
                    break
                raise format_error(
                    "Workers AI sent a malformed stream event", 200, data, self._secret
                )
            if type(event) is dict and (
                "errors" in event or "error" in event or "success" in event
            ):
                error = self._error_event(event)
                if error is not None:
                    if not events:
                        raise error
                    self._error = error  # hand over the events that came before it first
                    break
            events.append(event)
        return events

    def _error_event(self, event: dict[str, Any]) -> errors.APIError | None:
        if event.get("success") is False or event.get("errors") or event.get("error"):
            return error_from_payload(event, 200, self._headers, secret=self._secret)
        return None
