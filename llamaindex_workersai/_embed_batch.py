"""One-call batch embedding for ``WorkersAIEmbedding``: events, progress and no lost work.

LlamaIndex's own ``get_text_embedding_batch`` sends one request per chunk and stops at the
first chunk that fails for good, dropping every finished vector. Here the whole list goes
to the core ``embed`` in one call (chunks of ``embed_batch_size``, ``num_workers`` at a
time), so a partial failure raises ``workersai.errors.BatchError`` naming the failed
inputs and keeping the finished vectors in ``err.results``. The framework's events,
callbacks, rate limiter and progress bar are kept. With ``embeddings_cache`` set, only
the texts the cache lacks are sent (still one concurrent core call), and every finished
vector is cached, those of a call that fails too, so a rerun pays only for what failed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from llama_index.core.callbacks import CBEventType, EventPayload
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.embedding import (
    EmbeddingEndEvent,
    EmbeddingStartEvent,
)

from workersai.errors import BatchError
from workersai.integration import progress

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding

__all__ = ["cache_lookup", "dispatcher", "embedding_events", "keep_finished", "progress_bar"]

dispatcher = get_dispatcher(__name__)

Progress = Callable[[int, int], None]


def progress_bar(show: bool, total: int) -> AbstractContextManager[Progress | None]:
    """An ``on_progress(done, total)`` callback (a tqdm bar when tqdm is installed, else a
    line on stderr), or None when ``show`` is false. ``total`` comes with each call."""
    del total
    return progress(show, "Generating embeddings")


class _Events:
    def __init__(self, end: Callable[[list[Embedding]], None]) -> None:
        self.end = end


@contextmanager
def embedding_events(model: BaseEmbedding, texts: list[str]) -> Iterator[_Events]:
    """The start/end instrumentation events and the EMBEDDING callback event around one
    batch call; call ``events.end(vectors)`` once the vectors are in."""
    payload: dict[str, Any] = model.to_payload()
    dispatcher.event(EmbeddingStartEvent(model_dict=payload))
    with model.callback_manager.event(
        CBEventType.EMBEDDING, payload={EventPayload.SERIALIZED: payload}
    ) as event:

        def end(vectors: list[Embedding]) -> None:
            event.on_end(payload={EventPayload.CHUNKS: texts, EventPayload.EMBEDDINGS: vectors})
            dispatcher.event(EmbeddingEndEvent(chunks=texts, embeddings=vectors))

        yield _Events(end)


_COLLECTION = "embeddings"
"""The collection LlamaIndex's own ``_get_text_embeddings_cached`` reads and writes."""


def cache_lookup(
    model: BaseEmbedding, texts: list[str]
) -> tuple[list[Embedding | None], list[int]]:
    """Vectors already in ``model.embeddings_cache`` (None where missing; all None without a
    cache) and the indices still to embed. Same keys and layout as LlamaIndex's per-chunk
    cached path, so the two share one cache."""
    cache = model.embeddings_cache
    if cache is None:
        return [None] * len(texts), list(range(len(texts)))
    found: list[Embedding | None] = []
    for text in texts:
        entry = cache.get(key=text, collection=_COLLECTION)
        found.append(next(iter(entry.values())) if entry else None)
    return found, [i for i, v in enumerate(found) if v is None]


def cache_store(model: BaseEmbedding, texts: list[str], found: list[Embedding | None],
                missing: list[int], vectors: list[Any]) -> None:
    """Put the freshly embedded ``vectors`` (one per ``missing`` index; None where a batch
    failed) into ``found`` and into the cache: paid work is kept even when the call fails."""
    cache = model.embeddings_cache
    for i, vector in zip(missing, vectors, strict=True):
        if vector is not None:
            found[i] = vector
            if cache is not None:
                cache.put(key=texts[i], val={str(uuid.uuid4()): vector},
                          collection=_COLLECTION)


@contextmanager
def keep_finished(model: BaseEmbedding, texts: list[str], found: list[Embedding | None],
                  missing: list[int]) -> Iterator[Callable[[list[Any]], None]]:
    """Around the core call for the ``missing`` texts: ``store(vectors)`` keeps a success;
    a ``BatchError`` has its finished vectors cached before it propagates."""
    try:
        yield lambda vectors: cache_store(model, texts, found, missing, vectors)
    except BatchError as err:
        cache_store(model, texts, found, missing, err.results)
        raise
