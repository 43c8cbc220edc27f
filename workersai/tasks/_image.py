"""Text-to-image: FLUX (JSON with a base64 JPEG), FLUX.2 (a multipart form in, JSON with
a base64 image out) and Stable Diffusion (raw PNG bytes).

The checks live here; the body and the reply are read by
:mod:`workersai.wire.tasks.images`, whose per-model rules are data (:data:`IMAGE_SPECS`):
which options a model takes, how it names its step count, its size and step limits, and
whether it forbids unknown fields (FLUX-1-schnell's schema has
``additionalProperties: false``, so width/height are refused here instead of by a 400
from the API).
"""

from __future__ import annotations

from .._task_types import GeneratedImage, ImageParams
from ..config import RequestOptions
from ..wire.tasks import TaskRequest
from ..wire.tasks.images import (
    GENERIC_IMAGE_SPEC,
    IMAGE_OPTIONS,
    IMAGE_SPECS,
    ImageSpec,
    parse_image_reply,
    text_to_image_request,
)
from ._call import Planned, twins
from ._check import check_range, reject_unsupported, require_bytes, require_text
from ._conform import check_body

__all__ = [
    "GENERIC_IMAGE_SPEC",
    "IMAGE_SPECS",
    "ImageSpec",
    "build_image_request",
    "parse_image_reply",
    "generate_image",
    "agenerate_image",
]


def _check_params(model: str, spec: ImageSpec, p: ImageParams) -> None:
    given = {name for name in IMAGE_OPTIONS if getattr(p, name) is not None}
    reject_unsupported(model, given | (set(p.extra) if spec.closed else set()), spec.options)
    check_range(model, "steps", p.steps, 1, spec.max_steps, integer=True)
    low, high = spec.size_range or (1, None)
    check_range(model, "width", p.width, low, high, integer=True)
    check_range(model, "height", p.height, low, high, integer=True)
    check_range(model, "strength", p.strength, 0, 1)
    check_range(model, "guidance", p.guidance, 0, None)
    check_range(model, "seed", p.seed, 0, None, integer=True)
    if p.negative_prompt is not None:
        require_text(model, "negative_prompt", p.negative_prompt)
    for name in ("image", "mask"):
        if getattr(p, name) is not None:
            require_bytes(model, name, getattr(p, name))


def build_image_request(
    model: str, prompt: str, params: ImageParams | None = None
) -> TaskRequest:
    """The request for one image; raises ``InvalidInputError`` for input the model refuses."""
    p = params or ImageParams()
    spec = IMAGE_SPECS.get(model, GENERIC_IMAGE_SPEC)
    require_text(model, "prompt", prompt, spec.max_prompt)
    _check_params(model, spec, p)
    req = text_to_image_request(model, prompt, p)
    if req.inputs is not None:  # a FLUX.2 form is checked field by field above
        check_body(model, req.inputs, extra=p.extra)
    return req


def _plan(
    model: str,
    prompt: str,
    params: ImageParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Planned[GeneratedImage]:
    """Draw one image from a prompt.

    Example::

        img = generate_image(client, "@cf/black-forest-labs/flux-1-schnell", "a red fox")
        img.save("fox.jpg")
    """
    req = build_image_request(model, prompt, params)
    return Planned(req, lambda reply: parse_image_reply(model, reply), options)


generate_image, agenerate_image = twins("generate_image", _plan)
