"""The Cloudflare API envelope: ``{"result", "success", "errors", "messages"}``.

Pure reading of a decoded JSON body, shared by the transport (which turns what it reads
into typed errors). Imports nothing of the catalog, so the transport may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["error_entries", "has_result", "is_error_envelope"]


def is_error_envelope(payload: Any) -> bool:
    """Whether a decoded JSON body is an error envelope (also on HTTP 200)."""
    if not isinstance(payload, dict):
        return False
    if payload.get("success") is False:
        return True
    return bool(payload.get("errors")) and "result" not in payload


def has_result(payload: Any) -> bool:
    """Whether a decoded JSON body carries the model output under ``result``."""
    return isinstance(payload, dict) and "result" in payload


def error_entries(payload: Mapping[str, Any]) -> tuple[list[int], list[str]]:
    """Codes and message texts (as sent) of ``errors: [...]`` or an OpenAI-style
    ``error: {...}``; numeric string codes count, booleans do not."""
    raw = payload.get("errors")
    if not isinstance(raw, list):
        single = payload.get("error")
        raw = [single] if single else []
    codes: list[int] = []
    messages: list[str] = []
    for item in raw:
        if isinstance(item, Mapping):
            code = item.get("code")
            if isinstance(code, int) and not isinstance(code, bool):
                codes.append(code)
            elif isinstance(code, str) and code.isdigit():
                codes.append(int(code))
            text = item.get("message")
            if text is not None:
                messages.append(str(text))
        elif item is not None:
            messages.append(str(item))
    return codes, messages
