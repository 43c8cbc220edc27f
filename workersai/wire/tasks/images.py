"""Image tasks on the wire: text-to-image, image classification, object detection and
image-to-text.

Text-to-image: FLUX answers JSON with a base64 JPEG, Stable Diffusion raw PNG bytes; the
per-model rules are data (:data:`IMAGE_SPECS`). Classification (text or image) answers an
array of ``{"label", "score"}``; detection ``{"label", "score", "box"}``; image-to-text
``{"description"}`` (llava) or ``{"answer"}`` (moondream's query form).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..._task_types import (
    Box,
    Classification,
    Detection,
    Detections,
    GeneratedImage,
    ImageDescription,
    ImageParams,
    Label,
)
from ...errors import ResponseFormatError
from ._base import (
    TaskReply,
    TaskRequest,
    b64decode,
    b64encode,
    expect_dict,
    expect_list,
    number,
    property_of,
    put,
    short,
    sniff_image,
    takes,
    text_field,
    uint8_list,
)
from ._multipart import FormValue, encode_form

__all__ = [
    "GENERIC_IMAGE_SPEC",
    "IMAGE_OPTIONS",
    "IMAGE_SPECS",
    "ImageSpec",
    "text_to_image_request",
    "parse_image_reply",
    "parse_labels",
    "parse_detections",
    "asks_questions",
    "query_request",
    "parse_description",
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


IMAGE_OPTIONS = frozenset(f.name for f in fields(ImageParams) if f.name != "extra")
"""Every :class:`ImageParams` option (``extra`` aside)."""
_SD = ImageSpec(options=IMAGE_OPTIONS, steps_key="num_steps", max_steps=20,
                size_range=(256, 2048))

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

GENERIC_IMAGE_SPEC = ImageSpec(options=IMAGE_OPTIONS)
"""For ids not in the table: every option is sent as given; either reply form is read."""


def _steps_key(model: str, spec: ImageSpec) -> str:
    """``spec.steps_key``; for a model not in the table, the name its schema uses."""
    if model in IMAGE_SPECS or takes(model, spec.steps_key):
        return spec.steps_key
    return "steps" if takes(model, "steps") else spec.steps_key


def text_to_image_request(model: str, prompt: str, p: ImageParams) -> TaskRequest:
    """The body of one image (options already checked): ``prompt``, the options given
    (steps under the model's name for them), image/mask bytes as uint8 arrays, ``extra``."""
    spec = IMAGE_SPECS.get(model, GENERIC_IMAGE_SPEC)
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
        body["image"] = uint8_list(bytes(p.image))
    if p.mask is not None:
        body["mask"] = uint8_list(bytes(p.mask))
    body.update(p.extra)
    return TaskRequest(model=model, inputs=body, binary_reply=spec.binary_reply)


def _form_request(model: str, spec: ImageSpec, prompt: str, p: ImageParams) -> TaskRequest:
    """FLUX.2's form: prompt, the options it takes, then ``extra`` as given."""
    form: dict[str, FormValue] = {"prompt": prompt}
    for name, key in (("width", "width"), ("height", "height"), ("steps", spec.steps_key)):
        value = getattr(p, name)
        if value is not None:
            form[key] = value
    form.update(p.extra)
    body, content_type = encode_form(form)
    return TaskRequest(model=model, data=body, content_type=content_type,
                       binary_reply=spec.binary_reply)


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


def _label(model: str, item: object) -> Label:
    if not isinstance(item, dict):
        raise ResponseFormatError(f"{short(model)}: a label entry is not an object")
    label, score = item.get("label"), item.get("score")
    if not isinstance(label, str) or isinstance(score, bool) or not isinstance(
        score, (int, float)
    ):
        raise ResponseFormatError(f"{short(model)}: a label entry lacks label or score")
    return Label(label=label, score=float(score))


def parse_labels(model: str, reply: TaskReply) -> Classification:
    """The label array (text or image classification), sorted by score (best first)."""
    labels = [_label(model, item) for item in expect_list(model, reply.result)]
    labels.sort(key=lambda lab: lab.score, reverse=True)
    return Classification(labels=labels, model=model, meta=reply.response_meta)


_BOX_KEYS = ("xmin", "ymin", "xmax", "ymax")


def _detection(model: str, item: Any) -> Detection:
    box = item.get("box") if isinstance(item, dict) else None
    label = item.get("label") if isinstance(item, dict) else None
    score = number(item.get("score")) if isinstance(item, dict) else None
    coords = [number(box.get(k)) for k in _BOX_KEYS] if isinstance(box, dict) else []
    if not isinstance(label, str) or score is None or len(coords) != 4 or None in coords:
        raise ResponseFormatError(f"{short(model)}: a detection lacks label, score or box")
    xmin, ymin, xmax, ymax = (float(c or 0.0) for c in coords)
    return Detection(label=label, score=score, box=Box(xmin, ymin, xmax, ymax))


def parse_detections(model: str, reply: TaskReply, min_score: float = 0.0) -> Detections:
    """Detections scoring at least ``min_score``, best first."""
    found = [_detection(model, item) for item in expect_list(model, reply.result)]
    kept = sorted((d for d in found if d.score >= min_score), key=lambda d: d.score, reverse=True)
    return Detections(objects=kept, model=model, meta=reply.response_meta)


def asks_questions(model: str) -> bool:
    """Whether ``model`` takes moondream's query form: a string ``image`` and a
    ``question`` (no ``prompt``), per its published schema."""
    image = property_of(model, "image") or {}
    return takes(model, "question") and not takes(model, "prompt") and image.get(
        "type") == "string"


def query_request(model: str, data: bytes, fields: dict[str, Any],
                  extra: dict[str, Any]) -> TaskRequest:
    """moondream's query form: the image as a base64 ``data:`` URI, ``fields["prompt"]``
    as ``question``, the other fields and ``extra`` as given, ``stream`` off."""
    media = sniff_image(data) or "application/octet-stream"
    rest = {k: v for k, v in fields.items() if k != "prompt"}
    body: dict[str, Any] = {"task": "query", "image": f"data:{media};base64,{b64encode(data)}",
                            "question": fields["prompt"], **rest}
    if takes(model, "stream"):
        body["stream"] = False  # its default is true; the reply is read as one object
    body.update(extra)
    return TaskRequest(model=model, inputs=body)


def parse_description(model: str, reply: TaskReply) -> ImageDescription:
    """The ``description`` (or ``answer``, ``caption``) field as an :class:`ImageDescription`."""
    out = expect_dict(model, reply.result)
    key = next((k for k in ("description", "answer", "caption") if isinstance(out.get(k), str)),
               "description")
    text = text_field(model, out, key)
    return ImageDescription(text=text, model=model, meta=reply.response_meta)
