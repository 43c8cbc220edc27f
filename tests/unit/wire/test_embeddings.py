"""Embedding batches, request forms per model, and every embedding reply in the reference."""

from __future__ import annotations

import pytest

from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.types import EmbedParams, Usage
from workersai.wire import (
    build_embed_request,
    effective_batch_size,
    parse_embed_result,
    plan_batches,
    validate_texts,
)

from ._fixtures import body

BGE = "@cf/baai/bge-base-en-v1.5"
M3 = "@cf/baai/bge-m3"
QWEN3 = "@cf/qwen/qwen3-embedding-0.6b"
GEMMA = "@cf/google/embeddinggemma-300m"
UNKNOWN = "@cf/acme/embed-x"


@pytest.mark.parametrize(
    ("texts", "message"),
    [(["ok", ""], "text 1"), (["  \n"], "text 0"), (["a", "b", 3], "text 2 is a int")],
)
def test_validate_texts_names_the_index(texts: list, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        validate_texts(texts)


def test_validate_texts_accepts_good_input_and_refuses_a_bare_string() -> None:
    validate_texts(["a", " b "])
    validate_texts([])
    with pytest.raises(InvalidInputError):
        validate_texts("abc")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("model", "requested", "size"),
    [
        (BGE, None, 100),
        (BGE, 10, 10),
        (BGE, 500, 100),
        (QWEN3, None, 32),
        (QWEN3, 64, 32),
        (UNKNOWN, None, 100),
        (UNKNOWN, 7, 7),
    ],
)
def test_effective_batch_size(model: str, requested: int | None, size: int) -> None:
    assert effective_batch_size(model, requested) == size


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "10"])
def test_invalid_batch_sizes(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="batch_size"):
        effective_batch_size(BGE, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        plan_batches(10, bad)  # type: ignore[arg-type]


def test_plan_batches() -> None:
    assert plan_batches(0, 10) == []
    assert plan_batches(5, 2) == [range(0, 2), range(2, 4), range(4, 5)]
    assert plan_batches(4, 100) == [range(0, 4)]


def test_bge_request_from_the_reference() -> None:
    body_ = build_embed_request(
        BGE, ["The meaning of life is 42", "Document 2"], EmbedParams(pooling="cls")
    )
    assert body_ == {"text": ["The meaning of life is 42", "Document 2"], "pooling": "cls"}
    assert build_embed_request(BGE, ["a"], EmbedParams()) == {"text": ["a"]}


def test_bge_query_instruction_is_prepended() -> None:
    params = EmbedParams(kind="query", instruction="Represent this sentence: ")
    assert build_embed_request(BGE, ["cats"], params) == {"text": ["Represent this sentence: cats"]}
    assert build_embed_request(BGE, ["cats"], params, endpoint="openai") == {
        "model": BGE,
        "input": ["Represent this sentence: cats"],
    }


def test_qwen3_queries_with_instruction_and_documents() -> None:
    query = EmbedParams(kind="query", instruction="Find passages")
    assert build_embed_request(QWEN3, ["q"], query) == {
        "queries": ["q"],
        "instruction": "Find passages",
    }
    assert build_embed_request(QWEN3, ["q"], EmbedParams(kind="query")) == {"queries": ["q"]}
    assert build_embed_request(QWEN3, ["d"], EmbedParams()) == {"documents": ["d"]}
    with pytest.raises(InvalidInputError, match="queries"):
        build_embed_request(QWEN3, ["d"], EmbedParams(instruction="x"))
    with pytest.raises(InvalidInputError, match="native endpoint"):
        build_embed_request(QWEN3, ["q"], query, endpoint="openai")


def test_bge_m3_truncate_inputs_and_refusals() -> None:
    assert build_embed_request(M3, ["a"], EmbedParams(truncate_inputs=True)) == {
        "text": ["a"],
        "truncate_inputs": True,
    }
    with pytest.raises(InvalidInputError, match="pooling"):
        build_embed_request(M3, ["a"], EmbedParams(pooling="mean"))
    with pytest.raises(InvalidInputError, match="truncate_inputs"):
        build_embed_request(BGE, ["a"], EmbedParams(truncate_inputs=True))
    with pytest.raises(InvalidInputError, match="pooling"):
        build_embed_request(GEMMA, ["a"], EmbedParams(pooling="cls"))


def test_unknown_model_sends_what_is_set_and_extra_wins() -> None:
    params = EmbedParams(pooling="mean", truncate_inputs=False, extra={"pooling": "cls", "x": 1})
    assert build_embed_request(UNKNOWN, ["a"], params) == {
        "text": ["a"],
        "pooling": "cls",
        "truncate_inputs": False,
        "x": 1,
    }


def test_non_embedding_model_refused() -> None:
    with pytest.raises(InvalidInputError, match="not an embedding model"):
        build_embed_request("@cf/meta/llama-3.1-8b-instruct-fast", ["a"], EmbedParams())


def test_openai_request() -> None:
    assert build_embed_request(BGE, ["a", "b"], EmbedParams(), endpoint="openai") == {
        "model": BGE,
        "input": ["a", "b"],
    }


@pytest.mark.parametrize(
    ("name", "expected", "first"),
    [
        ("bge_cls.json", 2, [0.0076, 0.0290, -0.0112, 0.0531]),
        ("embeddinggemma.json", 3, [0.11, 0.22, 0.33]),
        ("bge_m3_text.json", 2, [0.1, 0.2, 0.3]),
        ("bge_m3_contexts.json", 2, [0.1, 0.2, 0.3]),
        ("openai_embeddings.json", 2, [0.1, 0.2]),
    ],
)
def test_every_embedding_reply(name: str, expected: int, first: list[float]) -> None:
    vectors, _ = parse_embed_result(body(name), expected=expected)
    assert len(vectors) == expected and vectors[0] == first


def test_openai_list_is_sorted_by_index_and_usage_read() -> None:
    vectors, usage = parse_embed_result(body("openai_embeddings.json"), expected=2)
    assert vectors == [[0.1, 0.2], [0.4, 0.5]]
    assert usage == Usage(9, 0, 9)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"shape": [1, 2]},
        {"data": [[0.1], "x"]},
        {"data": [[0.1], [0.2, "a"]]},
        {"data": [[0.1], [0.2, 0.3]]},
        {"data": [[], []]},
        {"data": [{"index": 0, "embedding": [1.0]}, {"index": 5, "embedding": [1.0]}]},
        {"data": [{"embedding": [1.0]}, {"embedding": [1.0]}]},
    ],
)
def test_bad_shapes_raise(bad: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_embed_result(bad, expected=2)


def test_count_mismatch_raises() -> None:
    with pytest.raises(ResponseFormatError, match="asked for 3 embeddings, got 2"):
        parse_embed_result(body("bge_cls.json"), expected=3)
