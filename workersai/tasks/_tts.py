"""Text-to-speech: MeloTTS (JSON base64 MP3, or raw audio) and Deepgram Aura (raw audio).

The checks live here; the body and the reply are read by
:mod:`workersai.wire.tasks.audio`, whose per-model rules are data (:data:`TTS_SPECS`):
the field that carries the text, how each neutral option is named on the wire, and the
values a model accepts.
"""

from __future__ import annotations

from typing import Any

from .._task_types import SpeechAudio, SpeechParams
from ..config import RequestOptions
from ..errors import InvalidInputError
from ..wire.tasks import TaskRequest
from ..wire.tasks.audio import (
    AURA_1_VOICES,
    GENERIC_TTS_SPEC,
    TTS_OPTIONS,
    TTS_SPECS,
    TtsSpec,
    parse_speech_reply,
    speech_request,
)
from ._call import Planned, twins
from ._check import check_range, reject_unsupported, require_text, short
from ._conform import check_body

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
    given = {name: getattr(p, name) for name in TTS_OPTIONS if getattr(p, name) is not None}
    _check_options(model, spec, given)
    req = speech_request(model, text, given, p.extra)
    check_body(model, req.inputs or {}, extra=p.extra)
    return req


def _plan(
    model: str,
    text: str,
    params: SpeechParams | None = None,
    *,
    options: RequestOptions | None = None,
) -> Planned[SpeechAudio]:
    """Speak ``text``; returns the audio bytes and their media type.

    Example::

        params = SpeechParams(voice="luna")
        audio = synthesize_speech(client, "@cf/deepgram/aura-1", "Hello", params)
        audio.save("hello.mp3")
    """
    req = build_speech_request(model, text, params)
    return Planned(req, lambda reply: parse_speech_reply(model, reply), options)


synthesize_speech, asynthesize_speech = twins("synthesize_speech", _plan)
