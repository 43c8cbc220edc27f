"""A wire-faithful Cloudflare Workers AI emulator, in-process or on loopback.

Imports nothing from ``workersai`` except catalog data.
"""

from __future__ import annotations

__all__: list[str] = []
