"""Cloudflare Workers AI core: configuration, transport, wire converters, catalog.

Imports no framework. See ``docs/core-api.md`` for the API the front ends use. The HTTP
clients are imported on first use, so that importing the package (or a front end) stays
cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import catalog, errors, types
from ._version import __version__
from .config import Config, GatewayOptions, Limits, RequestOptions, Timeouts

__all__ = [
    "__version__",
    "catalog",
    "errors",
    "types",
    "AsyncClient",
    "Client",
    "RawReply",
    "RunResult",
    "Config",
    "GatewayOptions",
    "Limits",
    "Pacing",
    "RequestOptions",
    "Timeouts",
]

_FROM_CLIENT = frozenset({"AsyncClient", "Client", "RawReply", "RunResult"})


def __getattr__(name: str) -> Any:
    if name in _FROM_CLIENT:
        from . import client

        value = getattr(client, name)
        globals()[name] = value
        return value
    if name == "Pacing":
        from ._pacer import Pacing

        globals()[name] = Pacing
        return Pacing
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from ._pacer import Pacing
    from .client import AsyncClient, Client, RawReply, RunResult
