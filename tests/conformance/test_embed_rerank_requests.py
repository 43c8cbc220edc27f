"""Every embeddings and rerank request ``Client.embed``/``Client.rerank`` build validates
against the model's published input schema.

For each embedding model and reranker in the snapshot, a matrix of scenarios (query or
document texts, instructions, pooling, truncation, full batches at the schema's
``maxItems``; rerank ``top_k`` below, at and above the number of documents) goes through
the public ``Client`` with a capturing transport. A scenario using an option the
model's schema lacks must be refused before sending, naming the model and the option;
every other one must send only bodies that validate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workersai import Client, Pacing, catalog
from workersai.catalog.facts import input_facts
from workersai.errors import BatchError, InvalidInputError
from workersai.types import EmbedParams

from ._schema import assert_conforms, is_retired, published
from ._tasks import as_schema_input, task_client

EMBEDDERS = [m for m in published("Text Embeddings") if not is_retired(m)]
RERANKERS = [m for m in published("Text Classification") + published("Text Embeddings")
             if catalog.require(m).family in ("reranker", "bge-m3") and not is_retired(m)]

Call = Callable[[Client, str], Any]


def _embed(params: EmbedParams | None = None, n: int = 2) -> Call:
    return lambda c, m: c.embed(m, [f"text number {i}" for i in range(n)], params,
                                max_concurrency=1, pacing=Pacing(enabled=False))


def _batch_limit(model: str) -> int:
    return catalog.require(model).batch_limit or 100


def _lacking(*names: str) -> Needs:
    return lambda fields: [n for n in names if n not in fields]


Needs = Callable[[frozenset[str]], list[str]]
"""The model's schema fields -> the names a scenario must be refused for (none: conforms)."""
NOTHING: Needs = _lacking()
# qwen3 takes ``instruction`` for queries only; elsewhere it prefixes the texts
QUERY_ONLY_INSTRUCTION: Needs = lambda f: ["instruction"] if "instruction" in f else []  # noqa: E731

EMBED_SCENARIOS: dict[str, tuple[Call, Needs]] = {
    "document": (_embed(), NOTHING),
    "one_text": (_embed(n=1), NOTHING),
    "query": (_embed(EmbedParams(kind="query")), NOTHING),
    "query_instruction": (_embed(EmbedParams(kind="query", instruction="Represent: ")),
                          NOTHING),
    "document_instruction": (_embed(EmbedParams(instruction="passage: ")),
                             QUERY_ONLY_INSTRUCTION),
    "pooling_mean": (_embed(EmbedParams(pooling="mean")), _lacking("pooling")),
    "pooling_cls": (_embed(EmbedParams(pooling="cls", kind="query")), _lacking("pooling")),
    "truncate": (_embed(EmbedParams(truncate_inputs=True)), _lacking("truncate_inputs")),
    "truncate_off_query": (_embed(EmbedParams(truncate_inputs=False, kind="query")),
                           _lacking("truncate_inputs")),
    "full_batches": (lambda c, m: _embed(n=2 * _batch_limit(m) + 1)(c, m), NOTHING),
}


def _refusal(exc: BaseException) -> BaseException:
    if isinstance(exc, BatchError) and exc.failed:
        return next(iter(exc.failed.values()))
    return exc


def _check(model: str, scenario: str, call: Call, needs: Needs) -> None:
    client, cap = task_client()
    missing = needs((input_facts(model) or pytest.fail(f"{model}: no facts")).fields)
    if missing:
        with pytest.raises((InvalidInputError, BatchError)) as info:
            call(client, model)
        refused = _refusal(info.value)
        assert isinstance(refused, InvalidInputError), refused
        assert model in str(refused) and missing[0] in str(refused), str(refused)
        assert cap.requests == [], f"{model} [{scenario}] sent a request it should refuse"
        return
    call(client, model)
    assert cap.requests, f"{model} [{scenario}] sent nothing"
    for request in cap.requests:
        assert_conforms(model, as_schema_input(model, request), scenario)


@pytest.mark.parametrize("scenario", sorted(EMBED_SCENARIOS))
@pytest.mark.parametrize("model", EMBEDDERS)
def test_embed_requests_conform(model: str, scenario: str) -> None:
    call, needs = EMBED_SCENARIOS[scenario]
    _check(model, scenario, call, needs)


def test_embedders_are_the_published_ones() -> None:
    assert len(EMBEDDERS) >= 8 and "@cf/qwen/qwen3-embedding-0.6b" in EMBEDDERS


def _rerank(top_k: int | None, n: int = 3) -> Call:
    docs = [f"document {i} about cats" for i in range(n)]
    return lambda c, m: c.rerank(m, "cats?", docs, top_k=top_k)


RERANK_SCENARIOS: dict[str, Call] = {
    "plain": _rerank(None),
    "one_document": _rerank(None, n=1),
    "top_k_1": _rerank(1),
    "top_k_all": _rerank(3),
    "top_k_above": _rerank(10),
    "many": _rerank(5, n=40),
}


@pytest.mark.parametrize("scenario", sorted(RERANK_SCENARIOS))
@pytest.mark.parametrize("model", RERANKERS)
def test_rerank_requests_conform(model: str, scenario: str) -> None:
    _check(model, scenario, RERANK_SCENARIOS[scenario], NOTHING)


@pytest.mark.parametrize("model", RERANKERS)
def test_top_k_is_applied_even_where_the_schema_has_no_top_k(model: str) -> None:
    client, cap = task_client()
    got = client.rerank(model, "q", ["a", "b", "c"], top_k=2)
    assert [r.index for r in got] == [0, 1]
    sent = as_schema_input(model, cap.requests[0])
    assert ("top_k" in sent) == ("top_k" in (input_facts(model) or pytest.fail()).fields)


def test_rerankers_are_the_published_ones() -> None:
    assert set(RERANKERS) == {"@cf/baai/bge-reranker-base", "@cf/baai/bge-m3"}
