"""Fast JSON: ``orjson`` when it is installed, the standard library otherwise.

Both ``loads`` functions raise a ``ValueError`` subclass on malformed input, so callers
catch ``ValueError`` whichever backend is active.
"""

from __future__ import annotations

import json as _std
import math
from typing import Any

from .errors import InvalidInputError

__all__ = ["BACKEND", "INVALID", "dumps", "loads", "loads_or_invalid"]

INVALID: Any = object()
"""What :func:`loads_or_invalid` returns for a body that is not JSON."""


def loads_or_invalid(data: bytes | str) -> Any:
    """The decoded value, or :data:`INVALID`. Raising nothing means an error raised by
    the caller carries no chained decoder error (whose ``doc`` is the whole body)."""
    try:
        return loads(data)
    except ValueError:
        return INVALID

try:  # pragma: no cover - which branch runs depends on the environment
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]


def _std_dumps(obj: Any) -> bytes:
    return _std.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _std_loads(data: bytes | str) -> Any:
    return _std.loads(data)


def _any_dumps(obj: Any) -> bytes:
    if _orjson is None:  # pragma: no cover
        return _std_dumps(obj)
    try:
        return _orjson.dumps(obj)
    except TypeError:  # e.g. non-str keys or ints beyond 64 bits
        return _std_dumps(obj)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON of a request body.

    Raises:
        InvalidInputError: a value JSON cannot carry (a set, bytes, a circular reference,
            a lone surrogate, NaN or infinity, which would otherwise go out as ``null``).
    """
    try:
        data = _any_dumps(obj)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(f"the request cannot be sent as JSON: {exc}") from None
    if b"null" in data:  # orjson writes NaN and infinity as null: look only then
        where = _non_finite(obj, "body")
        if where is not None:
            raise InvalidInputError(f"{where} is not a finite number (NaN or infinity)")
    return data


def _non_finite(value: Any, where: str) -> str | None:
    """The path of the first NaN or infinity in ``value``, else None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else where
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _non_finite(item, f"{where}[{key!r}]")
        if found is not None:
            return found
    return None


if _orjson is not None:
    BACKEND = "orjson"
    loads = _orjson.loads
else:  # pragma: no cover
    BACKEND = "json"
    loads = _std_loads
