"""Neutral results (and option bundles) of the non-chat Workers AI tasks.

A leaf beside :mod:`workersai.types`: no JSON key of the wire format appears here.
:mod:`workersai.wire.tasks` reads each model's reply into these, :mod:`workersai.tasks`
re-exports them, and the front ends turn them into tools' outputs and Documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .types import ResponseMeta, SamplingParams

__all__ = [
    "BinaryEncoding",
    "MediaBytes",
    "GeneratedImage",
    "ImageParams",
    "Word",
    "Segment",
    "Transcript",
    "TranscribeParams",
    "SpeechAudio",
    "SpeechParams",
    "Translation",
    "Label",
    "Classification",
    "Box",
    "Detection",
    "Detections",
    "ModelText",
    "Summary",
    "ImageDescription",
    "DescribeParams",
]

BinaryEncoding: TypeAlias = Literal["auto", "raw", "array", "base64"]
"""How binary input travels: raw request body, JSON uint8 array, or JSON base64 string.
``auto`` picks what the model documents."""


@dataclass(slots=True)
class MediaBytes:
    """Bytes a model produced (an image, audio), with their media type."""

    data: bytes
    media_type: str
    model: str
    meta: ResponseMeta = field(default_factory=ResponseMeta)

    def save(self, path: str | Path) -> Path:
        """Write the bytes to ``path`` and return it."""
        target = Path(path)
        target.write_bytes(self.data)
        return target


@dataclass(slots=True)
class GeneratedImage(MediaBytes):
    """An image a text-to-image model drew."""


@dataclass(slots=True)
class ImageParams:
    """Text-to-image options. ``None`` means "not sent"; each model takes a subset.

    ``steps`` is sent as ``steps`` (FLUX) or ``num_steps`` (Stable Diffusion).
    ``image``/``mask`` are raw bytes for image-to-image (Stable Diffusion only).
    """

    width: int | None = None
    height: int | None = None
    steps: int | None = None
    seed: int | None = None
    negative_prompt: str | None = None
    guidance: float | None = None
    strength: float | None = None
    image: bytes | None = None
    mask: bytes | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Extra top-level body fields, sent as given (checked against the model's schema
    only where the model forbids unknown fields)."""


@dataclass(slots=True, frozen=True)
class Word:
    """One recognised word with its timing in seconds (``None`` when not reported)."""

    text: str
    start: float | None = None
    end: float | None = None
    confidence: float | None = None
    speaker: int | None = None


@dataclass(slots=True)
class Segment:
    """A stretch of speech (a Whisper segment or a Deepgram utterance)."""

    text: str
    start: float | None = None
    end: float | None = None
    words: list[Word] = field(default_factory=list)


@dataclass(slots=True)
class Transcript:
    """What a speech-to-text model heard, with timings where the model gives them."""

    text: str
    words: list[Word] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    duration: float | None = None
    vtt: str | None = None
    model: str = ""
    raw: Any = None
    """The model's output object as received."""
    meta: ResponseMeta = field(default_factory=ResponseMeta)


@dataclass(slots=True)
class TranscribeParams:
    """Speech-to-text options; ``None`` means "not sent".

    ``media_type`` labels a raw body (sniffed from the bytes when ``None``).
    ``extra`` holds further model fields (Whisper-turbo ``beam_size``...; Deepgram
    query parameters such as ``smart_format`` for nova-3).
    """

    language: str | None = None
    task: Literal["transcribe", "translate"] | None = None
    initial_prompt: str | None = None
    vad_filter: bool | None = None
    encoding: BinaryEncoding = "auto"
    media_type: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SpeechAudio(MediaBytes):
    """Audio a text-to-speech model produced."""


@dataclass(slots=True)
class SpeechParams:
    """Text-to-speech options; ``None`` means "not sent". Each model takes a subset."""

    voice: str | None = None
    language: str | None = None
    encoding: str | None = None
    container: str | None = None
    sample_rate: int | None = None
    bit_rate: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Translation:
    """Translated texts, one per input text, in input order."""

    texts: list[str]
    target_lang: str
    source_lang: str | None = None
    model: str = ""
    meta: list[ResponseMeta] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The translations joined by newlines (the one translation for one input)."""
        return "\n".join(self.texts)


@dataclass(slots=True, frozen=True)
class Label:
    """A class label with the model's score for it."""

    label: str
    score: float


@dataclass(slots=True)
class Classification:
    """Labels with scores, best first."""

    labels: list[Label]
    model: str = ""
    meta: ResponseMeta = field(default_factory=ResponseMeta)

    @property
    def top(self) -> Label | None:
        """The best label, or ``None`` when the model returned none."""
        return self.labels[0] if self.labels else None


@dataclass(slots=True, frozen=True)
class Box:
    """A bounding box in pixels of the input image."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float


@dataclass(slots=True, frozen=True)
class Detection:
    """One detected object."""

    label: str
    score: float
    box: Box


@dataclass(slots=True)
class Detections:
    """Detected objects, best score first."""

    objects: list[Detection]
    model: str = ""
    meta: ResponseMeta = field(default_factory=ResponseMeta)


@dataclass(slots=True)
class ModelText:
    """A text a model wrote about its input (the shape of :class:`Summary` and
    :class:`ImageDescription`)."""

    text: str
    model: str = ""
    meta: ResponseMeta = field(default_factory=ResponseMeta)


@dataclass(slots=True)
class Summary(ModelText):
    """A summary of a text."""


@dataclass(slots=True)
class ImageDescription(ModelText):
    """What an image-to-text model said about an image."""


@dataclass(slots=True)
class DescribeParams(SamplingParams):
    """Image-to-text sampling options; ``None`` means "not sent"."""

    encoding: BinaryEncoding = "auto"
    """How the image travels (``array`` or ``base64``; ``auto`` = ``array``)."""
    extra: dict[str, Any] = field(default_factory=dict)
