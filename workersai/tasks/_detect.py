"""Object detection (detr-resnet-50): labels, scores and pixel boxes.

The checks live here; the reply is read by
:func:`workersai.wire.tasks.images.parse_detections`.
"""

from __future__ import annotations

from .._task_types import BinaryEncoding, Detections
from ..config import RequestOptions
from ..wire.tasks import TaskRequest
from ..wire.tasks.images import parse_detections
from ._call import Planned, twins
from ._check import check_range, image_request
from ._conform import check_request

__all__ = [
    "build_detection_request",
    "parse_detections",
    "detect_objects",
    "adetect_objects",
]


def build_detection_request(
    model: str, image: bytes, encoding: BinaryEncoding = "auto"
) -> TaskRequest:
    """The image as a raw body (default) or ``{"image": [uint8...]}``."""
    return check_request(image_request(model, image, encoding, ("raw", "array")))


def _plan(
    model: str,
    image: bytes,
    *,
    min_score: float = 0.0,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Planned[Detections]:
    """Find objects in an image; drops those scoring below ``min_score`` (0..1).

    Example::

        found = detect_objects(client, "@cf/facebook/detr-resnet-50", png, min_score=0.5)
        for d in found.objects:
            print(d.label, d.score, d.box)
    """
    check_range(model, "min_score", min_score, 0, 1)
    req = build_detection_request(model, image, encoding)
    return Planned(req, lambda reply: parse_detections(model, reply, min_score), options)


detect_objects, adetect_objects = twins("detect_objects", _plan)
