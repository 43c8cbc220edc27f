"""Input checks shared by the task modules.

Every check raises :class:`~workersai.errors.InvalidInputError` before any request, with
a message naming the model and the field. The bodies and replies themselves are built and
read in :mod:`workersai.wire.tasks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import InvalidInputError
from ..wire.tasks._base import TaskRequest, image_input, short

__all__ = [
    "short",
    "require_text",
    "require_bytes",
    "check_range",
    "reject_unsupported",
    "check_encoding",
    "image_request",
]


def require_text(model: str, name: str, value: Any, max_len: int | None = None) -> str:
    """A non-blank string of at most ``max_len`` characters."""
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{short(model)}: {name} must be a string, got {type(value).__name__}"
        )
    if not value.strip():
        raise InvalidInputError(f"{short(model)}: {name} must not be empty")
    if max_len is not None and len(value) > max_len:
        raise InvalidInputError(
            f"{short(model)}: {name} is {len(value)} characters; the model takes at most "
            f"{max_len}"
        )
    return value


def require_bytes(model: str, name: str, value: Any) -> bytes:
    """Non-empty bytes (``bytes``, ``bytearray`` or ``memoryview``)."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidInputError(
            f"{short(model)}: {name} must be bytes, got {type(value).__name__}"
        )
    data = bytes(value)
    if not data:
        raise InvalidInputError(f"{short(model)}: {name} is empty")
    return data


def check_range(
    model: str, name: str, value: float | None, low: float | None, high: float | None,
    *, integer: bool = False,
) -> None:
    """``low <= value <= high`` (either bound optional); ``None`` passes."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        integer and not isinstance(value, int)
    ):
        kind = "an integer" if integer else "a number"
        raise InvalidInputError(f"{short(model)}: {name} must be {kind}, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "" if low is None else f"{low:g}"
        hi = "" if high is None else f"{high:g}"
        raise InvalidInputError(
            f"{short(model)}: {name}={value!r} is outside the allowed range [{lo}, {hi}]"
        )


def reject_unsupported(model: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Name every option the model does not take (its schema forbids them)."""
    bad = sorted(set(given) - set(allowed))
    if bad:
        takes = ", ".join(sorted(allowed)) or "no options"
        raise InvalidInputError(
            f"{short(model)} does not take {', '.join(bad)} (it takes {takes})"
        )


def check_encoding(model: str, what: str, encoding: str, encodings: tuple[str, ...]) -> str:
    """The encoding to use (``auto``: the model's first); one the model lacks is refused."""
    chosen = encodings[0] if encoding == "auto" else encoding
    if chosen not in encodings:
        raise InvalidInputError(
            f"{short(model)} cannot take {what} as {chosen}; it takes {' or '.join(encodings)}"
        )
    return chosen


def image_request(
    model: str,
    image: Any,
    encoding: str,
    encodings: tuple[str, ...],
    fields: dict[str, Any] | None = None,
) -> TaskRequest:
    """A request carrying one image: raw body, uint8 array or base64 under ``image``.

    ``encodings`` lists what the model takes (first = default for ``auto``); other
    ``fields`` travel in the JSON body, so they rule out a raw body.
    """
    data = require_bytes(model, "image", image)
    chosen = check_encoding(model, "the image", encoding, encodings)
    if chosen == "raw" and fields:
        raise InvalidInputError(
            f"{short(model)}: options ({', '.join(sorted(fields))}) cannot travel with a "
            "raw image body; use encoding='array'"
        )
    return image_input(model, data, chosen, fields)
