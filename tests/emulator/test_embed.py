"""Embeddings and reranking: dimensions, unit vectors, meaning, forms, OpenAI shape."""

from __future__ import annotations

import math

import pytest

from workersai.catalog import MODELS
from workersai.emulator._app import Emulator

from .helpers import BGE_BASE, BGE_M3, BGE_SMALL, QWEN3_EMB, RERANKER, call, run

EMBEDDERS = [m for m in MODELS if m.task == "text-embeddings"]


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("info", EMBEDDERS, ids=lambda m: m.id)
def test_dimensions_and_unit_norm(emu: Emulator, info: object) -> None:
    model = info.id  # type: ignore[attr-defined]
    body = {"queries": ["a b", "c d"]} if model == QWEN3_EMB else {"text": ["a b", "c d"]}
    result = run(emu, model, body).result
    dim = info.dimensions  # type: ignore[attr-defined]
    assert result["shape"] == [2, dim]
    for vector in result["data"]:
        assert len(vector) == dim
        assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0, rel_tol=1e-9)
    assert ("pooling" in result) == (info.family == "bge")  # type: ignore[attr-defined]


def test_shared_words_are_closer(emu: Emulator) -> None:
    texts = ["The cat sat on the mat", "A cat was sitting on a mat", "Stock markets fell today"]
    a, b, c = run(emu, BGE_BASE, {"text": texts}).result["data"]
    assert _cos(a, b) > _cos(a, c)
    assert _cos(a, b) > 0.3
    assert abs(_cos(a, c)) < 0.2


def test_deterministic_and_single_string(emu: Emulator) -> None:
    one = run(emu, BGE_SMALL, {"text": "hello world"}).result
    assert one["shape"] == [1, 384] and len(one["data"]) == 1
    again = run(Emulator(seed=9), BGE_SMALL, {"text": ["hello world"]}).result
    assert one["data"] == again["data"]


def test_pooling_is_echoed_and_changes_vectors(emu: Emulator) -> None:
    mean = run(emu, BGE_SMALL, {"text": ["the same text"]}).result
    cls = run(emu, BGE_SMALL, {"text": ["the same text"], "pooling": "cls"}).result
    assert mean["pooling"] == "mean" and cls["pooling"] == "cls"
    assert mean["data"] != cls["data"]


def test_bge_m3_forms(emu: Emulator) -> None:
    plain = run(emu, BGE_M3, {"text": ["x y"], "truncate_inputs": True}).result
    assert set(plain) == {"shape", "data"} and plain["shape"] == [1, 1024]
    contexts = [{"text": "Cloudflare runs a global network"}, {"text": "Bananas are yellow"}]
    vectors = run(emu, BGE_M3, {"contexts": contexts}).result
    assert vectors["shape"] == [2, 1024] and len(vectors["response"]) == 2
    assert len(vectors["response"][0]) == 1024
    scored = run(emu, BGE_M3, {"query": "What does Cloudflare run?",
                               "contexts": contexts}).result
    assert [r["id"] for r in scored["response"]] == [0, 1]


def test_qwen3_queries_and_documents_share_a_space(emu: Emulator) -> None:
    q = run(emu, QWEN3_EMB, {"queries": "capital of France"}).result["data"][0]
    d = run(emu, QWEN3_EMB, {"documents": ["Paris is the capital of France",
                                           "Dogs bark loudly"]}).result["data"]
    assert _cos(q, d[0]) > _cos(q, d[1])
    both = run(emu, QWEN3_EMB, {"queries": ["a"], "documents": ["b", "c"]}).result
    assert both["shape"] == [3, 1024]


def test_reranker_orders_scores_and_cuts_top_k(emu: Emulator) -> None:
    contexts = [{"text": "Berlin is in Germany."}, {"text": "Paris is the capital of France."},
                {"text": "France has many cheeses."}]
    body = {"query": "What is the capital of France?", "contexts": contexts}
    ranked = run(emu, RERANKER, body).result["response"]
    assert [r["id"] for r in ranked] == [1, 2, 0]
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    top = run(emu, RERANKER, {**body, "top_k": 2}).result["response"]
    assert [r["id"] for r in top] == [1, 2]


def test_openai_embeddings_shape(emu: Emulator) -> None:
    obj = call(emu, "/v1/embeddings", {"model": BGE_BASE, "input": ["a cat", "a dog"]}).json
    assert obj["object"] == "list" and obj["model"] == BGE_BASE
    assert [d["index"] for d in obj["data"]] == [0, 1]
    assert all(d["object"] == "embedding" and len(d["embedding"]) == 768 for d in obj["data"])
    assert obj["usage"] == {"prompt_tokens": 4, "total_tokens": 4}
    single = call(emu, "/v1/embeddings", {"model": BGE_BASE, "input": "a cat"}).json
    assert len(single["data"]) == 1
    assert call(emu, "/v1/embeddings", {"model": BGE_BASE, "input": ""}).status == 400


def test_embedding_neurons_header(emu: Emulator) -> None:
    reply = run(emu, BGE_BASE, {"text": ["one two three"]})
    # $0.067 per M input tokens (published) = 6,090.9 neurons per M
    expected = 3 * 0.067 / 0.011e-3 / 1e6
    assert float(reply.headers["cf-ai-neurons"]) == pytest.approx(expected, abs=1e-4)


def test_repeated_batches_answer_the_same_vectors(emu: Emulator) -> None:
    texts = [f"document number {i} about topic {i % 97}" for i in range(100)]
    first = run(emu, BGE_BASE, {"text": texts}).json["result"]["data"]
    for _ in range(5):
        assert run(emu, BGE_BASE, {"text": texts}).json["result"]["data"] == first
    assert len(first) == 100 and len({tuple(v) for v in first}) == 100
