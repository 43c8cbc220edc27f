"""The emulator's request/response seam, shared by the app and its two ways to run.

The app (``Emulator.handle``) turns an :class:`EmuRequest` into an :class:`EmuResponse`.
The in-process httpx transport and the loopback server only move bytes: they never look
inside a body. A streamed body is an iterable whose items are ``bytes`` to send, a
``float`` to pause that many seconds, or :data:`RESET` to drop the connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

__all__ = ["EmuRequest", "EmuResponse", "Reset", "RESET", "BodyItem"]


class Reset:
    """Marker: drop the connection here (the client sees a reset / protocol error)."""

    _instance: Reset | None = None

    def __new__(cls) -> Reset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "RESET"


RESET: Final = Reset()

BodyItem = bytes | float | Reset


@dataclass(slots=True)
class EmuRequest:
    """An HTTP request as the emulator sees it. Header names are lower-case."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)
class EmuResponse:
    """An HTTP response. ``body`` is bytes, or an iterable of :data:`BodyItem`."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Iterable[BodyItem] = b""
