"""Speech-to-text: Whisper (uint8 array or raw body), Whisper-large-v3-turbo (base64) and
Deepgram nova-3 (raw body; options as query parameters).

Replies are read by shape, so an unknown ASR model still parses: a Deepgram
``{"results": {"channels": ...}}`` object or a Whisper ``{"text", "words"|"segments"}``
object, both turned into one neutral :class:`Transcript`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import RequestOptions
from ..errors import InvalidInputError, ResponseFormatError
from ..types import ResponseMeta
from ._call import TaskReply, TaskRequest, asend, send
from ._check import (
    b64encode,
    expect_dict,
    reject_unsupported,
    require_bytes,
    short,
    sniff_audio,
    uint8_list,
)
from ._conform import check_body, check_raw
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import Segment, TranscribeParams, Transcript, Word

__all__ = [
    "GENERIC_ASR_SPEC",
    "ASR_SPECS",
    "AsrSpec",
    "build_transcribe_request",
    "parse_transcript",
    "transcribe",
    "atranscribe",
]

_OPTION_FIELDS = ("language", "task", "initial_prompt", "vad_filter")


@dataclass(slots=True, frozen=True)
class AsrSpec:
    """How one speech-to-text model takes audio and options."""

    encodings: tuple[str, ...]
    """Accepted audio encodings; the first is the default."""
    options: frozenset[str] = frozenset()
    """:class:`TranscribeParams` option fields the model takes."""
    query_options: bool = False
    """Options travel as query parameters next to a raw body (Deepgram)."""
    needs_media_type: bool = False
    """A raw body must carry a real audio media type."""


_WHISPER = AsrSpec(encodings=("raw", "array"))
ASR_SPECS: dict[str, AsrSpec] = {
    "@cf/openai/whisper": _WHISPER,
    "@cf/openai/whisper-tiny-en": _WHISPER,
    "@cf/openai/whisper-large-v3-turbo": AsrSpec(
        encodings=("base64",), options=frozenset(_OPTION_FIELDS)
    ),
    "@cf/deepgram/nova-3": AsrSpec(
        encodings=("raw",), options=frozenset({"language"}), query_options=True,
        needs_media_type=True,
    ),
}
"""Known speech-to-text models. Other ids get :data:`GENERIC_ASR_SPEC`."""

GENERIC_ASR_SPEC = AsrSpec(
    encodings=("array", "raw", "base64"), options=frozenset(_OPTION_FIELDS)
)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _options(model: str, spec: AsrSpec, p: TranscribeParams) -> dict[str, Any]:
    given = {name: getattr(p, name) for name in _OPTION_FIELDS if getattr(p, name) is not None}
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
    query: dict[str, str] | None = None
    if spec.query_options:
        query = {k: _query_value(v) for k, v in opts.items()} or None
    elif opts:
        raise InvalidInputError(
            f"{short(model)}: options ({', '.join(sorted(opts))}) cannot travel with a raw "
            "audio body; use encoding='array'"
        )
    check_raw(model, opts if spec.query_options else None, extra=p.extra)
    ctype = media or "application/octet-stream"
    return TaskRequest(model=model, data=data, content_type=ctype, query=query)


def build_transcribe_request(
    model: str, audio: bytes, params: TranscribeParams | None = None
) -> TaskRequest:
    """The request for one audio file, encoded the way ``model`` expects."""
    p = params or TranscribeParams()
    spec = ASR_SPECS.get(model, GENERIC_ASR_SPEC)
    data = require_bytes(model, "audio", audio)
    encoding = spec.encodings[0] if p.encoding == "auto" else p.encoding
    if encoding not in spec.encodings:
        raise InvalidInputError(
            f"{short(model)} cannot take audio as {encoding}; it takes "
            f"{' or '.join(spec.encodings)}"
        )
    opts = _options(model, spec, p)
    if encoding == "raw":
        return _raw_request(model, spec, data, p, opts)
    audio_value: Any = uint8_list(data) if encoding == "array" else b64encode(data)
    body = {"audio": audio_value, **opts}
    check_body(model, body, extra=p.extra)
    return TaskRequest(model=model, inputs=body)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _word(item: Any) -> Word | None:
    if not isinstance(item, dict):
        return None
    text = item.get("punctuated_word") or item.get("word")
    if not isinstance(text, str):
        return None
    speaker = item.get("speaker")
    return Word(
        text=text.strip(),
        start=_num(item.get("start")),
        end=_num(item.get("end")),
        confidence=_num(item.get("confidence")),
        speaker=speaker if isinstance(speaker, int) else None,
    )


def _words(items: Any) -> list[Word]:
    if not isinstance(items, list):
        return []
    return [w for w in map(_word, items) if w is not None]


def _segments(items: Any, text_key: str) -> list[Segment]:
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            text = item.get(text_key)
            out.append(Segment(
                text=text.strip() if isinstance(text, str) else "",
                start=_num(item.get("start")),
                end=_num(item.get("end")),
                words=_words(item.get("words")),
            ))
    return out


def _whisper(model: str, out: dict[str, Any], meta: ResponseMeta) -> Transcript:
    text = out.get("text")
    if not isinstance(text, str):
        raise ResponseFormatError(f"{short(model)}: the transcript has no text")
    segments = _segments(out.get("segments"), "text")
    words = _words(out.get("words")) or [w for s in segments for w in s.words]
    info = out.get("transcription_info")
    info = info if isinstance(info, dict) else {}
    language = info.get("language")
    vtt = out.get("vtt")
    return Transcript(
        text=text.strip(), words=words, segments=segments,
        language=language if isinstance(language, str) else None,
        duration=_num(info.get("duration")), vtt=vtt if isinstance(vtt, str) else None,
        model=model, raw=out, meta=meta,
    )


def _deepgram(model: str, out: dict[str, Any], meta: ResponseMeta) -> Transcript:
    results = expect_dict(model, out.get("results"))
    channels = results.get("channels")
    channel = channels[0] if isinstance(channels, list) and channels else {}
    alts = channel.get("alternatives") if isinstance(channel, dict) else None
    alt = alts[0] if isinstance(alts, list) and alts and isinstance(alts[0], dict) else None
    if alt is None or not isinstance(alt.get("transcript"), str):
        raise ResponseFormatError(f"{short(model)}: the transcript has no alternatives")
    language = channel.get("detected_language")
    metadata = out.get("metadata")
    return Transcript(
        text=alt["transcript"].strip(), words=_words(alt.get("words")),
        segments=_segments(results.get("utterances"), "transcript"),
        language=language if isinstance(language, str) else None,
        duration=_num(metadata.get("duration")) if isinstance(metadata, dict) else None,
        model=model, raw=out, meta=meta,
    )


def parse_transcript(model: str, reply: TaskReply) -> Transcript:
    """A Whisper or Deepgram output object as a :class:`Transcript` (shape-detected)."""
    out = expect_dict(model, reply.result)
    if "results" in out:
        return _deepgram(model, out, reply.response_meta)
    return _whisper(model, out, reply.response_meta)


def transcribe(
    client: SupportsTasks,
    model: str,
    audio: bytes,
    params: TranscribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Transcript:
    """Transcribe one audio file (WAV, MP3, ... bytes) with timings.

    Example::

        t = transcribe(client, "@cf/openai/whisper-large-v3-turbo", open("a.mp3", "rb").read())
        print(t.text, t.words[0].start)
    """
    req = build_transcribe_request(model, audio, params)
    return parse_transcript(model, send(client, req, options))


async def atranscribe(
    client: SupportsAsyncTasks,
    model: str,
    audio: bytes,
    params: TranscribeParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Transcript:
    """Async :func:`transcribe`."""
    req = build_transcribe_request(model, audio, params)
    return parse_transcript(model, await asend(client, req, options))
