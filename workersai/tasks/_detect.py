"""Object detection (detr-resnet-50): labels, scores and pixel boxes."""

from __future__ import annotations

from typing import Any

from ..config import RequestOptions
from ..errors import ResponseFormatError
from ._call import TaskReply, TaskRequest, asend, send
from ._check import check_range, expect_list, image_request, short
from ._conform import check_request
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import BinaryEncoding, Box, Detection, Detections

__all__ = [
    "build_detection_request",
    "parse_detections",
    "detect_objects",
    "adetect_objects",
]

_BOX_KEYS = ("xmin", "ymin", "xmax", "ymax")


def build_detection_request(
    model: str, image: bytes, encoding: BinaryEncoding = "auto"
) -> TaskRequest:
    """The image as a raw body (default) or ``{"image": [uint8...]}``."""
    return check_request(image_request(model, image, encoding, ("raw", "array")))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _detection(model: str, item: Any) -> Detection:
    box = item.get("box") if isinstance(item, dict) else None
    label = item.get("label") if isinstance(item, dict) else None
    score = _number(item.get("score")) if isinstance(item, dict) else None
    coords = [_number(box.get(k)) for k in _BOX_KEYS] if isinstance(box, dict) else []
    if not isinstance(label, str) or score is None or len(coords) != 4 or None in coords:
        raise ResponseFormatError(f"{short(model)}: a detection lacks label, score or box")
    xmin, ymin, xmax, ymax = (float(c or 0.0) for c in coords)
    return Detection(label=label, score=score, box=Box(xmin, ymin, xmax, ymax))


def parse_detections(model: str, reply: TaskReply, min_score: float = 0.0) -> Detections:
    """Detections scoring at least ``min_score``, best first."""
    found = [_detection(model, item) for item in expect_list(model, reply.result)]
    kept = sorted((d for d in found if d.score >= min_score), key=lambda d: d.score, reverse=True)
    return Detections(objects=kept, model=model, meta=reply.response_meta)


def detect_objects(
    client: SupportsTasks,
    model: str,
    image: bytes,
    *,
    min_score: float = 0.0,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Detections:
    """Find objects in an image; drops those scoring below ``min_score`` (0..1).

    Example::

        found = detect_objects(client, "@cf/facebook/detr-resnet-50", png, min_score=0.5)
        for d in found.objects:
            print(d.label, d.score, d.box)
    """
    check_range(model, "min_score", min_score, 0, 1)
    req = build_detection_request(model, image, encoding)
    return parse_detections(model, send(client, req, options), min_score)


async def adetect_objects(
    client: SupportsAsyncTasks,
    model: str,
    image: bytes,
    *,
    min_score: float = 0.0,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Detections:
    """Async :func:`detect_objects`."""
    check_range(model, "min_score", min_score, 0, 1)
    req = build_detection_request(model, image, encoding)
    return parse_detections(model, await asend(client, req, options), min_score)
