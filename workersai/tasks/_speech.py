"""Speech-to-text: Whisper (uint8 array or raw body), Whisper-large-v3-turbo (base64) and
Deepgram nova-3 (raw body; options as query parameters).

The checks live here; the body and the reply (Whisper or Deepgram, read by shape) are
:mod:`workersai.wire.tasks.audio`'s, with the per-model rules as data (:data:`ASR_SPECS`).
"""

from __future__ import annotations

from typing import Any

from .._task_types import TranscribeParams, Transcript
from ..config import RequestOptions
from ..errors import InvalidInputError
from ..wire.tasks import TaskRequest
from ..wire.tasks._base import sniff_audio
from ..wire.tasks.audio import (
    ASR_OPTIONS,
    ASR_SPECS,
    GENERIC_ASR_SPEC,
    AsrSpec,
    parse_transcript,
    transcribe_request,
)
from ._call import Planned, twins
from ._check import check_encoding, reject_unsupported, require_bytes, short
from ._conform import check_body, check_raw

__all__ = [
    "GENERIC_ASR_SPEC",
    "ASR_SPECS",
    "AsrSpec",
    "build_transcribe_request",
    "parse_transcript",
    "transcribe",
    "atranscribe",
]


def _options(model: str, spec: AsrSpec, p: TranscribeParams) -> dict[str, Any]:
    given = {name: getattr(p, name) for name in ASR_OPTIONS if getattr(p, name) is not None}
    reject_unsupported(model, given, spec.options)
    if p.task is not None and p.task not in ("transcribe", "translate"):
        raise InvalidInputError(f"{short(model)}: task must be 'transcribe' or 'translate'")
    return {**given, **p.extra}


def _raw_request(
    model: str, spec: AsrSpec, data: bytes, p: TranscribeParams, opts: dict[str, Any]
) -> TaskRequest:
    media = p.media_type or sniff_audio(data)
    if media is None and spec.needs_media_type:
        raise InvalidInputError(
            f"{short(model)}: cannot tell the audio format; pass TranscribeParams(media_type=...)"
        )
    if opts and not spec.query_options:
        raise InvalidInputError(
            f"{short(model)}: options ({', '.join(sorted(opts))}) cannot travel with a raw "
            "audio body; use encoding='array'"
        )
    check_raw(model, opts if spec.query_options else None, extra=p.extra)
    return transcribe_request(model, data, "raw", opts, media)


def build_transcribe_request(
    model: str, audio: bytes, params: TranscribeParams | None = None
) -> TaskRequest:
    """The request for one audio file, encoded the way ``model`` expects."""
    p = params or TranscribeParams()
    spec = ASR_SPECS.get(model, GENERIC_ASR_SPEC)
    data = require_bytes(model, "audio", audio)
    encoding = check_encoding(model, "audio", p.encoding, spec.encodings)
    opts = _options(model, spec, p)
    if encoding == "raw":
        return _raw_request(model, spec, data, p, opts)
    req = transcribe_request(model, data, encoding, opts)
    check_body(model, req.inputs or {}, extra=p.extra)
    return req


def _plan(
    model: str,
    audio: bytes,
    params: TranscribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Planned[Transcript]:
    """Transcribe one audio file (WAV, MP3, ... bytes) with timings.

    Example::

        t = transcribe(client, "@cf/openai/whisper-large-v3-turbo", open("a.mp3", "rb").read())
        print(t.text, t.words[0].start)
    """
    req = build_transcribe_request(model, audio, params)
    return Planned(req, lambda reply: parse_transcript(model, reply), options)


transcribe, atranscribe = twins("transcribe", _plan)
