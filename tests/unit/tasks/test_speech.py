from __future__ import annotations

import base64

import pytest

from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.tasks import (
    TaskReply,
    TranscribeParams,
    atranscribe,
    build_transcribe_request,
    parse_transcript,
    transcribe,
)

from .conftest import Raw, Run, Twin, json_raw

WHISPER = "@cf/openai/whisper"
TURBO = "@cf/openai/whisper-large-v3-turbo"
NOVA = "@cf/deepgram/nova-3"
PAIR = (transcribe, atranscribe)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(20)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(8)

WHISPER_OUT = {
    "text": " hello world ", "word_count": 2, "vtt": "WEBVTT\n\n",
    "words": [{"word": "hello", "start": 0, "end": 0.5}, {"word": "world", "start": 0.5,
                                                         "end": 1.0}],
}
TURBO_OUT = {
    "text": "hola mundo",
    "segments": [{"start": 0.0, "end": 1.2, "text": " hola mundo", "temperature": 0,
                  "words": [{"word": "hola", "start": 0.0, "end": 0.6},
                            {"word": "mundo", "start": 0.6, "end": 1.2}]}],
    "transcription_info": {"language": "es", "language_probability": 0.9, "duration": 1.5},
}
NOVA_OUT = {
    "results": {
        "channels": [{"detected_language": "en", "alternatives": [{
            "transcript": "Hello, world.", "confidence": 0.98,
            "words": [{"word": "hello", "punctuated_word": "Hello,", "start": 0.1, "end": 0.4,
                       "confidence": 0.97, "speaker": 0},
                      {"word": "world", "start": 0.5, "end": 0.9, "confidence": 0.99}]}]}],
        "utterances": [{"start": 0.1, "end": 0.9, "transcript": "Hello, world.",
                        "words": [{"word": "hello", "start": 0.1, "end": 0.4}]}],
    },
    "metadata": {"duration": 1.25},
}


def test_whisper_defaults_to_a_raw_body(twin: Twin) -> None:
    t = twin(PAIR, [json_raw(WHISPER_OUT)], WHISPER, WAV)
    (call,) = twin.calls
    assert call["kind"] == "raw" and call["body"] == WAV
    assert call["content_type"] == "audio/wav" and call["query"] is None
    assert t.text == "hello world" and t.vtt == "WEBVTT\n\n"
    assert [(w.text, w.start, w.end) for w in t.words] == [("hello", 0.0, 0.5),
                                                           ("world", 0.5, 1.0)]
    assert t.meta.request_id == "req-1" and t.model == WHISPER


def test_whisper_array_encoding_sends_uint8_list(twin: Twin) -> None:
    twin(PAIR, [Run(WHISPER_OUT)], WHISPER, b"\x00\x7f\xff", TranscribeParams(encoding="array"))
    (call,) = twin.calls
    assert call["kind"] == "run" and call["inputs"] == {"audio": [0, 127, 255]}


def test_turbo_sends_base64_with_options(twin: Twin) -> None:
    params = TranscribeParams(language="es", task="translate", initial_prompt="names: Ana",
                              vad_filter=True, extra={"beam_size": 3})
    t = twin(PAIR, [Run(TURBO_OUT)], TURBO, MP3, params)
    (call,) = twin.calls
    assert call["kind"] == "run"
    assert call["inputs"] == {"audio": base64.b64encode(MP3).decode(), "language": "es",
                              "task": "translate", "initial_prompt": "names: Ana",
                              "vad_filter": True, "beam_size": 3}
    assert t.language == "es" and t.duration == 1.5
    assert [s.text for s in t.segments] == ["hola mundo"]
    assert [w.text for w in t.words] == ["hola", "mundo"]  # flattened from segments


def test_nova_sends_raw_body_with_query_options(twin: Twin) -> None:
    params = TranscribeParams(language="en", media_type="audio/webm",
                              extra={"smart_format": True, "diarize": False})
    t = twin(PAIR, [json_raw(NOVA_OUT)], NOVA, b"opaque-audio", params)
    (call,) = twin.calls
    assert call["kind"] == "raw" and call["body"] == b"opaque-audio"
    assert call["content_type"] == "audio/webm"
    assert call["query"] == {"language": "en", "smart_format": "true", "diarize": "false"}
    assert t.text == "Hello, world." and t.language == "en" and t.duration == 1.25
    assert t.words[0] == t.words[0].__class__("Hello,", 0.1, 0.4, 0.97, 0)
    assert t.segments[0].text == "Hello, world." and t.segments[0].end == 0.9


def test_nova_sniffs_media_type_and_needs_one() -> None:
    assert build_transcribe_request(NOVA, MP3).content_type == "audio/mpeg"
    with pytest.raises(InvalidInputError, match="media_type"):
        build_transcribe_request(NOVA, b"opaque")


@pytest.mark.parametrize(
    ("model", "params", "fragment"),
    [
        (WHISPER, TranscribeParams(language="en"), "does not take language"),
        (WHISPER, TranscribeParams(encoding="base64"), "cannot take audio as base64"),
        (WHISPER, TranscribeParams(extra={"x": 1}), "cannot travel with a raw"),
        (TURBO, TranscribeParams(encoding="raw"), "cannot take audio as raw"),
        (TURBO, TranscribeParams(task="summarize"), "task must be"),  # type: ignore[arg-type]
        (NOVA, TranscribeParams(encoding="array"), "cannot take audio as array"),
        (NOVA, TranscribeParams(initial_prompt="x", media_type="audio/wav"), "initial_prompt"),
    ],
)
def test_refused_options(model: str, params: TranscribeParams, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_transcribe_request(model, WAV, params)


@pytest.mark.parametrize("audio", [b"", bytearray(), "not bytes", None])
def test_audio_must_be_non_empty_bytes(audio: object) -> None:
    with pytest.raises(InvalidInputError, match="audio"):
        build_transcribe_request(WHISPER, audio)  # type: ignore[arg-type]


def test_bytearray_and_memoryview_are_accepted() -> None:
    assert build_transcribe_request(WHISPER, bytearray(WAV)).data == WAV
    assert build_transcribe_request(WHISPER, memoryview(WAV)).data == WAV


def test_unknown_model_defaults_to_array_and_parses_by_shape() -> None:
    req = build_transcribe_request("@cf/x/new-asr", b"\x01", TranscribeParams(language="de"))
    assert req.inputs == {"audio": [1], "language": "de"}
    t = parse_transcript("@cf/x/new-asr", TaskReply(result=NOVA_OUT))
    assert t.text == "Hello, world."


@pytest.mark.parametrize(
    "result",
    [
        {"words": []},
        {"results": {"channels": []}},
        {"results": {"channels": [{"alternatives": [{"confidence": 1}]}]}},
        {"results": "nope"},
        ["text"],
    ],
)
def test_unreadable_transcripts(result: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_transcript(WHISPER, TaskReply(result=result))


def test_malformed_words_are_skipped_not_fatal() -> None:
    out = {"text": "a b", "words": [{"word": "a", "start": "x"}, "junk", {"start": 1},
                                    {"word": "b", "start": 1, "end": True}]}
    t = parse_transcript(WHISPER, TaskReply(result=out))
    assert [(w.text, w.start, w.end) for w in t.words] == [("a", None, None), ("b", 1.0, None)]


def test_raw_reply_through_run_raw_is_parsed(twin: Twin) -> None:
    twin(PAIR, [Raw(result=WHISPER_OUT)], WHISPER, MP3)
    assert twin.calls[0]["content_type"] == "audio/mpeg"
