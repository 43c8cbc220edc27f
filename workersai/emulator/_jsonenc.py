"""Fast JSON for the emulator (``orjson`` when installed, else the standard library).

The emulator's own copy: it shares no code with the client.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

__all__ = ["dumps", "loads", "jstr"]

try:  # pragma: no cover - depends on the environment
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]


def _std_dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


if _orjson is not None:

    def dumps(obj: Any) -> bytes:
        """Compact UTF-8 JSON."""
        try:
            return _orjson.dumps(obj)
        except TypeError:  # e.g. integers wider than 64 bits
            return _std_dumps(obj)

else:  # pragma: no cover
    dumps = _std_dumps


def loads(data: bytes | str) -> Any:
    """Parse JSON; raises ``ValueError`` on malformed input."""
    return json.loads(data)


def jstr(text: str) -> bytes:
    """``text`` as a JSON string literal, UTF-8 (fast path for per-token SSE events)."""
    return encode_basestring(text).encode()
