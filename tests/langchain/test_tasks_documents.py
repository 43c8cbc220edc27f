"""Audio loader / blob parser and the document translator, against the emulator."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.document_loaders import Blob
from langchain_core.documents import Document

from langchain_workersai import WorkersAIBadRequestError, WorkersAIInvalidInputError
from langchain_workersai.document_loaders import WorkersAIAudioLoader, WorkersAIAudioParser
from langchain_workersai.document_transformers import WorkersAIDocumentTranslator
from tests._support import spy_on_async_translate
from workersai.emulator._tasks import make_mp3, make_wav

pytestmark = pytest.mark.emulator

WAV = make_wav("hello brave new world", seconds=2.0)
MP3 = make_mp3("the quick brown fox")


@pytest.fixture
def audio_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.wav").write_bytes(WAV)
    (tmp_path / "b.mp3").write_bytes(MP3)
    return tmp_path


def body(emulator: Any) -> Any:
    return json.loads(emulator.requests[-1].body)


@pytest.mark.parametrize("use_async", [False, True])
async def test_turbo_documents_carry_timings_and_options_reach_the_body(
    emu_kwargs: dict[str, Any], emulator: Any, audio_dir: Path, use_async: bool
) -> None:
    loader = WorkersAIAudioLoader(
        audio_dir / "a.wav", **emu_kwargs, language="en", task="transcribe",
        initial_prompt="Intro:", model_kwargs={"beam_size": 3},
    )
    docs = await loader.aload() if use_async else loader.load()
    (doc,) = docs
    assert doc.page_content == "Intro: hello brave new world"
    meta = doc.metadata
    assert meta["source"] == str(audio_dir / "a.wav") and meta["language"] == "en"
    assert meta["model"] == "@cf/openai/whisper-large-v3-turbo" and meta["duration"] == 2.0
    assert (meta["start"], meta["end"]) == (0.0, 2.0)
    assert [w["text"] for w in meta["words"]] == ["hello", "brave", "new", "world"]
    assert meta["words"][1] == {"text": "brave", "start": 0.5, "end": 1.0}
    assert meta["segments"] == [{"text": doc.page_content, "start": 0.0, "end": 2.0}]
    sent = body(emulator)
    assert base64.b64decode(sent.pop("audio")) == WAV
    assert sent == {"language": "en", "task": "transcribe", "initial_prompt": "Intro:",
                    "beam_size": 3}


def test_segments_mode_and_include_words(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    parser = WorkersAIAudioParser(**emu_kwargs, mode="segments", include_words=False)
    (doc,) = parser.parse(Blob.from_data(WAV, path="talk.wav"))
    assert doc.metadata["segment"] == 0 and doc.metadata["end"] == 2.0
    assert "words" not in doc.metadata and doc.metadata["source"] == "talk.wav"
    plain = WorkersAIAudioParser(**emu_kwargs, include_words=False).parse(Blob.from_data(WAV))
    assert "words" not in plain[0].metadata and "segments" in plain[0].metadata


@pytest.mark.parametrize("use_async", [False, True])
async def test_whisper_takes_a_raw_body(
    emu_kwargs: dict[str, Any], emulator: Any, audio_dir: Path, use_async: bool
) -> None:
    loader = WorkersAIAudioLoader(
        [audio_dir / "a.wav", audio_dir / "b.mp3"], **emu_kwargs, model="@cf/openai/whisper",
        mode="segments",
    )
    docs = await loader.aload() if use_async else loader.load()
    assert [d.page_content for d in docs] == ["hello brave new world", "the quick brown fox"]
    assert [r.headers["content-type"] for r in emulator.requests] == ["audio/wav", "audio/mpeg"]
    assert emulator.requests[1].body == MP3
    assert docs[0].metadata["words"][-1]["end"] == 2.0  # no segments: one Document a file
    assert docs[1].metadata["source"] == str(audio_dir / "b.mp3")


def test_nova3_raw_body_with_query_options(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    parser = WorkersAIAudioParser(**emu_kwargs, model="@cf/deepgram/nova-3", language="en",
                                  model_kwargs={"smart_format": True})
    (doc,) = parser.parse(Blob.from_data(MP3, path="call.mp3"))
    sent = emulator.requests[-1]
    assert sent.body == MP3 and sent.headers["content-type"] == "audio/mpeg"
    assert sent.query == {"language": "en", "smart_format": "true"}
    assert doc.page_content == "the quick brown fox"
    assert doc.metadata["words"][0]["confidence"] == 0.99


def test_audio_errors(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    parser = WorkersAIAudioParser(**emu_kwargs, model_kwargs={"beam_size": "wide"})
    with pytest.raises(WorkersAIBadRequestError, match="beam_size"):
        parser.parse(Blob.from_data(WAV))
    whisper = WorkersAIAudioParser(**emu_kwargs, model="@cf/openai/whisper", language="en")
    with pytest.raises(WorkersAIInvalidInputError, match="does not take language"):
        whisper.parse(Blob.from_data(WAV))
    with pytest.raises(TypeError, match="either"):
        WorkersAIAudioLoader("a.wav", parser=whisper, language="en")
    assert len(emulator.requests) == 1


def test_translator_keeps_metadata_ids_and_blank_documents(
    emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    docs = [Document("Hello", metadata={"page": 1}, id="d1"), Document("  "),
            Document("Bye", metadata={"page": 2})]
    out = WorkersAIDocumentTranslator(**emu_kwargs, target_lang="de").transform_documents(docs)
    assert [d.page_content for d in out] == ["[de] Hello", "  ", "[de] Bye"]
    assert out[0].id == "d1" and out[0].metadata == {
        "page": 1, "source_lang": None, "target_lang": "de",
        "translation_model": "@cf/meta/m2m100-1.2b"}
    assert out[1] is docs[1] and docs[0].page_content == "Hello" and docs[0].metadata == {
        "page": 1}
    assert [json.loads(r.body) for r in emulator.requests] == [
        {"text": "Hello", "target_lang": "de"}, {"text": "Bye", "target_lang": "de"}]


@pytest.mark.parametrize("use_async", [False, True])
async def test_translator_batches_for_indictrans_and_takes_per_call_languages(
    emu_kwargs: dict[str, Any], emulator: Any, use_async: bool
) -> None:
    translator = WorkersAIDocumentTranslator(
        **emu_kwargs, model="@cf/ai4bharat/indictrans2-en-indic-1B", target_lang="hi",
        batch_size=2,
    )
    docs = [Document(t) for t in ("one", "two", "three")]
    call = translator.atransform_documents if use_async else translator.transform_documents
    out = await call(docs) if use_async else call(docs)
    assert [d.page_content for d in out] == ["[hin_Deva] one", "[hin_Deva] two",
                                             "[hin_Deva] three"]
    assert sorted(len(json.loads(r.body)["text"]) for r in emulator.requests) == [1, 2]
    again = translator.transform_documents(docs[:1], target_lang="ta", source_lang="en")
    assert again[0].page_content == "[tam_Taml] one"
    assert again[0].metadata["target_lang"] == "ta" and again[0].metadata["source_lang"] == "en"
    with pytest.raises(TypeError, match="target_language"):
        translator.transform_documents(docs, target_language="ta")


async def test_translator_async_m2m100_keeps_order(emu_kwargs: dict[str, Any]) -> None:
    translator = WorkersAIDocumentTranslator(**emu_kwargs, target_lang="fr", max_concurrency=2)
    docs = [Document(f"text {i}") for i in range(5)]
    out = await translator.atransform_documents(docs)
    assert [d.page_content for d in out] == [f"[fr] text {i}" for i in range(5)]
    assert await translator.atransform_documents([Document("")]) == [Document("")]


def test_translator_refuses_before_any_request(emu_kwargs: dict[str, Any], emulator: Any) -> None:
    translator = WorkersAIDocumentTranslator(
        **emu_kwargs, model="@cf/ai4bharat/indictrans2-en-indic-1B", target_lang="fr"
    )
    with pytest.raises(WorkersAIInvalidInputError, match="FLORES"):
        translator.transform_documents([Document("Hello")])
    assert emulator.requests == []


def test_unknown_audio_bytes_take_their_type_from_the_file_name(
    emu_kwargs: dict[str, Any], emulator: Any
) -> None:
    parser = WorkersAIAudioParser(**emu_kwargs, model="@cf/deepgram/nova-3")
    (doc,) = parser.parse(Blob.from_data(b"\x01" * 64, path="memo.flac"))
    assert emulator.requests[-1].headers["content-type"] == "audio/flac" and doc.page_content
    with pytest.raises(WorkersAIInvalidInputError, match="cannot tell the audio format"):
        parser.parse(Blob.from_data(b"\x01" * 64))
    assert len(emulator.requests) == 1


async def test_translator_passes_its_concurrency_and_batch_size(
    emu_kwargs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy_on_async_translate(monkeypatch)
    translator = WorkersAIDocumentTranslator(**emu_kwargs, target_lang="fr", max_concurrency=3,
                                             batch_size=5)
    await translator.atransform_documents([Document("a")])
    assert seen == {"batch_size": 5, "max_concurrency": 3}
