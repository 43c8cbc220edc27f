"""WorkersAIEmbeddings and WorkersAIReranker end to end against the emulator."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.exceptions import ModelInvalidRequestError

from langchain_workersai import BGE_QUERY_INSTRUCTION, WorkersAIEmbeddings, WorkersAIReranker
from workersai import errors as wa

pytestmark = pytest.mark.emulator

EmbFactory = Callable[..., WorkersAIEmbeddings]
RerankFactory = Callable[..., WorkersAIReranker]


def bodies(emulator: Any) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in emulator.requests]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


@pytest.mark.parametrize(
    ("batch_size", "requests"), [(None, 3), (500, 3), (40, 7)], ids=["default", "capped", "40"]
)
def test_batches_default_to_and_are_capped_by_the_model_limit(
    make_embeddings: EmbFactory, emulator: Any, batch_size: int | None, requests: int
) -> None:
    texts = [f"document number {i}" for i in range(250)]
    vectors = make_embeddings(batch_size=batch_size).embed_documents(texts)
    assert len(vectors) == 250 and len(vectors[0]) == 768
    assert len(emulator.requests) == requests
    assert max(len(b["text"]) for b in bodies(emulator)) <= 100


def test_order_is_preserved_across_concurrent_batches(
    make_embeddings: EmbFactory, emulator: Any
) -> None:
    texts = [f"topic {i} about item {i * 7}" for i in range(30)]
    emb = make_embeddings(batch_size=4, max_concurrency=4)
    batched = emb.embed_documents(texts)
    singles = [emb.embed_documents([t])[0] for t in texts[:5]]
    assert batched[:5] == singles
    assert all(isinstance(v, float) for v in batched[0])


async def test_async_batches(make_embeddings: EmbFactory, emulator: Any) -> None:
    texts = [f"text {i}" for i in range(25)]
    emb = make_embeddings(batch_size=10, max_concurrency=2)
    vectors = await emb.aembed_documents(texts)
    assert len(vectors) == 25 and len(emulator.requests) == 3
    assert vectors == emb.embed_documents(texts)
    assert len(await emb.aembed_query("text 3")) == 768


def test_meaningful_vectors(make_embeddings: EmbFactory) -> None:
    emb = make_embeddings()
    cat, kitten, tax = emb.embed_documents(
        ["the cat sat on the mat", "a cat on a mat", "quarterly tax filing deadline"]
    )
    assert cosine(cat, kitten) > cosine(cat, tax)


def test_empty_inputs(make_embeddings: EmbFactory, emulator: Any) -> None:
    emb = make_embeddings()
    assert emb.embed_documents([]) == []
    with pytest.raises(ValueError) as info:
        emb.embed_documents(["fine", ""])
    assert isinstance(info.value, ModelInvalidRequestError)
    assert isinstance(info.value, wa.InvalidInputError)
    with pytest.raises(ValueError):
        emb.embed_query("   ")
    assert emulator.requests == []


def test_query_instruction_and_pooling_reach_the_body(
    make_embeddings: EmbFactory, emulator: Any
) -> None:
    emb = make_embeddings(query_instruction=BGE_QUERY_INSTRUCTION, pooling="cls")
    emb.embed_query("where is paris")
    emb.embed_documents(["paris is in france"])
    query_body, doc_body = bodies(emulator)
    assert BGE_QUERY_INSTRUCTION in json.dumps(query_body)
    assert BGE_QUERY_INSTRUCTION not in json.dumps(doc_body)
    assert query_body["pooling"] == doc_body["pooling"] == "cls"


def test_qwen3_queries_and_documents(make_embeddings: EmbFactory, emulator: Any) -> None:
    emb = make_embeddings(model="@cf/qwen/qwen3-embedding-0.6b", query_instruction="Find the city.")
    assert len(emb.embed_query("where is paris")) == 1024
    assert len(emb.embed_documents([f"d{i}" for i in range(40)])) == 40
    query_body, *doc_bodies = bodies(emulator)
    assert "Find the city." in json.dumps(query_body)
    assert len(doc_bodies) == 2  # qwen3-embedding takes 32 texts per request


DOCS = [
    Document("Berlin is the capital of Germany.", id="de", metadata={"lang": "de"}),
    Document("Paris is the capital of France.", id="fr", metadata={"lang": "fr"}),
    Document("Bananas are yellow fruit.", id="ba", metadata={"lang": "en"}),
]


def test_reranker_contract(make_reranker: RerankFactory, emulator: Any) -> None:
    rr = make_reranker(top_n=2)
    before = [d.model_copy(deep=True) for d in DOCS]
    out = rr.compress_documents(DOCS, "What is the capital of France?")
    assert [d.id for d in out] == ["fr", "de"]
    scores = [d.metadata["relevance_score"] for d in out]
    assert scores == sorted(scores, reverse=True) and all(isinstance(s, float) for s in scores)
    assert out[0].metadata["lang"] == "fr"
    assert before == DOCS
    body = bodies(emulator)[-1]
    assert body["top_k"] == 2 and len(body["contexts"]) == 3
    ranked = rr.rerank([d.page_content for d in DOCS], "capital of France", top_n=3)
    assert ranked[0]["index"] == 1 and len(ranked) == 3
    assert rr.compress_documents([], "q") == [] and len(emulator.requests) == 2


async def test_reranker_async_and_threshold(make_reranker: RerankFactory, emulator: Any) -> None:
    rr = make_reranker(top_n=None, score_threshold=0.5)
    out = await rr.acompress_documents(DOCS, "What is the capital of France?")
    assert out and all(d.metadata["relevance_score"] >= 0.5 for d in out)
    assert "ba" not in {d.id for d in out}
    assert await rr.acompress_documents([], "q") == []
    assert len(emulator.requests) == 1


def test_embeddings_retry_and_dual_errors(make_embeddings: EmbFactory, emulator: Any) -> None:
    from langchain_core.exceptions import ModelAuthenticationError

    from workersai.emulator import RateLimited, Unauthorized

    emulator.faults.add(RateLimited(retry_after=0), times=1)
    assert len(make_embeddings().embed_documents(["a b c"])) == 1
    assert len(emulator.requests) == 2
    emulator.faults.add(Unauthorized())
    with pytest.raises(ModelAuthenticationError) as info:
        make_embeddings().embed_query("x")
    assert isinstance(info.value, wa.AuthenticationError)
    with pytest.raises(ModelAuthenticationError):
        make_reranker_for(make_embeddings).rerank(["a"], "q")


def make_reranker_for(make_embeddings: EmbFactory) -> WorkersAIReranker:
    """A reranker sharing the embeddings' emulator connection settings."""
    emb = make_embeddings()
    return WorkersAIReranker(
        account_id=emb.account_id,
        api_token=emb.api_token,
        base_url=emb.base_url,
        http_client=emb.http_client,
        http_async_client=emb.http_async_client,
    )


def test_secrets_absent_from_embeddings_and_reranker(
    make_embeddings: EmbFactory, make_reranker: RerankFactory
) -> None:
    from langchain_core.load import dumps

    for obj in (
        make_embeddings(api_token="sk-secret-xyz"),
        make_reranker(api_token="sk-secret-xyz"),
    ):
        for text in (repr(obj), str(obj), obj.model_dump_json(), dumps(obj)):
            assert "sk-secret-xyz" not in text
