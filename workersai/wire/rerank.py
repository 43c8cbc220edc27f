"""Reranker requests and results (reference sections 5 and 4.3).

Request ``{"query", "contexts": [{"text"}], "top_k"}``; reply ``{"response": [{"id",
"score"}]}`` where ``id`` indexes ``contexts``. Results are validated, sorted best first
(ties by index) and cut to ``top_k`` here too, whatever the service did; so ``top_k`` is
not sent to a model whose published schema lacks it (bge-m3's query/contexts form).
"""

from __future__ import annotations

from typing import Any

from ..catalog import lookup
from ..catalog.facts import input_facts
from ..errors import InvalidInputError, ResponseFormatError
from ..types import RerankResult
from .families import RERANK_FAMILIES

__all__ = ["build_rerank_request", "parse_rerank_result"]


def _check_top_k(top_k: int | None) -> None:
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise InvalidInputError(f"top_k must be a positive integer, not {top_k!r}")


def build_rerank_request(
    model: str, query: str, documents: list[str], top_k: int | None
) -> dict[str, Any]:
    """The JSON body scoring ``documents`` against ``query``.

    Raises:
        InvalidInputError: a known model that is not a reranker, a blank query or
            document, no documents, or a bad ``top_k``.
    """
    info = lookup(model)
    if info is not None and info.family not in RERANK_FAMILIES:
        raise InvalidInputError(f"{model} is not a reranker")
    if not isinstance(query, str) or not query.strip():
        raise InvalidInputError("the rerank query must be a non-empty string")
    if not documents:
        raise InvalidInputError("rerank needs at least one document")
    for i, doc in enumerate(documents):
        if not isinstance(doc, str) or not doc.strip():
            raise InvalidInputError(f"document {i} is empty or not a string")
    _check_top_k(top_k)
    body: dict[str, Any] = {"query": query, "contexts": [{"text": d} for d in documents]}
    facts = input_facts(model)
    if top_k is not None and (facts is None or "top_k" in facts.fields):
        body["top_k"] = top_k
    return body


def _item(item: Any, n_documents: int) -> RerankResult:
    if not isinstance(item, dict):
        raise ResponseFormatError("rerank result item is not an object", body=repr(item))
    index, score = item.get("id"), item.get("score")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n_documents:
        raise ResponseFormatError(f"rerank id {index!r} is not an index into {n_documents} docs")
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise ResponseFormatError(f"rerank score {score!r} is not a number")
    return RerankResult(index=index, score=float(score))


def parse_rerank_result(result: Any, *, n_documents: int, top_k: int | None) -> list[RerankResult]:
    """Scored documents, best first, at most ``top_k``.

    Raises:
        ResponseFormatError: not a rerank reply, an id out of range or repeated, a bad
            score, or fewer scores than documents asked for (``min(top_k, documents)``).
    """
    items = result.get("response") if isinstance(result, dict) else result
    if not isinstance(items, list):
        raise ResponseFormatError("rerank reply has no result list", body=repr(result)[:200])
    results = [_item(item, n_documents) for item in items]
    if len({r.index for r in results}) != len(results):
        raise ResponseFormatError("rerank reply repeats a document id")
    _check_top_k(top_k)
    expected = n_documents if top_k is None else min(top_k, n_documents)
    if len(results) < expected:  # silently dropping documents would lose them
        missing = sorted(set(range(n_documents)) - {r.index for r in results})
        shown = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
        raise ResponseFormatError(
            f"the reranker scored {len(results)} of {expected} documents "
            f"(unscored: {shown})"
        )
    results.sort(key=lambda r: (-r.score, r.index))
    return results[:top_k] if top_k is not None else results
