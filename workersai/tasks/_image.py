"""Text-to-image: FLUX (JSON with a base64 JPEG), FLUX.2 (a multipart form in, JSON with
a base64 image out) and Stable Diffusion (raw PNG bytes).

Per-model rules are data (:data:`IMAGE_SPECS`): which options a model takes, how it
names its step count, its size and step limits, and whether it forbids unknown fields
(FLUX-1-schnell's schema has ``additionalProperties: false``, so width/height are refused
here instead of by a 400 from the API).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..config import RequestOptions
from ..errors import ResponseFormatError
from ._call import TaskReply, TaskRequest, asend, send
from ._check import (
    b64decode,
    check_range,
    expect_dict,
    put,
    reject_unsupported,
    require_bytes,
    require_text,
    short,
    sniff_image,
    uint8_list,
)
from ._conform import check_body, takes
from ._multipart import FormValue, encode_form
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import GeneratedImage, ImageParams

__all__ = [
    "GENERIC_IMAGE_SPEC",
    "IMAGE_SPECS",
    "ImageSpec",
    "build_image_request",
    "parse_image_reply",
    "generate_image",
    "agenerate_image",
]


@dataclass(slots=True, frozen=True)
class ImageSpec:
    """What one text-to-image model accepts and how it answers."""

    options: frozenset[str]
    """:class:`ImageParams` fields the model takes."""
    steps_key: str = "num_steps"
    max_steps: int | None = None
    size_range: tuple[int, int] | None = None
    max_prompt: int | None = None
    closed: bool = False
    """The schema forbids unknown fields (``extra`` is checked too)."""
    binary_reply: bool = True
    """The model answers with raw image bytes (otherwise JSON ``{"image": base64}``)."""
    multipart: bool = False
    """The model takes a ``multipart/form-data`` body (FLUX.2), even for a prompt alone;
    ``extra`` fields are sent as form fields (``bytes`` as file parts)."""


_ALL = frozenset(f.name for f in fields(ImageParams) if f.name != "extra")
_SD = ImageSpec(options=_ALL, steps_key="num_steps", max_steps=20, size_range=(256, 2048))

IMAGE_SPECS: dict[str, ImageSpec] = {
    "@cf/black-forest-labs/flux-1-schnell": ImageSpec(
        options=frozenset({"steps"}), steps_key="steps", max_steps=8, max_prompt=2048,
        closed=True, binary_reply=False,
    ),
    "@cf/stabilityai/stable-diffusion-xl-base-1.0": _SD,
    "@cf/bytedance/stable-diffusion-xl-lightning": _SD,
    "@cf/lykon/dreamshaper-8-lcm": _SD,
    "@cf/runwayml/stable-diffusion-v1-5-img2img": _SD,
    "@cf/runwayml/stable-diffusion-v1-5-inpainting": _SD,
    # FLUX.2: the documented form fields (prompt, width, height; steps on dev only, the
    # klein models run a fixed 4 steps); reference images go in ``extra`` by their names
    "@cf/black-forest-labs/flux-2-dev": ImageSpec(
        options=frozenset({"width", "height", "steps"}), steps_key="steps",
        binary_reply=False, multipart=True),
    "@cf/black-forest-labs/flux-2-klein-4b": ImageSpec(
        options=frozenset({"width", "height"}), binary_reply=False, multipart=True),
    "@cf/black-forest-labs/flux-2-klein-9b": ImageSpec(
        options=frozenset({"width", "height"}), binary_reply=False, multipart=True),
}
"""Known text-to-image models. Other ids get :data:`GENERIC_IMAGE_SPEC`."""

GENERIC_IMAGE_SPEC = ImageSpec(options=_ALL)
"""For ids not in the table: every option is sent as given; either reply form is read."""


def _given(params: ImageParams) -> set[str]:
    return {name for name in _ALL if getattr(params, name) is not None}


def _check_params(model: str, spec: ImageSpec, p: ImageParams) -> None:
    given = _given(p)
    reject_unsupported(model, given | (set(p.extra) if spec.closed else set()), spec.options)
    check_range(model, "steps", p.steps, 1, spec.max_steps, integer=True)
    if spec.size_range is not None:
        low, high = spec.size_range
        check_range(model, "width", p.width, low, high, integer=True)
        check_range(model, "height", p.height, low, high, integer=True)
    else:
        check_range(model, "width", p.width, 1, None, integer=True)
        check_range(model, "height", p.height, 1, None, integer=True)
    check_range(model, "strength", p.strength, 0, 1)
    check_range(model, "guidance", p.guidance, 0, None)
    check_range(model, "seed", p.seed, 0, None, integer=True)
    if p.negative_prompt is not None:
        require_text(model, "negative_prompt", p.negative_prompt)


def build_image_request(
    model: str, prompt: str, params: ImageParams | None = None
) -> TaskRequest:
    """The request for one image; raises ``InvalidInputError`` for input the model refuses."""
    p = params or ImageParams()
    spec = IMAGE_SPECS.get(model, GENERIC_IMAGE_SPEC)
    require_text(model, "prompt", prompt, spec.max_prompt)
    _check_params(model, spec, p)
    if spec.multipart:
        return _form_request(model, spec, prompt, p)
    body: dict[str, Any] = {"prompt": prompt}
    put(body, "negative_prompt", p.negative_prompt)
    put(body, "width", p.width)
    put(body, "height", p.height)
    put(body, _steps_key(model, spec), p.steps)
    put(body, "guidance", p.guidance)
    put(body, "strength", p.strength)
    put(body, "seed", p.seed)
    if p.image is not None:
        body["image"] = uint8_list(require_bytes(model, "image", p.image))
    if p.mask is not None:
        body["mask"] = uint8_list(require_bytes(model, "mask", p.mask))
    body.update(p.extra)
    check_body(model, body, extra=p.extra)
    return TaskRequest(model=model, inputs=body, binary_reply=spec.binary_reply)


def _form_request(model: str, spec: ImageSpec, prompt: str, p: ImageParams) -> TaskRequest:
    """FLUX.2's form: prompt, the options it takes, then ``extra`` as given."""
    fields: dict[str, FormValue] = {"prompt": prompt}
    for name, key in (("width", "width"), ("height", "height"), ("steps", spec.steps_key)):
        value = getattr(p, name)
        if value is not None:
            fields[key] = value
    fields.update(p.extra)
    body, content_type = encode_form(fields)
    return TaskRequest(model=model, data=body, content_type=content_type,
                       binary_reply=spec.binary_reply)


def _steps_key(model: str, spec: ImageSpec) -> str:
    """``spec.steps_key``; for a model not in the table, the name its schema uses."""
    if model in IMAGE_SPECS or takes(model, spec.steps_key):
        return spec.steps_key
    return "steps" if takes(model, "steps") else spec.steps_key


def parse_image_reply(model: str, reply: TaskReply) -> GeneratedImage:
    """Raw image bytes, or the base64 ``image`` of a JSON reply, as a :class:`GeneratedImage`."""
    if reply.data is not None:
        data = reply.data
        media = reply.content_type if reply.content_type.startswith("image/") else None
    else:
        result = reply.result
        encoded = result if isinstance(result, str) else expect_dict(model, result).get("image")
        data = b64decode(model, encoded, "image")
        media = None
    if not data:
        raise ResponseFormatError(f"{short(model)}: the reply holds an empty image")
    media = media or sniff_image(data) or "application/octet-stream"
    return GeneratedImage(data=data, media_type=media, model=model, meta=reply.response_meta)


def generate_image(
    client: SupportsTasks,
    model: str,
    prompt: str,
    params: ImageParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> GeneratedImage:
    """Draw one image from a prompt.

    Example::

        img = generate_image(client, "@cf/black-forest-labs/flux-1-schnell", "a red fox")
        img.save("fox.jpg")
    """
    req = build_image_request(model, prompt, params)
    return parse_image_reply(model, send(client, req, options))


async def agenerate_image(
    client: SupportsAsyncTasks,
    model: str,
    prompt: str,
    params: ImageParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> GeneratedImage:
    """Async :func:`generate_image`."""
    req = build_image_request(model, prompt, params)
    return parse_image_reply(model, await asend(client, req, options))
