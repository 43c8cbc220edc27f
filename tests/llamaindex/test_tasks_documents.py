"""The audio reader and the document translator against the in-process emulator."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from llama_index.core import SimpleDirectoryReader
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.schema import Document, ImageNode, MetadataMode, TextNode

from llamaindex_workersai import WorkersAIAudioReader, WorkersAIDocumentTranslator
from tests._support import spy_on_async_translate
from workersai import errors as wa
from workersai.emulator._tasks import make_mp3, make_wav

from .conftest import Target

pytestmark = pytest.mark.emulator

WAV = make_wav("hello brave new world", seconds=2.0)
MP3 = make_mp3("the quick brown fox")
INDIC = "@cf/ai4bharat/indictrans2-en-indic-1B"


@pytest.fixture
def audio_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.wav").write_bytes(WAV)
    (tmp_path / "b.mp3").write_bytes(MP3)
    return tmp_path


def bodies(t: Target) -> list[Any]:
    return [json.loads(r.body) for r in t.emu.requests]


@pytest.mark.parametrize("use_async", [False, True])
async def test_turbo_reader_timings_and_options(
    emu_target: Target, audio_dir: Path, use_async: bool
) -> None:
    reader = WorkersAIAudioReader(**emu_target.kwargs, language="en", task="transcribe",
                                  initial_prompt="Intro:", additional_kwargs={"beam_size": 2})
    path = audio_dir / "a.wav"
    docs = await reader.aload_data(path) if use_async else reader.load_data(path)
    (doc,) = docs
    meta = doc.metadata
    assert doc.text == "Intro: hello brave new world" and meta["source"] == str(path)
    assert meta["language"] == "en" and meta["duration"] == 2.0 and meta["end"] == 2.0
    assert meta["words"][3] == {"text": "world", "start": 1.5, "end": 2.0}
    assert meta["segments"][0]["end"] == 2.0
    embedded = doc.get_content(MetadataMode.EMBED)
    assert "words" not in embedded and "segments" not in embedded and "language" in embedded
    (sent,) = bodies(emu_target)
    assert base64.b64decode(sent.pop("audio")) == WAV
    assert sent == {"language": "en", "task": "transcribe", "initial_prompt": "Intro:",
                    "beam_size": 2}


def test_reader_modes_models_and_directory_reader(emu_target: Target, audio_dir: Path) -> None:
    whisper = WorkersAIAudioReader(**emu_target.kwargs, model="@cf/openai/whisper",
                                   include_words=False)
    found = SimpleDirectoryReader(
        str(audio_dir), file_extractor={".wav": whisper, ".mp3": whisper}
    ).load_data()
    assert sorted(d.text for d in found) == ["hello brave new world", "the quick brown fox"]
    assert all("words" not in d.metadata and "file_name" in d.metadata for d in found)
    types = sorted(r.headers["content-type"] for r in emu_target.emu.requests)
    assert types == ["audio/mpeg", "audio/wav"]  # whisper: raw bodies
    segs = WorkersAIAudioReader(**emu_target.kwargs, mode="segments").load_data(
        [audio_dir / "a.wav"], extra_info={"speaker": "ana"})
    assert segs[0].metadata["segment"] == 0 and segs[0].metadata["speaker"] == "ana"
    nova = WorkersAIAudioReader(**emu_target.kwargs, model="@cf/deepgram/nova-3", language="en")
    (doc,) = nova.load_data(audio_dir / "b.mp3")
    assert doc.text == "the quick brown fox" and emu_target.emu.requests[-1].query == {
        "language": "en"}


def test_reader_errors(emu_target: Target, audio_dir: Path) -> None:
    with pytest.raises(wa.BadRequestError, match="beam_size"):
        WorkersAIAudioReader(**emu_target.kwargs, additional_kwargs={"beam_size": "x"}).load_data(
            audio_dir / "a.wav")
    with pytest.raises(wa.InvalidInputError, match="does not take language"):
        WorkersAIAudioReader(**emu_target.kwargs, model="@cf/openai/whisper",
                             language="en").load_data(audio_dir / "a.wav")
    assert len(emu_target.emu.requests) == 1


@pytest.mark.parametrize("use_async", [False, True])
async def test_translator_copies_nodes_with_languages(emu_target: Target, use_async: bool) -> None:
    translator = WorkersAIDocumentTranslator(**emu_target.kwargs, target_lang="fr")
    nodes = [Document(text="Hello", metadata={"page": 1}, id_="d1"), TextNode(text=" "),
             ImageNode(image="aGk="), TextNode(text="Bye")]
    out = await translator.acall(nodes) if use_async else translator(nodes)
    assert [n.get_content(MetadataMode.NONE) for n in out[:2]] == ["[fr] Hello", " "]
    assert out[0].node_id == "d1" and out[0].metadata == {
        "page": 1, "source_lang": None, "target_lang": "fr",
        "translation_model": "@cf/meta/m2m100-1.2b"}
    assert out[1] is nodes[1] and out[2] is nodes[2] and out[3].get_content() == "[fr] Bye"
    assert nodes[0].get_content() == "Hello" and nodes[0].metadata == {"page": 1}
    assert sorted(b["text"] for b in bodies(emu_target)) == ["Bye", "Hello"]


@pytest.mark.parametrize("use_async", [False, True])
async def test_translator_batches_and_overrides(emu_target: Target, use_async: bool) -> None:
    translator = WorkersAIDocumentTranslator(**emu_target.kwargs, model=INDIC,
                                             target_lang="hi", batch_size=2)
    docs = [Document(text=t) for t in ("one", "two", "three")]
    out = await translator.acall(docs) if use_async else translator(docs)
    assert [d.get_content() for d in out] == ["[hin_Deva] one", "[hin_Deva] two",
                                              "[hin_Deva] three"]
    assert sorted(len(b["text"]) for b in bodies(emu_target)) == [1, 2]
    again = translator(docs[:1], target_lang="bn", show_progress=False)
    assert again[0].get_content() == "[ben_Beng] one" and again[0].metadata["target_lang"] == "bn"


async def test_translator_in_an_ingestion_pipeline(emu_target: Target) -> None:
    pipeline = IngestionPipeline(transformations=[
        WorkersAIDocumentTranslator(**emu_target.kwargs, target_lang="de")])
    nodes = await pipeline.arun(documents=[Document(text="Good night")])
    assert [n.get_content() for n in nodes] == ["[de] Good night"]
    with pytest.raises(wa.InvalidInputError, match="English only"):
        WorkersAIDocumentTranslator(**emu_target.kwargs, model=INDIC, target_lang="hi",
                                    source_lang="fr")([Document(text="Bonjour")])


async def test_translator_passes_its_concurrency_and_batch_size(
    emu_target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy_on_async_translate(monkeypatch)
    translator = WorkersAIDocumentTranslator(**emu_target.kwargs, target_lang="fr",
                                             max_concurrency=3, batch_size=5)
    await translator.acall([Document(text="a")])
    assert seen == {"batch_size": 5, "max_concurrency": 3}
