"""Input checks and byte helpers shared by the task modules.

Every check raises :class:`~workersai.errors.InvalidInputError` before any request, with
a message naming the model and the field.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

from ..errors import InvalidInputError, ResponseFormatError
from ._call import TaskRequest

__all__ = [
    "short",
    "require_text",
    "require_bytes",
    "check_range",
    "reject_unsupported",
    "sniff_image",
    "sniff_audio",
    "uint8_list",
    "b64encode",
    "b64decode",
    "put",
    "expect_dict",
    "expect_list",
    "image_request",
    "text_field",
]


def short(model: str) -> str:
    """The last path part of a model id, for messages (``flux-1-schnell``)."""
    return model.rsplit("/", 1)[-1]


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


_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


def sniff_image(data: bytes) -> str | None:
    """The image media type from the leading bytes, or ``None``."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, media in _IMAGE_MAGIC:
        if data.startswith(magic):
            return media
    return None


def sniff_audio(data: bytes) -> str | None:
    """The audio media type from the leading bytes, or ``None``."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0
                                   and data[1] & 0x06 != 0):
        return "audio/mpeg"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data.startswith(b"fLaC"):
        return "audio/flac"
    if data.startswith(b"\x1aE\xdf\xa3"):
        return "audio/webm"
    if data[4:8] == b"ftyp":
        return "audio/mp4"
    return None


def uint8_list(data: bytes) -> list[int]:
    """Bytes as the JSON array of 0..255 integers some models take."""
    return list(data)


def b64encode(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def b64decode(model: str, text: Any, what: str) -> bytes:
    """Decode a base64 field of a reply; a bad value is a :class:`ResponseFormatError`."""
    if not isinstance(text, str) or not text:
        raise ResponseFormatError(f"{short(model)}: reply has no {what}")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ResponseFormatError(f"{short(model)}: {what} is not valid base64") from exc


def put(body: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only when ``value`` is not ``None`` ("not sent" otherwise)."""
    if value is not None:
        body[key] = value


def expect_dict(model: str, value: Any) -> dict[str, Any]:
    """The reply's output object; anything else is a :class:`ResponseFormatError`."""
    if not isinstance(value, dict):
        raise ResponseFormatError(
            f"{short(model)}: expected a JSON object in the reply, got {type(value).__name__}"
        )
    return value


def text_field(model: str, result: Any, key: str) -> str:
    """The string ``key`` of a JSON output object, stripped."""
    value = expect_dict(model, result).get(key)
    if not isinstance(value, str):
        raise ResponseFormatError(f"{short(model)}: the reply holds no {key}")
    return value.strip()


def expect_list(model: str, value: Any) -> list[Any]:
    """The reply's output array; anything else is a :class:`ResponseFormatError`."""
    if not isinstance(value, list):
        raise ResponseFormatError(
            f"{short(model)}: expected a JSON array in the reply, got {type(value).__name__}"
        )
    return value


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
    chosen = encodings[0] if encoding == "auto" else encoding
    if chosen not in encodings:
        raise InvalidInputError(
            f"{short(model)} cannot take the image as {chosen}; it takes {' or '.join(encodings)}"
        )
    if chosen == "raw":
        if fields:
            raise InvalidInputError(
                f"{short(model)}: options ({', '.join(sorted(fields))}) cannot travel with a "
                "raw image body; use encoding='array'"
            )
        media = sniff_image(data) or "application/octet-stream"
        return TaskRequest(model=model, data=data, content_type=media)
    value: Any = uint8_list(data) if chosen == "array" else b64encode(data)
    return TaskRequest(model=model, inputs={"image": value, **(fields or {})})
