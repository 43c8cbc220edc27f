"""Text-to-speech: MeloTTS (JSON base64 MP3, or raw audio) and Deepgram Aura (raw audio).

Per-model rules are data (:data:`TTS_SPECS`): the field that carries the text, how each
neutral option is named on the wire, and the values a model accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import RequestOptions
from ..errors import InvalidInputError, ResponseFormatError
from ._call import TaskReply, TaskRequest, asend, send
from ._check import (
    b64decode,
    check_range,
    expect_dict,
    reject_unsupported,
    require_text,
    short,
    sniff_audio,
)
from ._conform import check_body
from ._protocol import SupportsAsyncTasks, SupportsTasks
from ._types import SpeechAudio, SpeechParams

__all__ = [
    "GENERIC_TTS_SPEC",
    "TTS_SPECS",
    "TtsSpec",
    "AURA_1_VOICES",
    "build_speech_request",
    "parse_speech_reply",
    "synthesize_speech",
    "asynthesize_speech",
]

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

_OPTION_FIELDS = ("voice", "language", "encoding", "container", "sample_rate", "bit_rate")


def _check_options(model: str, spec: TtsSpec, given: dict[str, Any]) -> None:
    reject_unsupported(model, given, spec.wire)
    for name, allowed in spec.choices.items():
        value = given.get(name)
        if value is not None and value not in allowed:
            raise InvalidInputError(
                f"{short(model)}: {name}={value!r} is not one of {', '.join(allowed)}"
            )
    check_range(model, "sample_rate", given.get("sample_rate"), 1, None, integer=True)
    check_range(model, "bit_rate", given.get("bit_rate"), 1, None, integer=True)


def build_speech_request(
    model: str, text: str, params: SpeechParams | None = None
) -> TaskRequest:
    """The request to speak ``text``; raises ``InvalidInputError`` for refused options."""
    p = params or SpeechParams()
    spec = TTS_SPECS.get(model, GENERIC_TTS_SPEC)
    require_text(model, "text", text)
    given = {name: getattr(p, name) for name in _OPTION_FIELDS if getattr(p, name) is not None}
    _check_options(model, spec, given)
    body: dict[str, Any] = {spec.text_key: text}
    body.update({spec.wire[name]: value for name, value in given.items()})
    body.update(p.extra)
    check_body(model, body, extra=p.extra)
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


def synthesize_speech(
    client: SupportsTasks,
    model: str,
    text: str,
    params: SpeechParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> SpeechAudio:
    """Speak ``text``; returns the audio bytes and their media type.

    Example::

        params = SpeechParams(voice="luna")
        audio = synthesize_speech(client, "@cf/deepgram/aura-1", "Hello", params)
        audio.save("hello.mp3")
    """
    req = build_speech_request(model, text, params)
    return parse_speech_reply(model, send(client, req, options))


async def asynthesize_speech(
    client: SupportsAsyncTasks,
    model: str,
    text: str,
    params: SpeechParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> SpeechAudio:
    """Async :func:`synthesize_speech`."""
    req = build_speech_request(model, text, params)
    return parse_speech_reply(model, await asend(client, req, options))
