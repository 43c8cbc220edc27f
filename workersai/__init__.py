"""Cloudflare Workers AI core: configuration, transport, wire converters, catalog.

Imports no framework. See ``docs/core-api.md`` for the API the front ends use.
"""

from __future__ import annotations

from . import catalog, errors, types
from .client import AsyncClient, Client, RawReply, RunResult
from .config import Config, GatewayOptions, RequestOptions, Timeouts

__all__ = [
    "catalog",
    "errors",
    "types",
    "AsyncClient",
    "Client",
    "RawReply",
    "RunResult",
    "Config",
    "GatewayOptions",
    "RequestOptions",
    "Timeouts",
]
