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

from ..config import RequestOptions
from ..errors import InvalidInputError
from ._call import TaskReply, TaskRequest, asend, send
from ._check import (
    b64encode,
    check_range,
    expect_dict,
    image_request,
    put,
    require_bytes,
    require_text,
    short,
    sniff_image,
    text_field,
)
from ._conform import check_body, check_request, property_of, takes
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import DescribeParams, ImageDescription

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
    if _asks_questions(model):
        return _query_request(model, image, fields, p)
    fields.update(p.extra)
    return check_request(image_request(model, image, p.encoding, ("array", "base64"), fields),
                         extra=p.extra)


def _asks_questions(model: str) -> bool:
    image = property_of(model, "image") or {}
    return takes(model, "question") and not takes(model, "prompt") and image.get(
        "type") == "string"


def _query_request(model: str, image: bytes, fields: dict[str, Any],
                   p: DescribeParams) -> TaskRequest:
    """moondream's query form: the image as a ``data:`` URI, the prompt as ``question``."""
    if p.encoding not in ("auto", "base64"):
        raise InvalidInputError(f"{short(model)} cannot take the image as {p.encoding}; it "
                                "takes a base64 data: URI (encoding='base64')")
    data = require_bytes(model, "image", image)
    media = sniff_image(data) or "application/octet-stream"
    body: dict[str, Any] = {"task": "query", "image": f"data:{media};base64,{b64encode(data)}",
                            "question": fields.pop("prompt"), **fields}
    if takes(model, "stream"):
        body["stream"] = False  # its default is true; the reply is read as one object
    body.update(p.extra)
    check_body(model, body, extra=p.extra)
    return TaskRequest(model=model, inputs=body)


def parse_description(model: str, reply: TaskReply) -> ImageDescription:
    """The ``description`` field as an :class:`ImageDescription`."""
    out = expect_dict(model, reply.result)
    key = next((k for k in ("description", "answer", "caption") if isinstance(out.get(k), str)),
               "description")
    text = text_field(model, out, key)
    return ImageDescription(text=text, model=model, meta=reply.response_meta)


def describe_image(
    client: SupportsTasks,
    model: str,
    image: bytes,
    prompt: str = DEFAULT_DESCRIBE_PROMPT,
    params: DescribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> ImageDescription:
    """Ask an image-to-text model about an image.

    Example::

        d = describe_image(client, "@cf/llava-hf/llava-1.5-7b-hf", png, "What is shown?")
        print(d.text)
    """
    req = build_describe_request(model, image, prompt, params)
    return parse_description(model, send(client, req, options))


async def adescribe_image(
    client: SupportsAsyncTasks,
    model: str,
    image: bytes,
    prompt: str = DEFAULT_DESCRIBE_PROMPT,
    params: DescribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> ImageDescription:
    """Async :func:`describe_image`."""
    req = build_describe_request(model, image, prompt, params)
    return parse_description(model, await asend(client, req, options))
