"""Resumable bulk embedding jobs: an interrupted job restarts without paying again for
the batches that finished, with LangChain's ``CacheBackedEmbeddings`` over a
``LocalFileStore`` and with LlamaIndex's ``IngestionPipeline`` cache and
``embeddings_cache``. Each test fails one request midway (a 400, not retried), reruns the
job, and reads the emulator's request log: no finished text is requested twice."""

from __future__ import annotations

import json
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
from workersai.emulator.faults import BadInput
from workersai.errors import BatchError, WorkersAIError

pytestmark = pytest.mark.emulator

TEXTS = [f"Note {i}: Workers AI runs models on Cloudflare's network." for i in range(50)]


def _sent(emu: Emulator, start: int = 0) -> list[list[str]]:
    """The texts of each embedding request the emulator received from ``start`` on."""
    out = []
    for request in emu.requests[start:]:
        text = json.loads(request.body)["text"]
        out.append([text] if isinstance(text, str) else text)
    return out


@pytest.fixture
def emu() -> Emulator:
    return Emulator()


@pytest.fixture
def conn(emu: Emulator) -> Any:
    client, aclient = emulator_http_client(emu), emulator_async_http_client(emu)
    yield {"account_id": DEFAULT_ACCOUNT_ID, "api_token": DEFAULT_TOKEN,
           "http_client": client, "http_async_client": aclient, "max_retries": 0}
    client.close()


def _flat(batches: list[list[str]]) -> list[str]:
    return [t for batch in batches for t in batch]


def test_langchain_cache_backed_embeddings_resume(emu: Emulator, conn: dict[str, Any],
                                                   tmp_path: Path) -> None:
    from langchain_classic.embeddings import CacheBackedEmbeddings
    from langchain_classic.storage import LocalFileStore

    from langchain_workersai import WorkersAIEmbeddings

    def job() -> list[list[float]]:
        emb = WorkersAIEmbeddings(batch_size=10, **conn)
        cached = CacheBackedEmbeddings.from_bytes_store(
            emb, LocalFileStore(tmp_path / "cache"), namespace=emb.model.lstrip("@"),
            batch_size=10, key_encoder="sha256")
        return cached.embed_documents(TEXTS)

    emu.faults.add(BadInput("interrupted"), on=3)
    with pytest.raises(WorkersAIError):
        job()
    first = _sent(emu)
    assert len(first) == 3  # two batches finished, the third failed, the job stopped
    done = set(_flat(first[:2]))
    mark = len(emu.requests)
    vectors = job()
    again = _flat(_sent(emu, mark))
    assert len(vectors) == len(TEXTS) and all(vectors)
    assert not done & set(again)  # finished batches were not paid for again
    assert sorted(again) == sorted(set(TEXTS) - done)
    mark = len(emu.requests)
    assert job() == vectors and len(emu.requests) == mark  # a third run sends nothing


def _ingest(conn: dict[str, Any], store: Path, docs: list[Any]) -> list[Any]:
    """The documented resumable LlamaIndex job: the pipeline runs a slice at a time and
    persists its cache after each slice."""
    from llama_index.core.ingestion import IngestionPipeline

    from llamaindex_workersai import WorkersAIEmbedding

    pipeline = IngestionPipeline(
        transformations=[WorkersAIEmbedding(embed_batch_size=10, **conn)])
    if store.exists():
        pipeline.load(str(store))
    nodes: list[Any] = []
    for start in range(0, len(docs), 10):
        nodes += pipeline.run(documents=docs[start:start + 10])
        pipeline.persist(str(store))
    return nodes


def test_llamaindex_ingestion_cache_resume(emu: Emulator, conn: dict[str, Any],
                                           tmp_path: Path) -> None:
    from llama_index.core import Document

    docs = [Document(text=t, id_=f"doc-{i}") for i, t in enumerate(TEXTS)]
    emu.faults.add(BadInput("interrupted"), on=4)
    with pytest.raises(WorkersAIError):
        _ingest(conn, tmp_path / "pipeline", docs)
    first = _sent(emu)
    done = set(_flat(first[:3]))
    mark = len(emu.requests)
    nodes = _ingest(conn, tmp_path / "pipeline", docs)
    again = _flat(_sent(emu, mark))
    assert [n.text for n in nodes] == TEXTS and all(n.embedding for n in nodes)
    assert not done & set(again)
    assert sorted(again) == sorted(set(TEXTS) - done)


@pytest.mark.parametrize("use_async", [False, True])
def test_llamaindex_embeddings_cache_keeps_finished_batches(
        emu: Emulator, conn: dict[str, Any], use_async: bool) -> None:
    """Within one call: the batches that finished before a failure are cached, and the
    rerun sends only the failed batch (the batches still run concurrently)."""
    import asyncio

    from llama_index.core.storage.kvstore import SimpleKVStore

    from llamaindex_workersai import WorkersAIEmbedding

    emb = WorkersAIEmbedding(embed_batch_size=10, num_workers=1,
                             embeddings_cache=SimpleKVStore(), **conn)

    def run() -> list[list[float]]:
        if use_async:
            return asyncio.run(emb.aget_text_embedding_batch(TEXTS))
        return emb.get_text_embedding_batch(TEXTS)

    emu.faults.add(BadInput("interrupted"), on=2)
    with pytest.raises(BatchError) as info:
        run()
    assert info.value.failed_indices == list(range(10, 20))
    mark = len(emu.requests)
    vectors = run()
    assert _sent(emu, mark) == [TEXTS[10:20]]  # only the failed batch, once
    assert len(vectors) == 50 and all(vectors)
    assert vectors[:10] == info.value.results[:10]
    mark = len(emu.requests)
    assert run() == vectors and len(emu.requests) == mark
