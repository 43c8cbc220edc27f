"""The non-chat Workers AI tasks on the wire: one pure build/parse pair per task.

Each builder turns checked inputs into a :class:`TaskRequest` (a JSON body or a raw body,
as the model takes it); each parser reads a :class:`TaskReply` into a neutral result of
:mod:`workersai._task_types`, and raises :class:`~workersai.errors.ResponseFormatError`
(naming the model) for a reply it cannot read. No I/O and no input checks: the calls in
:mod:`workersai.tasks` check the arguments, build, send through the client and parse.

- ``images``: text-to-image, image/text classification labels, object detection,
  image-to-text.
- ``audio``: speech-to-text, text-to-speech.
- ``text``: translation, text classification, summarization.
- ``_base``: :class:`TaskRequest`, :class:`TaskReply` and the byte/JSON helpers.
"""

from __future__ import annotations

from ._base import TaskReply, TaskRequest, read_raw
from .audio import (
    parse_speech_reply,
    parse_transcript,
    speech_request,
    transcribe_request,
)
from .images import (
    parse_description,
    parse_detections,
    parse_image_reply,
    parse_labels,
    query_request,
    text_to_image_request,
)
from .text import (
    parse_summary,
    parse_translation_reply,
    summary_request,
    text_classification_request,
    translation_requests,
)

__all__ = [
    "TaskRequest",
    "TaskReply",
    "read_raw",
    "text_to_image_request",
    "parse_image_reply",
    "parse_labels",
    "parse_detections",
    "query_request",
    "parse_description",
    "transcribe_request",
    "parse_transcript",
    "speech_request",
    "parse_speech_reply",
    "translation_requests",
    "parse_translation_reply",
    "text_classification_request",
    "summary_request",
    "parse_summary",
]
