from __future__ import annotations

import base64
import json

import pytest

from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.tasks import (
    SpeechParams,
    TaskReply,
    asynthesize_speech,
    build_speech_request,
    parse_speech_reply,
    synthesize_speech,
)

from .conftest import Raw, Twin, json_raw

MELO = "@cf/myshell-ai/melotts"
AURA = "@cf/deepgram/aura-1"
PAIR = (synthesize_speech, asynthesize_speech)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00mp3-frames"


def test_melotts_json_base64(twin: Twin) -> None:
    reply = json_raw({"audio": base64.b64encode(MP3).decode()})
    audio = twin(PAIR, [reply], MELO, "Bonjour", SpeechParams(language="fr"))
    assert audio.data == MP3 and audio.media_type == "audio/mpeg" and audio.model == MELO
    (call,) = twin.calls
    assert call["kind"] == "raw" and call["content_type"] == "application/json"
    assert json.loads(call["body"]) == {"prompt": "Bonjour", "lang": "fr"}


def test_melotts_raw_audio_reply(twin: Twin) -> None:
    audio = twin(PAIR, [Raw(MP3, "audio/mpeg")], MELO, "hi")
    assert audio.data == MP3 and audio.media_type == "audio/mpeg"


def test_aura_options_are_renamed_for_the_wire(twin: Twin) -> None:
    params = SpeechParams(voice="luna", encoding="linear16", container="wav", sample_rate=16000,
                          bit_rate=32000)
    audio = twin(PAIR, [Raw(b"RIFF....WAVE", "audio/wav")], AURA, "Hello", params)
    assert audio.media_type == "audio/wav"
    assert json.loads(twin.calls[0]["body"]) == {
        "text": "Hello", "speaker": "luna", "encoding": "linear16", "container": "wav",
        "sample_rate": 16000, "bit_rate": 32000,
    }


@pytest.mark.parametrize(
    ("model", "params", "fragment"),
    [
        (MELO, SpeechParams(voice="luna"), "does not take voice"),
        (AURA, SpeechParams(language="en"), "does not take language"),
        (AURA, SpeechParams(voice="bob"), "voice='bob'"),
        (AURA, SpeechParams(encoding="wav"), "encoding='wav'"),
        (AURA, SpeechParams(container="mp4"), "container='mp4'"),
        (AURA, SpeechParams(sample_rate=0), "sample_rate"),
        ("@cf/x/new-tts", SpeechParams(voice="a"), "does not take voice"),
    ],
)
def test_refused_options(model: str, params: SpeechParams, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_speech_request(model, "hello", params)


def test_aura_2_takes_any_voice_and_unknown_models_take_extra() -> None:
    req = build_speech_request("@cf/deepgram/aura-2-en", "hi", SpeechParams(voice="thalia"))
    assert req.inputs == {"text": "hi", "speaker": "thalia"}
    req = build_speech_request("@cf/x/new-tts", "hi", SpeechParams(extra={"style": "calm"}))
    assert req.inputs == {"text": "hi", "style": "calm"} and req.binary_reply


@pytest.mark.parametrize("text", ["", "  ", None])
def test_text_required(text: object) -> None:
    with pytest.raises(InvalidInputError, match="text"):
        build_speech_request(AURA, text)  # type: ignore[arg-type]


def test_unlabelled_raw_audio_is_sniffed_or_assumed_mpeg() -> None:
    wav = parse_speech_reply(AURA, TaskReply(data=b"RIFF\0\0\0\0WAVE", content_type="binary/x"))
    assert wav.media_type == "audio/wav"
    other = parse_speech_reply(AURA, TaskReply(data=b"??", content_type="binary/x"))
    assert other.media_type == "audio/mpeg"


@pytest.mark.parametrize(
    "reply", [TaskReply(result={}), TaskReply(result={"audio": "!!"}), TaskReply(data=b"")]
)
def test_bad_replies(reply: TaskReply) -> None:
    with pytest.raises(ResponseFormatError):
        parse_speech_reply(MELO, reply)
