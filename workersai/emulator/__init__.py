"""A wire-faithful Cloudflare Workers AI emulator, in-process or on loopback.

Imports nothing from ``workersai`` except catalog data.

Example:
    >>> from workersai.emulator import Emulator, emulator_http_client, RateLimited
    >>> emu = Emulator()
    >>> emu.faults.add(RateLimited(retry_after=1), times=1)
    >>> client = emulator_http_client(emu)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import faults as _faults
from ._types import RESET, EmuRequest, EmuResponse
from .faults import *  # noqa: F403  (every fault class, listed in faults.__all__)
from .server import EmulatorServer, serve
from .transport import (
    AsyncEmulatorTransport,
    EmulatorTransport,
    emulator_async_http_client,
    emulator_http_client,
)

if TYPE_CHECKING:
    from ._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, Emulator

__all__ = [
    "Emulator",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_TOKEN",
    "EmuRequest",
    "EmuResponse",
    "RESET",
    "EmulatorTransport",
    "AsyncEmulatorTransport",
    "emulator_http_client",
    "emulator_async_http_client",
    "EmulatorServer",
    "serve",
    *_faults.__all__,
]

_FROM_APP = frozenset({"Emulator", "DEFAULT_ACCOUNT_ID", "DEFAULT_TOKEN"})


def __getattr__(name: str) -> Any:
    # The app module is imported on first use, so the runtime pieces load without it.
    if name in _FROM_APP:
        from . import _app

        return getattr(_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
