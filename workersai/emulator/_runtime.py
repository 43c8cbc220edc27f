"""What the in-process transports and the loopback server share: the handler protocol,
pacing of a streamed body, and response header hygiene.

Pacing rules (the same for both ways to run):

* ``bytes`` items are sent in order; an empty ``b""`` only forces the status line and
  headers out (useful before a mid-body fault).
* a ``float`` pauses; pauses and :data:`RESET` that come before the first ``bytes`` item
  happen before the status line, so a leading pause is a stall with no bytes at all and a
  leading ``RESET`` drops the connection before any byte.
* ``RESET`` drops the connection; nothing after it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from ._types import RESET, BodyItem, EmuRequest, EmuResponse, Reset

__all__ = ["Handler", "TimedOut", "Step", "pace", "clean_headers", "close_body"]

# Hop-by-hop headers: the runner decides framing itself, whatever the app said.
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


class Handler(Protocol):
    """Anything that answers an :class:`EmuRequest` (the ``Emulator`` or a test double)."""

    def handle(self, request: EmuRequest) -> EmuResponse: ...


class TimedOut:
    """Step: the client's read timeout expires ``after`` seconds from now."""

    __slots__ = ("after",)

    def __init__(self, after: float) -> None:
        self.after = after

    def __repr__(self) -> str:
        return f"TimedOut({self.after!r})"


Step = bytes | float | Reset | TimedOut


def pace(items: Iterable[BodyItem], read_timeout: float | None) -> Iterator[Step]:
    """Turn body items into steps, ending with :class:`TimedOut` when the pauses since the
    last bytes add up to more than ``read_timeout`` (``None``: no timeout)."""
    waited = 0.0
    for item in items:
        if isinstance(item, bytes | bytearray | memoryview):
            waited = 0.0
            yield bytes(item)
        elif item is RESET:
            yield RESET
            return
        else:
            pause = float(item)  # type: ignore[arg-type]
            if read_timeout is not None and waited + pause > read_timeout:
                yield TimedOut(max(read_timeout - waited, 0.0))
                return
            waited += pause
            yield pause


def clean_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The app's headers without the hop-by-hop ones the runner sets itself."""
    return [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP]


def close_body(body: object) -> None:
    """Close a generator body the client stopped reading (runs its ``finally`` blocks)."""
    close = getattr(body, "close", None)
    if callable(close):
        close()
