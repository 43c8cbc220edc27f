"""The one request and reply shape of every task, and the pieces their bodies share.

:class:`TaskRequest` is a call to ``/ai/run/{model}`` (a JSON object or a raw body);
:class:`TaskReply` is what came back (the envelope ``result`` or raw bytes). The helpers
encode bytes the ways models take them, read the JSON a reply holds (a malformed reply is
a :class:`~workersai.errors.ResponseFormatError` naming the model), and read the fields a
model's published input schema offers.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ... import _json
from ...catalog import schemas
from ...catalog.facts import input_facts
from ...errors import ResponseFormatError
from ...types import ResponseMeta

__all__ = [
    "JSON_TYPE",
    "TaskRequest",
    "TaskReply",
    "read_raw",
    "short",
    "sniff_image",
    "sniff_audio",
    "uint8_list",
    "b64encode",
    "b64decode",
    "put",
    "number",
    "expect_dict",
    "expect_list",
    "text_field",
    "image_input",
    "forms",
    "properties",
    "takes",
    "property_of",
]

JSON_TYPE = "application/json"


@dataclass(slots=True, frozen=True)
class TaskRequest:
    """One call to ``/ai/run/{model}``: a JSON ``inputs`` object or a raw ``data`` body.

    ``binary_reply`` says the model may answer with raw bytes instead of a JSON envelope,
    so the call goes through ``run_raw`` even when the body is JSON.
    ``query`` holds query parameters (Deepgram options on a raw audio body).
    """

    model: str
    inputs: dict[str, Any] | None = None
    data: bytes | None = None
    content_type: str = JSON_TYPE
    binary_reply: bool = False
    query: dict[str, str] | None = None

    @property
    def needs_raw(self) -> bool:
        """Whether ``run`` (JSON in, JSON out) cannot carry this call."""
        return self.data is not None or self.binary_reply or bool(self.query)

    def body(self) -> bytes:
        """The request body as bytes."""
        if self.data is not None:
            return self.data
        return _json.dumps(self.inputs or {})


@dataclass(slots=True)
class TaskReply:
    """A model's answer: the envelope ``result`` (JSON) or the raw ``data`` (binary)."""

    result: Any = None
    data: bytes | None = None
    content_type: str = JSON_TYPE
    meta: ResponseMeta | None = None

    @property
    def response_meta(self) -> ResponseMeta:
        """The meta, or an empty one when the client reported none."""
        return self.meta if self.meta is not None else ResponseMeta()


def read_raw(content_type: str | None, content: bytes, result: Any,
             meta: ResponseMeta | None) -> TaskReply:
    """A ``run_raw`` answer as a :class:`TaskReply`: a JSON reply keeps the envelope's
    ``result``, any other media type keeps the body bytes."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == JSON_TYPE:
        return TaskReply(result=result, content_type=ctype, meta=meta)
    return TaskReply(data=bytes(content), content_type=ctype, meta=meta)


def short(model: str) -> str:
    """The last path part of a model id, for messages (``flux-1-schnell``)."""
    return model.rsplit("/", 1)[-1]


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


def number(value: Any) -> float | None:
    """A JSON number as a float; anything else (booleans too) is ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def expect_dict(model: str, value: Any) -> dict[str, Any]:
    """The reply's output object; anything else is a :class:`ResponseFormatError`."""
    if not isinstance(value, dict):
        raise ResponseFormatError(
            f"{short(model)}: expected a JSON object in the reply, got {type(value).__name__}"
        )
    return value


def expect_list(model: str, value: Any) -> list[Any]:
    """The reply's output array; anything else is a :class:`ResponseFormatError`."""
    if not isinstance(value, list):
        raise ResponseFormatError(
            f"{short(model)}: expected a JSON array in the reply, got {type(value).__name__}"
        )
    return value


def text_field(model: str, result: Any, key: str) -> str:
    """The string ``key`` of a JSON output object, stripped."""
    value = expect_dict(model, result).get(key)
    if not isinstance(value, str):
        raise ResponseFormatError(f"{short(model)}: the reply holds no {key}")
    return value.strip()


def image_input(model: str, data: bytes, encoding: str,
                fields: dict[str, Any] | None = None) -> TaskRequest:
    """A request carrying one image: the raw body (``encoding="raw"``, no other fields), or
    a JSON body with the image under ``image`` as a uint8 array or base64 text."""
    if encoding == "raw":
        media = sniff_image(data) or "application/octet-stream"
        return TaskRequest(model=model, data=data, content_type=media)
    value: Any = uint8_list(data) if encoding == "array" else b64encode(data)
    return TaskRequest(model=model, inputs={"image": value, **(fields or {})})


# --- what a model's published input schema offers ------------------------------------------


def forms(schema: Any) -> Iterator[dict[str, Any]]:
    """The synchronous input forms: ``schema`` and its ``oneOf``/``anyOf`` alternatives
    (recursively), without the async-batch ``requests`` form."""
    if not isinstance(schema, dict):
        return
    props = schema.get("properties")
    if isinstance(props, dict) and set(props) != {"requests"}:
        yield schema
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            yield from forms(branch)


@lru_cache(maxsize=256)
def properties(model: str) -> dict[str, Any]:
    """Every top-level field of ``model``'s input forms (the first form naming it wins)."""
    merged: dict[str, Any] = {}
    for form in forms(schemas.input_schema(model)):
        for name, prop in form["properties"].items():
            merged.setdefault(name, prop)
    return merged


def takes(model: str, name: str) -> bool:
    """Whether ``model``'s published schema has the field (``True`` for unknown ids)."""
    facts = input_facts(model)
    return facts is None or name in facts.fields


def property_of(model: str, name: str) -> dict[str, Any] | None:
    """The published schema of one top-level field, or ``None``."""
    prop = properties(model).get(name)
    return prop if isinstance(prop, dict) else None
