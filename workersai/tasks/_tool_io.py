"""Framework-neutral pieces the LangChain and LlamaIndex task wrappers share.

Reading an image argument (bytes, a file path or a ``data:`` URL), saving produced media
into a folder, JSON views of results for tools, and a transcript as ``(text, metadata)``
records for Documents. Both front ends call these, so the two frameworks answer alike.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import uuid
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .._task_types import (
    Classification,
    Detections,
    ImageDescription,
    MediaBytes,
    Segment,
    Summary,
    Transcript,
    Word,
)
from ..errors import InvalidInputError
from ..wire.tasks._base import sniff_audio

__all__ = [
    "TranscriptMode",
    "read_image",
    "audio_media_type",
    "save_media",
    "deliver_media",
    "classification_view",
    "detections_view",
    "summary_view",
    "description_view",
    "transcript_records",
    "TRANSCRIPT_BULKY_KEYS",
]

TranscriptMode: TypeAlias = Literal["single", "segments"]
"""One record per audio file, or one per segment (utterance) with its own timings."""

TRANSCRIPT_BULKY_KEYS = ("segments", "words")
"""Metadata keys holding timing lists: keep them out of embeddings and prompts."""

_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif",
    "audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/ogg": ".ogg", "audio/flac": ".flac",
    "audio/aac": ".aac", "audio/basic": ".au",
}


def _inside(path: Path, root_dir: str | Path | None) -> Path:
    if root_dir is None:
        return path
    root = Path(root_dir).expanduser().resolve()
    full = (root / path).resolve()
    if not full.is_relative_to(root):
        raise InvalidInputError(f"image path {str(path)!r} lies outside {str(root)!r}")
    return full


def _data_url(text: str) -> bytes:
    header, sep, payload = text.partition(",")
    if not sep or not header.endswith(";base64"):
        raise InvalidInputError("a data: URL image must be base64 (data:image/png;base64,...)")
    try:
        return base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError("the data: URL holds invalid base64") from exc


def read_image(value: Any, root_dir: str | Path | None = None) -> bytes:
    """Image bytes from bytes, a ``data:`` URL, or a local file path.

    With ``root_dir`` set, a path is taken relative to it and must stay inside it (so an
    agent cannot make the tool read other files). Web URLs are refused (never fetched).
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("image must be a local file path, a data: URL or bytes")
    text = value.strip()
    if text.startswith("data:"):
        return _data_url(text)
    if text.startswith(("http://", "https://")):
        raise InvalidInputError("image URLs are not fetched; pass a file path or a data: URL")
    path = _inside(Path(text).expanduser(), root_dir)
    if not path.is_file():
        raise InvalidInputError(f"no image file at {text!r}")
    return path.read_bytes()


def audio_media_type(data: bytes, name: str | None = None) -> str | None:
    """The audio type read from the bytes, else guessed from a file name (or ``None``)."""
    sniffed = sniff_audio(data)
    if sniffed is not None or not name:
        return sniffed
    guessed, _ = mimetypes.guess_type(name)
    return guessed if guessed and guessed.startswith(("audio/", "video/")) else None


def save_media(media: MediaBytes, output_dir: str | Path, prefix: str) -> Path:
    """Write ``media`` to a new uniquely named file in ``output_dir`` (created if needed)."""
    folder = Path(output_dir).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    ext = _EXTENSIONS.get(media.media_type) or mimetypes.guess_extension(media.media_type)
    return media.save(folder / f"{prefix}-{uuid.uuid4().hex[:12]}{ext or '.bin'}")


def deliver_media(
    what: str, media: MediaBytes, output_dir: str | Path | None
) -> tuple[str, bytes | str]:
    """(text for the agent, result for the caller): the saved path twice when
    ``output_dir`` is set, else a one-line note (never the bytes) and the bytes."""
    if output_dir is not None:
        path = str(save_media(media, output_dir, what.replace(" ", "-")))
        return path, path
    note = (f"Made the {what} ({media.media_type}, {len(media.data)} bytes, model "
            f"{media.model}); the bytes are attached to this tool result, not shown here.")
    return note, media.data


def classification_view(result: Classification) -> dict[str, Any]:
    """Labels with scores, best first, plus the top label."""
    top = result.top
    return {
        "labels": [{"label": lab.label, "score": lab.score} for lab in result.labels],
        "top": top.label if top is not None else None,
        "model": result.model,
    }


def detections_view(result: Detections) -> dict[str, Any]:
    """Objects with scores and pixel boxes, best first."""
    objects = [
        {
            "label": d.label,
            "score": d.score,
            "box": {"xmin": d.box.xmin, "ymin": d.box.ymin, "xmax": d.box.xmax,
                    "ymax": d.box.ymax},
        }
        for d in result.objects
    ]
    return {"objects": objects, "count": len(objects), "model": result.model}


def summary_view(result: Summary) -> dict[str, Any]:
    """The summary text and the model."""
    return {"summary": result.text, "model": result.model}


def description_view(result: ImageDescription) -> dict[str, Any]:
    """What the model said about the image, and the model."""
    return {"description": result.text, "model": result.model}


def _word(word: Word) -> dict[str, Any]:
    out: dict[str, Any] = {"text": word.text, "start": word.start, "end": word.end}
    if word.confidence is not None:
        out["confidence"] = word.confidence
    if word.speaker is not None:
        out["speaker"] = word.speaker
    return out


def _span(segments: list[Segment], words: list[Word]) -> tuple[float | None, float | None]:
    timed = [(s.start, s.end) for s in segments] or [(w.start, w.end) for w in words]
    starts = [a for a, _ in timed if a is not None]
    ends = [b for _, b in timed if b is not None]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _base(t: Transcript, source: str | None) -> dict[str, Any]:
    base = {"source": source, "model": t.model, "language": t.language, "duration": t.duration}
    return {k: v for k, v in base.items() if v is not None}


def transcript_records(
    t: Transcript,
    source: str | None = None,
    mode: TranscriptMode = "single",
    include_words: bool = True,
) -> list[tuple[str, dict[str, Any]]]:
    """The transcript as ``(text, metadata)`` records with timings in seconds.

    ``single``: one record; metadata holds ``start``/``end`` and the ``segments`` list
    (text, start, end). ``segments``: one record per segment with its ``segment`` index,
    ``start`` and ``end`` (falls back to ``single`` when the model gave no segments).
    ``include_words`` adds the ``words`` list (text, start, end, confidence, speaker).
    """
    base = _base(t, source)
    if mode == "segments" and t.segments:
        out = []
        for i, seg in enumerate(t.segments):
            meta = {**base, "segment": i, "start": seg.start, "end": seg.end}
            if include_words:
                meta["words"] = [_word(w) for w in seg.words]
            out.append((seg.text, meta))
        return out
    start, end = _span(t.segments, t.words)
    meta = {**base, "start": start, "end": end,
            "segments": [{"text": s.text, "start": s.start, "end": s.end} for s in t.segments]}
    if include_words:
        meta["words"] = [_word(w) for w in t.words]
    return [(t.text, meta)]
