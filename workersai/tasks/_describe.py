"""Image to text (llava-1.5, uform-gen2): ``{"image", "prompt", ...}`` -> ``{"description"}``.

The image travels as a uint8 array (default) or a base64 string in the JSON body.
"""

from __future__ import annotations

from typing import Any

from ..config import RequestOptions
from ._call import TaskReply, TaskRequest, asend, send
from ._check import check_range, image_request, put, require_text, text_field
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
    fields.update(p.extra)
    return image_request(model, image, p.encoding, ("array", "base64"), fields)


def parse_description(model: str, reply: TaskReply) -> ImageDescription:
    """The ``description`` field as an :class:`ImageDescription`."""
    text = text_field(model, reply.result, "description")
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
