"""Audio tasks on the wire: speech-to-text and text-to-speech.

Speech-to-text: Whisper takes a uint8 array or a raw body, Whisper-large-v3-turbo base64,
Deepgram nova-3 a raw body with options as query parameters (:data:`ASR_SPECS`). Replies
are read by shape, so an unknown ASR model still parses: a Deepgram
``{"results": {"channels": ...}}`` object or a Whisper ``{"text", "words"|"segments"}``
object, both as one neutral :class:`Transcript`.

Text-to-speech: MeloTTS answers JSON with base64 MP3 (or raw audio), Deepgram Aura raw
audio; :data:`TTS_SPECS` names the field of the text and each option's wire name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..._task_types import Segment, SpeechAudio, Transcript, Word
from ...errors import ResponseFormatError
from ...types import ResponseMeta
from ._base import (
    TaskReply,
    TaskRequest,
    b64decode,
    b64encode,
    expect_dict,
    number,
    short,
    sniff_audio,
    uint8_list,
)

__all__ = [
    "ASR_OPTIONS",
    "ASR_SPECS",
    "AsrSpec",
    "GENERIC_ASR_SPEC",
    "transcribe_request",
    "parse_transcript",
    "AURA_1_VOICES",
    "GENERIC_TTS_SPEC",
    "TTS_OPTIONS",
    "TTS_SPECS",
    "TtsSpec",
    "speech_request",
    "parse_speech_reply",
]

# --- speech to text ------------------------------------------------------------------------

ASR_OPTIONS = ("language", "task", "initial_prompt", "vad_filter")
"""The :class:`TranscribeParams` fields that are model options."""


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
        encodings=("base64",), options=frozenset(ASR_OPTIONS)
    ),
    "@cf/deepgram/nova-3": AsrSpec(
        encodings=("raw",), options=frozenset({"language"}), query_options=True,
        needs_media_type=True,
    ),
}
"""Known speech-to-text models. Other ids get :data:`GENERIC_ASR_SPEC`."""

GENERIC_ASR_SPEC = AsrSpec(
    encodings=("array", "raw", "base64"), options=frozenset(ASR_OPTIONS)
)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def transcribe_request(model: str, data: bytes, encoding: str, options: dict[str, Any],
                       media_type: str | None = None) -> TaskRequest:
    """One audio file (checked) encoded as ``encoding``: a raw body labelled
    ``media_type`` with ``options`` as query parameters, or ``{"audio", **options}``."""
    if encoding == "raw":
        query = {k: _query_value(v) for k, v in options.items()} or None
        ctype = media_type or "application/octet-stream"
        return TaskRequest(model=model, data=data, content_type=ctype, query=query)
    audio: Any = uint8_list(data) if encoding == "array" else b64encode(data)
    return TaskRequest(model=model, inputs={"audio": audio, **options})


def _word(item: Any) -> Word | None:
    if not isinstance(item, dict):
        return None
    text = item.get("punctuated_word") or item.get("word")
    if not isinstance(text, str):
        return None
    speaker = item.get("speaker")
    return Word(
        text=text.strip(),
        start=number(item.get("start")),
        end=number(item.get("end")),
        confidence=number(item.get("confidence")),
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
                start=number(item.get("start")),
                end=number(item.get("end")),
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
        duration=number(info.get("duration")), vtt=vtt if isinstance(vtt, str) else None,
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
        duration=number(metadata.get("duration")) if isinstance(metadata, dict) else None,
        model=model, raw=out, meta=meta,
    )


def parse_transcript(model: str, reply: TaskReply) -> Transcript:
    """A Whisper or Deepgram output object as a :class:`Transcript` (shape-detected)."""
    out = expect_dict(model, reply.result)
    if "results" in out:
        return _deepgram(model, out, reply.response_meta)
    return _whisper(model, out, reply.response_meta)


# --- text to speech ------------------------------------------------------------------------

AURA_1_VOICES = (
    "angus", "asteria", "arcas", "orion", "orpheus", "athena", "luna", "zeus", "perseus",
    "helios", "hera", "stella",
)
_AURA_ENCODINGS = ("linear16", "flac", "mulaw", "alaw", "mp3", "opus", "aac")
_AURA_CONTAINERS = ("none", "wav", "ogg")
_AURA_WIRE = {
    "voice": "speaker", "encoding": "encoding", "container": "container",
    "sample_rate": "sample_rate", "bit_rate": "bit_rate",
}
TTS_OPTIONS = ("voice", "language", "encoding", "container", "sample_rate", "bit_rate")
"""The :class:`SpeechParams` fields that are model options."""


@dataclass(slots=True, frozen=True)
class TtsSpec:
    """How one text-to-speech model takes its text and options."""

    text_key: str
    wire: dict[str, str] = field(default_factory=dict)
    """Neutral :class:`SpeechParams` field -> wire field, for the options it takes."""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Allowed values for options with an enum in the model's schema."""


_AURA_CHOICES = {"encoding": _AURA_ENCODINGS, "container": _AURA_CONTAINERS}
TTS_SPECS: dict[str, TtsSpec] = {
    "@cf/myshell-ai/melotts": TtsSpec(text_key="prompt", wire={"language": "lang"}),
    "@cf/deepgram/aura-1": TtsSpec(
        text_key="text", wire=_AURA_WIRE, choices={**_AURA_CHOICES, "voice": AURA_1_VOICES}
    ),
    "@cf/deepgram/aura-2-en": TtsSpec(text_key="text", wire=_AURA_WIRE, choices=_AURA_CHOICES),
    "@cf/deepgram/aura-2-es": TtsSpec(text_key="text", wire=_AURA_WIRE, choices=_AURA_CHOICES),
}
"""Known text-to-speech models. Other ids get :data:`GENERIC_TTS_SPEC`."""

GENERIC_TTS_SPEC = TtsSpec(text_key="text")
"""For ids not in the table: ``{"text": ...}`` plus ``SpeechParams.extra`` as given."""


def speech_request(model: str, text: str, options: dict[str, Any],
                   extra: dict[str, Any]) -> TaskRequest:
    """The body speaking ``text``: the text under the model's key, each (checked) option
    under its wire name, then ``extra`` as given."""
    spec = TTS_SPECS.get(model, GENERIC_TTS_SPEC)
    body: dict[str, Any] = {spec.text_key: text}
    body.update({spec.wire[name]: value for name, value in options.items()})
    body.update(extra)
    return TaskRequest(model=model, inputs=body, binary_reply=True)


def parse_speech_reply(model: str, reply: TaskReply) -> SpeechAudio:
    """Raw audio bytes, or the base64 ``audio`` of a JSON reply, as :class:`SpeechAudio`."""
    if reply.data is not None:
        data = reply.data
        media = reply.content_type if reply.content_type.startswith("audio/") else None
    else:
        data = b64decode(model, expect_dict(model, reply.result).get("audio"), "audio")
        media = None
    if not data:
        raise ResponseFormatError(f"{short(model)}: the reply holds no audio")
    media = media or sniff_audio(data) or "audio/mpeg"
    return SpeechAudio(data=data, media_type=media, model=model, meta=reply.response_meta)
