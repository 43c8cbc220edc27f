"""Fault injection for the emulator (SEAM; the emulator-runtime work fills it in).

``Emulator.handle`` asks ``self.faults.next_fault(request)`` before routing. A returned
:class:`Fault` decides the response, calling ``produce()`` when it needs the normal one
(for example to cut a stream after N events).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ._types import EmuRequest, EmuResponse

__all__ = ["Fault", "FaultSchedule"]


class Fault(Protocol):
    def apply(self, request: EmuRequest, produce: Callable[[], EmuResponse]) -> EmuResponse: ...


class FaultSchedule:
    """Which requests get which fault. Empty: every request is served normally."""

    def next_fault(self, request: EmuRequest) -> Fault | None:
        return None
