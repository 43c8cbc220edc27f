"""Text classification (distilbert-sst-2) and image classification (resnet-50).

Both answer with an array of ``{"label", "score"}``, read best first by
:func:`workersai.wire.tasks.images.parse_labels`; the checks live here.
"""

from __future__ import annotations

from .._task_types import BinaryEncoding, Classification
from ..catalog import lookup
from ..config import RequestOptions
from ..errors import InvalidInputError
from ..wire.tasks import TaskRequest
from ..wire.tasks.images import parse_labels
from ..wire.tasks.text import text_classification_request
from ._call import Planned, twins
from ._check import image_request, require_text, short
from ._conform import check_request

__all__ = [
    "build_text_classification_request",
    "build_image_classification_request",
    "parse_labels",
    "classify_text",
    "aclassify_text",
    "classify_image",
    "aclassify_image",
]


def build_text_classification_request(model: str, text: str) -> TaskRequest:
    """``{"text": ...}``; refuses reranker ids (they take a query and documents)."""
    info = lookup(model)
    if info is not None and info.family == "reranker":
        raise InvalidInputError(f"{short(model)} is a reranker; use Client.rerank")
    return check_request(text_classification_request(model, require_text(model, "text", text)))


def build_image_classification_request(
    model: str, image: bytes, encoding: BinaryEncoding = "auto"
) -> TaskRequest:
    """The image as a raw body (default) or ``{"image": [uint8...]}``."""
    return check_request(image_request(model, image, encoding, ("raw", "array")))


def _labels(model: str, req: TaskRequest, options: RequestOptions | None
            ) -> Planned[Classification]:
    return Planned(req, lambda reply: parse_labels(model, reply), options)


def _text_plan(
    model: str, text: str, *, options: RequestOptions | None = None
) -> Planned[Classification]:
    """Label a text (sentiment for distilbert-sst-2).

    Example::

        c = classify_text(client, "@cf/huggingface/distilbert-sst-2-int8", "I love it")
        print(c.top.label, c.top.score)
    """
    return _labels(model, build_text_classification_request(model, text), options)


def _image_plan(
    model: str,
    image: bytes,
    *,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Planned[Classification]:
    """Label an image (ImageNet classes for resnet-50)."""
    return _labels(model, build_image_classification_request(model, image, encoding), options)


classify_text, aclassify_text = twins("classify_text", _text_plan)
classify_image, aclassify_image = twins("classify_image", _image_plan)
