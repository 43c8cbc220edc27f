"""Reranker request and replies (reference sections 5 and 4.3)."""

from __future__ import annotations

import pytest

from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.types import RerankResult
from workersai.wire import build_rerank_request, parse_rerank_result

from ._fixtures import body

RERANKER = "@cf/baai/bge-reranker-base"
QUERY = "What is the capital of France?"
DOCS = ["Paris is the capital of France.", "Berlin is in Germany."]


def test_request_from_the_reference() -> None:
    assert build_rerank_request(RERANKER, QUERY, DOCS, 2) == {
        "query": QUERY,
        "contexts": [{"text": DOCS[0]}, {"text": DOCS[1]}],
        "top_k": 2,
    }
    assert "top_k" not in build_rerank_request(RERANKER, QUERY, DOCS, None)
    assert build_rerank_request("@cf/baai/bge-m3", QUERY, DOCS, None)["query"] == QUERY


@pytest.mark.parametrize(
    ("model", "query", "docs", "top_k"),
    [
        ("@cf/baai/bge-base-en-v1.5", QUERY, DOCS, None),
        (RERANKER, " ", DOCS, None),
        (RERANKER, QUERY, [], None),
        (RERANKER, QUERY, ["a", ""], None),
        (RERANKER, QUERY, DOCS, 0),
        (RERANKER, QUERY, DOCS, True),
    ],
)
def test_refusals(model: str, query: str, docs: list[str], top_k: int | None) -> None:
    with pytest.raises(InvalidInputError):
        build_rerank_request(model, query, docs, top_k)


def test_reranker_reply() -> None:
    results = parse_rerank_result(body("reranker.json"), n_documents=2, top_k=None)
    assert results == [RerankResult(0, 0.998), RerankResult(1, 0.0012)]


def test_bge_m3_query_contexts_reply() -> None:
    results = parse_rerank_result(body("bge_m3_query_contexts.json"), n_documents=2, top_k=1)
    assert results == [RerankResult(0, 0.7397)]


def test_resorted_and_cut_client_side() -> None:
    result = {
        "response": [{"id": 2, "score": 0.1}, {"id": 0, "score": 0.5}, {"id": 1, "score": 0.9}]
    }
    assert [r.index for r in parse_rerank_result(result, n_documents=3, top_k=2)] == [1, 0]
    assert [
        r.index for r in parse_rerank_result(result["response"], n_documents=3, top_k=None)
    ] == [1, 0, 2]


@pytest.mark.parametrize(
    "bad",
    [
        {"response": [{"id": 2, "score": 0.1}]},
        {"response": [{"id": 0, "score": "x"}]},
        {"response": [{"id": 0, "score": 1}, {"id": 0, "score": 2}]},
        {"response": "x"},
        {"response": ["x"]},
        {"response": [{"id": True, "score": 1}]},
    ],
)
def test_bad_replies_raise(bad: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_rerank_result(bad, n_documents=2, top_k=None)
