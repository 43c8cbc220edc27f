"""Text classification (distilbert-sst-2) and image classification (resnet-50).

Both answer with an array of ``{"label", "score"}``; it comes back best first.
"""

from __future__ import annotations

from ..catalog import lookup
from ..config import RequestOptions
from ..errors import InvalidInputError, ResponseFormatError
from ._call import TaskReply, TaskRequest, asend, send
from ._check import expect_list, image_request, require_text, short
from ._conform import check_request
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import BinaryEncoding, Classification, Label

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
    req = TaskRequest(model=model, inputs={"text": require_text(model, "text", text)})
    return check_request(req)


def build_image_classification_request(
    model: str, image: bytes, encoding: BinaryEncoding = "auto"
) -> TaskRequest:
    """The image as a raw body (default) or ``{"image": [uint8...]}``."""
    return check_request(image_request(model, image, encoding, ("raw", "array")))


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
    """The label array, sorted by score (best first)."""
    labels = [_label(model, item) for item in expect_list(model, reply.result)]
    labels.sort(key=lambda lab: lab.score, reverse=True)
    return Classification(labels=labels, model=model, meta=reply.response_meta)


def classify_text(
    client: SupportsTasks, model: str, text: str, *, options: RequestOptions | None = None
) -> Classification:
    """Label a text (sentiment for distilbert-sst-2).

    Example::

        c = classify_text(client, "@cf/huggingface/distilbert-sst-2-int8", "I love it")
        print(c.top.label, c.top.score)
    """
    req = build_text_classification_request(model, text)
    return parse_labels(model, send(client, req, options))


async def aclassify_text(
    client: SupportsAsyncTasks, model: str, text: str, *, options: RequestOptions | None = None
) -> Classification:
    """Async :func:`classify_text`."""
    req = build_text_classification_request(model, text)
    return parse_labels(model, await asend(client, req, options))


def classify_image(
    client: SupportsTasks,
    model: str,
    image: bytes,
    *,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Classification:
    """Label an image (ImageNet classes for resnet-50)."""
    req = build_image_classification_request(model, image, encoding)
    return parse_labels(model, send(client, req, options))


async def aclassify_image(
    client: SupportsAsyncTasks,
    model: str,
    image: bytes,
    *,
    encoding: BinaryEncoding = "auto",
    options: RequestOptions | None = None,
) -> Classification:
    """Async :func:`classify_image`."""
    req = build_image_classification_request(model, image, encoding)
    return parse_labels(model, await asend(client, req, options))
