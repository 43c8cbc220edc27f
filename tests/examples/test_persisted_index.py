"""The main job's RAG index is persisted in Qdrant's local mode: a second run embeds
nothing of the corpus (the emulator's request log says so), while
``WORKERSAI_EXAMPLE_INDEX=memory`` keeps the framework's in-memory store and embeds it on
every run."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workersai.emulator import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_TOKEN,
    Emulator,
    emulator_async_http_client,
    emulator_http_client,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.emulator


@pytest.fixture
def examples(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    yield
    for name in ("_connect", "_corpus", "_store", "langchain_pipeline", "llamaindex_pipeline"):
        sys.modules.pop(name, None)


@pytest.fixture
def emu() -> Emulator:
    return Emulator()


@pytest.fixture
def conn(emu: Emulator, examples: None) -> Iterator[Any]:
    from _connect import Connection

    client = emulator_http_client(emu)
    kwargs = {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN,
              "http_client": client, "http_async_client": emulator_async_http_client(emu)}
    yield Connection(live=False, banner="test", kwargs=kwargs)
    client.close()


def _corpus_embedded(emu: Emulator, start: int) -> int:
    """How many corpus documents the requests from ``start`` on asked to embed."""
    from _corpus import DOCUMENTS

    corpus = {text for _, text in DOCUMENTS}
    count = 0
    for request in emu.requests[start:]:
        if "/ai/run/@cf/baai/bge-base-en-v1.5" not in request.path:
            continue
        text = json.loads(request.body)["text"]
        texts = [text] if isinstance(text, str) else text
        count += sum(1 for t in texts if any(doc in t for doc in corpus))  # LlamaIndex
        # embeds "source: ...\n\n<text>"
    return count


def _run_twice(emu: Emulator, once: Any) -> list[int]:
    """Corpus embeds of two runs; between them the store's clients are closed, so the
    second run reads the index back from disk as a new process would."""
    import _store

    counts = []
    for _ in range(2):
        mark = len(emu.requests)
        once()
        counts.append(_corpus_embedded(emu, mark))
        _store.close_all()
    return counts


def _qdrant_files(root: Path) -> list[Path]:
    """The Qdrant collections stored under ``root`` (local mode keeps one SQLite file
    per collection)."""
    return sorted(root.rglob("collection/corpus/storage.sqlite"))


@pytest.mark.parametrize("where", ["disk", "memory"])
def test_langchain_index_is_embedded_once(emu: Emulator, conn: Any, where: str,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import langchain_pipeline

    from langchain_workersai import ChatWorkersAI

    monkeypatch.setenv("WORKERSAI_EXAMPLE_INDEX", str(tmp_path) if where == "disk" else where)
    llm = ChatWorkersAI(**conn.kwargs)
    counts = _run_twice(emu, lambda: langchain_pipeline.rag(conn, llm))
    assert counts == ([7, 0] if where == "disk" else [7, 7])
    out = capsys.readouterr().out
    assert out.count("A: Every account gets 10,000 free neurons per day") == 2
    assert ("nothing embedded" in out) == (where == "disk")
    assert len(_qdrant_files(tmp_path)) == (1 if where == "disk" else 0)
    assert ("nothing embedded" in out) == (where == "disk")
    assert len(_qdrant_files(tmp_path)) == (1 if where == "disk" else 0)


@pytest.mark.parametrize("where", ["disk", "memory"])
def test_llamaindex_index_is_embedded_once(emu: Emulator, conn: Any, where: str,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import llamaindex_pipeline
    from llama_index.core import Settings

    from llamaindex_workersai import WorkersAI, WorkersAIEmbedding

    monkeypatch.setenv("WORKERSAI_EXAMPLE_INDEX", str(tmp_path) if where == "disk" else where)
    saved = Settings._llm, Settings._embed_model
    Settings.llm = WorkersAI(**conn.kwargs)
    Settings.embed_model = WorkersAIEmbedding(**conn.kwargs)
    try:
        counts = _run_twice(emu, lambda: llamaindex_pipeline.rag(conn))
    finally:
        Settings._llm, Settings._embed_model = saved
    assert counts == ([7, 0] if where == "disk" else [7, 7])
    out = capsys.readouterr().out
    assert out.count("A: Every account gets 10,000 free neurons per day") == 2
    assert ("nothing embedded" in out) == (where == "disk")
    assert len(_qdrant_files(tmp_path)) == (1 if where == "disk" else 0)


def _leave_part_filled(framework: str, model: str) -> None:
    """What a run that failed midway leaves: the collection, holding one of the documents."""
    import _store
    from _corpus import DOCUMENTS
    from qdrant_client.models import Distance, PointStruct, VectorParams

    where = _store.index_dir(framework, model, False, DOCUMENTS)
    assert where is not None
    client = _store.qdrant(where)
    client.create_collection(_store.COLLECTION, VectorParams(size=768, distance=Distance.COSINE))
    client.upsert(_store.COLLECTION, [PointStruct(id=1, vector=[0.1] * 768, payload={})])
    _store.close_all()


@pytest.mark.parametrize("framework", ["langchain", "llamaindex"])
def test_a_part_filled_index_is_embedded_again(emu: Emulator, conn: Any, framework: str,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import _store
    import langchain_pipeline
    import llamaindex_pipeline
    from llama_index.core import Settings

    from langchain_workersai import WorkersAIEmbeddings
    from llamaindex_workersai import WorkersAIEmbedding

    monkeypatch.setenv("WORKERSAI_EXAMPLE_INDEX", str(tmp_path))
    saved = Settings._embed_model
    Settings.embed_model = WorkersAIEmbedding(**conn.kwargs)
    try:
        if framework == "langchain":
            _leave_part_filled(framework, WorkersAIEmbeddings(**conn.kwargs).model)
            build: Any = lambda: langchain_pipeline.vector_store(conn)  # noqa: E731
        else:
            _leave_part_filled(framework, Settings.embed_model.model_name)
            build = lambda: llamaindex_pipeline.vector_index(conn)  # noqa: E731
        counts = _run_twice(emu, build)
    finally:
        Settings._embed_model = saved
    assert counts == [7, 0]  # the part-filled index was dropped, then read back whole
    out = capsys.readouterr().out
    assert out.count("nothing embedded") == 1
    _store.close_all()
