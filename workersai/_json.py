"""Fast JSON: ``orjson`` when it is installed, the standard library otherwise.

Both ``loads`` functions raise a ``ValueError`` subclass on malformed input, so callers
catch ``ValueError`` whichever backend is active.
"""

from __future__ import annotations

import json as _std
from typing import Any

__all__ = ["BACKEND", "dumps", "loads"]

try:  # pragma: no cover - which branch runs depends on the environment
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]


def _std_dumps(obj: Any) -> bytes:
    return _std.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _std_loads(data: bytes | str) -> Any:
    return _std.loads(data)


if _orjson is not None:
    BACKEND = "orjson"
    loads = _orjson.loads

    def dumps(obj: Any) -> bytes:
        """Compact UTF-8 JSON; falls back to ``json`` for values orjson refuses."""
        try:
            return _orjson.dumps(obj)
        except TypeError:  # e.g. non-str keys or ints beyond 64 bits
            return _std_dumps(obj)

else:  # pragma: no cover
    BACKEND = "json"
    loads = _std_loads
    dumps = _std_dumps
