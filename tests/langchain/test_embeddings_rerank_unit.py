"""WorkersAIEmbeddings and WorkersAIReranker against a scripted core."""

from __future__ import annotations

import pytest
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.exceptions import ModelAPIError
from langchain_core.retrievers import BaseRetriever

from langchain_workersai import BGE_QUERY_INSTRUCTION, WorkersAIEmbeddings, WorkersAIReranker
from workersai.types import EmbeddingResult, RerankResult

from ._fakes import FakeCore, install


def embeddings(**kw: object) -> tuple[WorkersAIEmbeddings, FakeCore]:
    emb = WorkersAIEmbeddings(**kw)  # type: ignore[arg-type]
    return emb, install(emb, FakeCore())


def test_documents_and_query_params() -> None:
    emb, core = embeddings(
        query_instruction=BGE_QUERY_INSTRUCTION,
        document_instruction="passage: ",
        pooling="cls",
        batch_size=2,
        max_concurrency=3,
        model_kwargs={"x": 1},
    )
    core.results += [EmbeddingResult([[1, 2], [3, 4]]), EmbeddingResult([[0.5, 0.5]])]
    assert emb.embed_documents(["a", "b"]) == [[1.0, 2.0], [3.0, 4.0]]
    vec = emb.embed_query("q")
    assert vec == [0.5, 0.5] and all(isinstance(v, float) for v in vec)
    doc_call, query_call = core.calls
    assert doc_call.params.kind == "document" and doc_call.params.instruction == "passage: "
    assert doc_call.params.pooling == "cls" and doc_call.params.extra == {"x": 1}
    assert doc_call.kwargs == {"batch_size": 2, "max_concurrency": 3, "pacing": None}
    assert query_call.params.kind == "query"
    assert query_call.params.instruction == BGE_QUERY_INSTRUCTION
    assert query_call.payload == ["q"]


def test_pacing_knob_reaches_the_core() -> None:
    from workersai import Pacing

    off = Pacing(enabled=False)
    emb, core = embeddings(pacing=off)
    core.results.append(EmbeddingResult([[0.5]]))
    emb.embed_documents(["a"])
    assert core.calls[0].kwargs["pacing"] is off


async def test_async_twins_and_empty_input() -> None:
    emb, core = embeddings()
    core.results += [EmbeddingResult([[1.0]]), EmbeddingResult([[2.0]])]
    assert await emb.aembed_documents(["a"]) == [[1.0]]
    assert await emb.aembed_query("b") == [2.0]
    assert await emb.aembed_documents([]) == []
    assert emb.embed_documents([]) == []
    assert [c.method for c in core.calls] == ["embed", "embed"]


def test_count_mismatch_is_an_error() -> None:
    emb, core = embeddings()
    core.results.append(EmbeddingResult([[1.0]]))
    with pytest.raises(ModelAPIError, match="1 embeddings for 2 inputs"):
        emb.embed_documents(["a", "b"])


def test_bad_settings_rejected() -> None:
    with pytest.raises(ValueError):
        WorkersAIEmbeddings(batch_size=0)
    with pytest.raises(ValueError):
        WorkersAIEmbeddings(pooling="max")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        WorkersAIEmbeddings(chunk_size=5)  # type: ignore[call-arg]


def reranker(**kw: object) -> tuple[WorkersAIReranker, FakeCore]:
    rr = WorkersAIReranker(**kw)  # type: ignore[arg-type]
    return rr, install(rr, FakeCore())


DOCS = [
    Document("Berlin is in Germany.", id="d0", metadata={"src": "a"}),
    Document("Paris is the capital of France.", id="d1", metadata={"src": "b"}),
    Document("France has cheese.", id="d2", metadata={"src": "c"}),
]
SCORES = [RerankResult(2, 0.4), RerankResult(0, 0.01), RerankResult(1, 0.98)]


def test_rerank_plain() -> None:
    rr, core = reranker()
    core.results.append(list(SCORES))
    assert rr.rerank(["x", "y", "z"], "capital", top_n=2, model="@cf/baai/bge-reranker-v2-m3") == [
        {"index": 1, "relevance_score": 0.98},
        {"index": 2, "relevance_score": 0.4},
        {"index": 0, "relevance_score": 0.01},
    ]
    (call,) = core.calls
    assert call.model == "@cf/baai/bge-reranker-v2-m3" and call.kwargs == {"top_k": 2}
    assert call.params == "capital" and call.payload == ["x", "y", "z"]


def test_compress_documents_contract() -> None:
    rr, core = reranker(top_n=2)
    core.results.append(list(SCORES))
    before = [d.model_copy(deep=True) for d in DOCS]
    out = rr.compress_documents(DOCS, "capital of France")
    assert [d.id for d in out] == ["d1", "d2"]
    assert [d.metadata for d in out] == [
        {"src": "b", "relevance_score": 0.98},
        {"src": "c", "relevance_score": 0.4},
    ]
    assert before == DOCS  # inputs untouched
    assert all(o is not d for o in out for d in DOCS)
    assert core.calls[0].payload == [d.page_content for d in DOCS]


def test_score_threshold_and_empty() -> None:
    rr, core = reranker(top_n=None, score_threshold=0.3)
    core.results.append(list(SCORES))
    assert [d.id for d in rr.compress_documents(DOCS, "q")] == ["d1", "d2"]
    assert rr.compress_documents([], "q") == []
    assert rr.rerank([], "q") == []
    assert len(core.calls) == 1


async def test_async_compress() -> None:
    rr, core = reranker(top_n=1)
    core.results.append(list(SCORES))
    out = await rr.acompress_documents(DOCS, "q")
    assert [(d.id, d.metadata["relevance_score"]) for d in out] == [("d1", 0.98)]
    assert await rr.acompress_documents([], "q") == []
    assert await rr.arerank([], "q") == []


class _ListRetriever(BaseRetriever):
    """A tiny in-memory retriever: every stored document containing a query word."""

    docs: list[Document]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        words = set(query.lower().split())
        return [d for d in self.docs if words & set(d.page_content.lower().rstrip(".").split())]


def test_inside_contextual_compression_retriever() -> None:
    module = pytest.importorskip("langchain_classic.retrievers.contextual_compression")
    rr, core = reranker(top_n=1)
    core.results.append([RerankResult(0, 0.2), RerankResult(1, 0.9)])
    retriever = module.ContextualCompressionRetriever(
        base_compressor=rr, base_retriever=_ListRetriever(docs=DOCS)
    )
    out = retriever.invoke("france")
    assert [(d.id, d.metadata["relevance_score"]) for d in out] == [("d2", 0.9)]
    assert core.calls[0].payload == [DOCS[1].page_content, DOCS[2].page_content]
