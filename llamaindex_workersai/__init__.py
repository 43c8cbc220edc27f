"""LlamaIndex front end for Cloudflare Workers AI."""

from __future__ import annotations

__all__: list[str] = []
