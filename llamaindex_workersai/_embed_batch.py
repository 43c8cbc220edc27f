"""One-call batch embedding for ``WorkersAIEmbedding``: events, progress and no lost work.

LlamaIndex's own ``get_text_embedding_batch`` sends one request per chunk and stops at the
first chunk that fails for good, dropping every finished vector. Here the whole list goes
to the core ``embed`` in one call (chunks of ``embed_batch_size``, ``num_workers`` at a
time), so a partial failure raises ``workersai.errors.BatchError`` naming the failed
inputs and keeping the finished vectors in ``err.results``. The framework's events,
callbacks, rate limiter and progress bar are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from llama_index.core.callbacks import CBEventType, EventPayload
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.embedding import (
    EmbeddingEndEvent,
    EmbeddingStartEvent,
)

from workersai.integration import progress

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding

__all__ = ["dispatcher", "embedding_events", "progress_bar"]

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
