"""Embeddings and reranking with meaning, fast and deterministic (reference 4, 5, 8).

Vectors: a hashed bag of words. Each lower-cased, lightly stemmed word token (stopwords
are dropped unless a text has nothing else) is hashed (BLAKE2b, salted with the model id
and the pooling) to four of the model's dimensions with signs ``+-1``; a word's weight is
``1 + log(count)``; the vector is L2-normalised. Texts sharing words therefore have a
positive cosine similarity and texts sharing none are (nearly) orthogonal. ``cls`` and
``mean`` pooling use different salts, so their vectors differ (and are not comparable, as
on the real service). qwen3 ``queries`` and ``documents`` share one space. Vectors are
cached per (model, pooling, text).

Rerank scores (reranker, bge-m3 ``query`` + ``contexts``): with ``Q`` the query's content
words and ``D`` a context's, ``score = 0.001 + 0.998 * (0.7 * |Q & D| / |Q| + 0.3 *
|Q & D| / |Q | D|)``, in (0, 1); results sorted by score (then id) and cut to ``top_k``.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from typing import Any

from ..catalog import ModelInfo
from ._words import STOPWORDS, count_tokens, stem, word_tokens

__all__ = ["embed", "embed_texts", "rerank_scores", "run_embedding", "run_rerank",
           "openai_embeddings"]

_HASHES_PER_WORD = 4


@lru_cache(maxsize=262144)
def _slots(word: str, dim: int, salt: str) -> tuple[tuple[int, float], ...]:
    digest = hashlib.blake2b(f"{salt}\x00{word}".encode(), digest_size=16).digest()
    out = []
    for k in range(_HASHES_PER_WORD):
        chunk = int.from_bytes(digest[4 * k: 4 * k + 4], "little")
        out.append((chunk % dim, 1.0 if chunk & 0x80000000 else -1.0))
    return tuple(out)


def _terms(text: str) -> dict[str, int]:
    words = word_tokens(text)
    content = [stem(w) for w in words if w not in STOPWORDS] or words or [
        text.strip() or "<empty>"]
    counts: dict[str, int] = {}
    for term in content:
        counts[term] = counts.get(term, 0) + 1
    return counts


@lru_cache(maxsize=32768)
def embed(text: str, dim: int, salt: str) -> list[float]:
    """The unit vector of ``text`` in a ``dim``-dimensional space named by ``salt``."""
    weights: dict[int, float] = {}
    get = weights.get
    for term, count in _terms(text).items():
        weight = 1.0 if count == 1 else 1.0 + math.log(count)
        for index, sign in _slots(term, dim, salt):
            weights[index] = get(index, 0.0) + sign * weight
    norm = math.hypot(*weights.values()) or 1.0
    vector = [0.0] * dim
    for index, w in weights.items():
        vector[index] = w / norm
    return vector


def embed_texts(info: ModelInfo, texts: list[str], pooling: str = "mean") -> list[list[float]]:
    """Vectors for ``texts`` with the model's dimensions (catalog)."""
    dim = info.dimensions or 768
    salt = f"{info.id}|{pooling}"
    return [embed(t, dim, salt) for t in texts]


def _content(text: str) -> set[str]:
    words = word_tokens(text)
    return {stem(w) for w in words if w not in STOPWORDS} or set(words)


def rerank_scores(query: str, documents: list[str], top_k: int | None = None
                  ) -> list[dict[str, Any]]:
    """``[{"id", "score"}]`` best first, cut to ``top_k``."""
    asked = _content(query)
    scored = []
    for i, doc in enumerate(documents):
        have = _content(doc)
        shared = len(asked & have)
        recall = shared / len(asked) if asked else 0.0
        jaccard = shared / len(asked | have) if asked | have else 0.0
        score = 0.001 + 0.998 * (0.7 * recall + 0.3 * jaccard)
        scored.append({"id": i, "score": round(score, 6)})
    scored.sort(key=lambda r: (-r["score"], r["id"]))
    return scored[:top_k] if top_k is not None else scored


def _as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def _tokens(texts: list[str]) -> int:
    return sum(count_tokens(t) for t in texts)


def run_embedding(info: ModelInfo, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The native ``result`` for a (validated) embedding input, and its prompt tokens."""
    if info.family == "bge-m3" and "contexts" in body:
        contexts = [c["text"] for c in body["contexts"]]
        tokens = _tokens(contexts)
        if "query" in body:
            tokens += count_tokens(body["query"])
            return {"response": rerank_scores(body["query"], contexts)}, tokens
        vectors = embed_texts(info, contexts, "cls")
        return {"response": vectors, "shape": [len(vectors), info.dimensions],
                "pooling": "cls"}, tokens
    if info.id.startswith("@cf/qwen/qwen3-embedding"):
        texts = [t for key in ("queries", "documents", "text") if key in body
                 for t in _as_list(body[key])]
        vectors = embed_texts(info, texts)
        return {"data": vectors, "shape": [len(vectors), info.dimensions]}, _tokens(texts)
    texts = _as_list(body["text"])
    if info.family == "bge":
        pooling = body.get("pooling", "mean")
        vectors = embed_texts(info, texts, pooling)
        return {"shape": [len(vectors), info.dimensions], "data": vectors,
                "pooling": pooling}, _tokens(texts)
    vectors = embed_texts(info, texts)
    return {"shape": [len(vectors), info.dimensions], "data": vectors}, _tokens(texts)


def run_rerank(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The native ``result`` for a (validated) reranker input, and its prompt tokens."""
    contexts = [c["text"] for c in body["contexts"]]
    tokens = _tokens(contexts) + count_tokens(body["query"])
    return {"response": rerank_scores(body["query"], contexts, body.get("top_k"))}, tokens


def openai_embeddings(info: ModelInfo, texts: list[str]) -> tuple[dict[str, Any], int]:
    """The bare OpenAI list object of ``/ai/v1/embeddings``."""
    vectors = embed_texts(info, texts)
    tokens = _tokens(texts)
    data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
    return {"object": "list", "data": data, "model": info.id,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}, tokens
