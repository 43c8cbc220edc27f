"""Image to text: llava-1.5 ``{"image", "prompt", ...}`` -> ``{"description"}``, and
moondream ``{"task": "query", "image": data URI, "question", "stream": false}`` ->
``{"answer"}``.

The form is read from the model's published schema: a model whose ``image`` is a string
field and that asks a ``question`` (moondream) gets the image as a base64 ``data:`` URI
and a non-streaming query; others get the image as a uint8 array (default) or a base64
string. Sampling options the model's schema lacks are refused before sending.
"""

from __future__ import annotations

from typing import Any

from .._task_types import DescribeParams, ImageDescription
from ..config import RequestOptions
from ..errors import InvalidInputError
from ..wire.tasks import TaskRequest
from ..wire.tasks._base import put
from ..wire.tasks.images import asks_questions, parse_description, query_request
from ._call import Planned, twins
from ._check import check_range, image_request, require_bytes, require_text, short
from ._conform import check_body, check_request

__all__ = [
    "DEFAULT_DESCRIBE_PROMPT",
    "build_describe_request",
    "parse_description",
    "describe_image",
    "adescribe_image",
]

DEFAULT_DESCRIBE_PROMPT = "Describe this image."

# (name, low, high, integer) from the classic sampling schema (reference section 2.2)
_RANGES: tuple[tuple[str, float | None, float | None, bool], ...] = (
    ("max_tokens", 1, None, True),
    ("temperature", 0, 5, False),
    ("top_p", 0, 2, False),
    ("top_k", 1, 50, True),
    ("seed", 1, 9_999_999_999, True),
    ("repetition_penalty", 0, 2, False),
    ("frequency_penalty", -2, 2, False),
    ("presence_penalty", -2, 2, False),
)


def build_describe_request(
    model: str,
    image: bytes,
    prompt: str = DEFAULT_DESCRIBE_PROMPT,
    params: DescribeParams | None = None,
) -> TaskRequest:
    """The request asking ``model`` about one image."""
    p = params or DescribeParams()
    fields: dict[str, Any] = {"prompt": require_text(model, "prompt", prompt)}
    for name, low, high, integer in _RANGES:
        value = getattr(p, name)
        check_range(model, name, value, low, high, integer=integer)
        put(fields, name, value)
    if asks_questions(model):
        return _query_request(model, image, fields, p)
    fields.update(p.extra)
    return check_request(image_request(model, image, p.encoding, ("array", "base64"), fields),
                         extra=p.extra)


def _query_request(model: str, image: bytes, fields: dict[str, Any],
                   p: DescribeParams) -> TaskRequest:
    """moondream's query form (the image as a base64 ``data:`` URI only)."""
    if p.encoding not in ("auto", "base64"):
        raise InvalidInputError(f"{short(model)} cannot take the image as {p.encoding}; it "
                                "takes a base64 data: URI (encoding='base64')")
    req = query_request(model, require_bytes(model, "image", image), fields, p.extra)
    check_body(model, req.inputs or {}, extra=p.extra)
    return req


def _plan(
    model: str,
    image: bytes,
    prompt: str = DEFAULT_DESCRIBE_PROMPT,
    params: DescribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Planned[ImageDescription]:
    """Ask an image-to-text model about an image.

    Example::

        d = describe_image(client, "@cf/llava-hf/llava-1.5-7b-hf", png, "What is shown?")
        print(d.text)
    """
    req = build_describe_request(model, image, prompt, params)
    return Planned(req, lambda reply: parse_description(model, reply), options)


describe_image, adescribe_image = twins("describe_image", _plan)
