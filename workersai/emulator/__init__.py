"""A wire-faithful Cloudflare Workers AI emulator, in-process or on loopback.

Imports nothing from ``workersai`` except catalog data.

Example:
    >>> from workersai.emulator import Emulator, emulator_http_client, RateLimited
    >>> emu = Emulator()
    >>> emu.faults.add(RateLimited(retry_after=1), times=1)
    >>> client = emulator_http_client(emu)
"""

from __future__ import annotations

from . import faults as _faults
from ._app import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN, EMULATOR_HEADER, Emulator
from ._types import RESET, EmuRequest, EmuResponse
from .faults import *  # noqa: F403  (every fault class, listed in faults.__all__)
from .server import EmulatorServer, serve
from .transport import (
    AsyncEmulatorTransport,
    EmulatorTransport,
    emulator_async_http_client,
    emulator_http_client,
)

__all__ = [
    "Emulator",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_TOKEN",
    "EMULATOR_HEADER",
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
