"""The task build/parse pairs of ``workersai.wire.tasks``: bodies in the published shapes,
replies read into neutral results, malformed replies refused with ResponseFormatError."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from workersai._task_types import ImageParams
from workersai.errors import ResponseFormatError
from workersai.types import ResponseMeta
from workersai.wire.tasks import (
    TaskReply,
    parse_description,
    parse_detections,
    parse_image_reply,
    parse_labels,
    parse_speech_reply,
    parse_summary,
    parse_transcript,
    parse_translation_reply,
    query_request,
    read_raw,
    speech_request,
    summary_request,
    text_classification_request,
    text_to_image_request,
    transcribe_request,
    translation_requests,
)

FLUX = "@cf/black-forest-labs/flux-1-schnell"
SDXL = "@cf/stabilityai/stable-diffusion-xl-base-1.0"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
WAV = b"RIFF\x00\x00\x00\x00WAVEfmt "
META = ResponseMeta(request_id="r-1")


def test_text_to_image_names_steps_per_model_and_sends_only_what_is_given() -> None:
    flux = text_to_image_request(FLUX, "a fox", ImageParams(steps=4))
    assert flux.inputs == {"prompt": "a fox", "steps": 4} and not flux.binary_reply
    sd = text_to_image_request(SDXL, "a fox", ImageParams(steps=10, width=512, image=b"\x01\x02",
                                                          extra={"x": 1}))
    assert sd.inputs == {"prompt": "a fox", "width": 512, "num_steps": 10, "image": [1, 2],
                         "x": 1}
    assert sd.binary_reply


def test_image_reply_raw_or_base64() -> None:
    raw = parse_image_reply(SDXL, TaskReply(data=PNG, content_type="image/png", meta=META))
    assert raw.data == PNG and raw.media_type == "image/png" and raw.meta is META
    b64 = parse_image_reply(FLUX, TaskReply(result={"image": base64.b64encode(PNG).decode()}))
    assert b64.data == PNG and b64.media_type == "image/png"


def test_transcribe_bodies_per_encoding() -> None:
    raw = transcribe_request("@cf/deepgram/nova-3", WAV, "raw", {"language": "en",
                                                                 "smart_format": True},
                             "audio/wav")
    assert raw.data == WAV and raw.content_type == "audio/wav"
    assert raw.query == {"language": "en", "smart_format": "true"}
    array = transcribe_request("@cf/openai/whisper", b"\x01\x02", "array", {})
    assert array.inputs == {"audio": [1, 2]}
    b64 = transcribe_request("@cf/openai/whisper-large-v3-turbo", b"ab", "base64",
                             {"language": "fr"})
    assert b64.inputs == {"audio": "YWI=", "language": "fr"}


def test_transcripts_of_both_shapes() -> None:
    whisper = parse_transcript("m", TaskReply(result={
        "text": " hi there ", "words": [{"word": "hi", "start": 0, "end": 0.5}],
        "transcription_info": {"language": "en", "duration": 1.5}}))
    assert whisper.text == "hi there" and whisper.words[0].end == 0.5
    assert whisper.language == "en" and whisper.duration == 1.5
    deepgram = parse_transcript("m", TaskReply(result={"results": {"channels": [
        {"alternatives": [{"transcript": "hola", "words": [{"punctuated_word": "Hola"}]}],
         "detected_language": "es"}]}}))
    assert deepgram.text == "hola" and deepgram.words[0].text == "Hola"
    assert deepgram.language == "es"


def test_speech_body_uses_wire_names() -> None:
    aura = speech_request("@cf/deepgram/aura-1", "Hello", {"voice": "luna"}, {"x": 1})
    assert aura.inputs == {"text": "Hello", "speaker": "luna", "x": 1} and aura.binary_reply
    melo = speech_request("@cf/myshell-ai/melotts", "Hello", {"language": "fr"}, {})
    assert melo.inputs == {"prompt": "Hello", "lang": "fr"}


def test_speech_reply_raw_or_base64() -> None:
    raw = parse_speech_reply("m", TaskReply(data=b"ID3abc", content_type="audio/mpeg"))
    assert raw.data == b"ID3abc" and raw.media_type == "audio/mpeg"
    b64 = parse_speech_reply("m", TaskReply(result={"audio": base64.b64encode(WAV).decode()}))
    assert b64.data == WAV and b64.media_type == "audio/wav"


def test_translation_bodies_single_and_batched() -> None:
    single = translation_requests("@cf/meta/m2m100-1.2b", ["a", "b"], "fr", "en")
    assert [r.inputs for r in single] == [
        {"text": "a", "target_lang": "fr", "source_lang": "en"},
        {"text": "b", "target_lang": "fr", "source_lang": "en"}]
    batched = translation_requests("@cf/ai4bharat/indictrans2-en-indic-1B", ["a", "b", "c"],
                                   "hin_Deva", None, batch_size=2)
    assert [r.inputs for r in batched] == [
        {"text": ["a", "b"], "target_language": "hin_Deva"},
        {"text": ["c"], "target_language": "hin_Deva"}]
    assert parse_translation_reply("m", TaskReply(result={"translated_text": "x"})) == ["x"]
    assert parse_translation_reply("m", TaskReply(result={"translations": ["x", "y"]})) == [
        "x", "y"]


def test_labels_and_detections_best_first() -> None:
    assert text_classification_request("m", "I love it").inputs == {"text": "I love it"}
    labels = parse_labels("m", TaskReply(result=[{"label": "NEG", "score": 0.1},
                                                 {"label": "POS", "score": 0.9}]))
    assert [lab.label for lab in labels.labels] == ["POS", "NEG"]
    box = {"xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}
    found = parse_detections("m", TaskReply(result=[
        {"label": "cat", "score": 0.4, "box": box}, {"label": "dog", "score": 0.8, "box": box}]),
        min_score=0.5)
    assert [d.label for d in found.objects] == ["dog"] and found.objects[0].box.xmax == 3.0


def test_query_form_and_descriptions() -> None:
    req = query_request("m", PNG, {"prompt": "What?", "max_tokens": 5}, {"x": 1})
    assert req.inputs is not None
    assert req.inputs["image"].startswith("data:image/png;base64,")
    assert {k: v for k, v in req.inputs.items() if k != "image"} == {
        "task": "query", "question": "What?", "max_tokens": 5, "stream": False, "x": 1}
    assert parse_description("m", TaskReply(result={"answer": " a fox "})).text == "a fox"


def test_summary_chat_form_and_reply() -> None:
    req = summary_request("@cf/meta/llama-3.1-8b-instruct", "Long text.", 50)
    assert req.inputs is not None and req.inputs["max_tokens"] == 50
    assert [m["role"] for m in req.inputs["messages"]] == ["system", "user"]
    assert parse_summary("m", TaskReply(result={"response": " Short. "})).text == "Short."
    assert parse_summary("m", TaskReply(result={"summary": "S"})).text == "S"


def test_read_raw_keeps_json_result_or_bytes() -> None:
    json_reply = read_raw("application/json; charset=utf-8", b"", {"a": 1}, META)
    assert json_reply.result == {"a": 1} and json_reply.data is None
    binary = read_raw("image/png", PNG, None, None)
    assert binary.data == PNG and binary.content_type == "image/png"
    assert binary.response_meta == ResponseMeta()


MALFORMED: list[tuple[Callable[[str, TaskReply], Any], Any]] = [
    (parse_image_reply, {"image": "not base64!"}),
    (parse_image_reply, ["no", "object"]),
    (parse_transcript, {"words": []}),
    (parse_transcript, {"results": {"channels": []}}),
    (parse_speech_reply, {"audio": ""}),
    (parse_translation_reply, {"translations": [1]}),
    (parse_labels, [{"label": "x"}]),
    (parse_labels, {"label": "x", "score": 1}),
    (parse_detections, [{"label": "x", "score": 0.5, "box": {"xmin": 1}}]),
    (parse_description, {"text": 1}),
    (parse_summary, {"summary": None}),
]


@pytest.mark.parametrize(("parse", "result"), MALFORMED)
def test_malformed_replies_raise_response_format_error(
    parse: Callable[[str, TaskReply], Any], result: Any
) -> None:
    with pytest.raises(ResponseFormatError, match="model-x"):
        parse("@cf/a/model-x", TaskReply(result=result))
