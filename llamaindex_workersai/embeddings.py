"""``WorkersAIEmbedding``: a LlamaIndex ``BaseEmbedding`` for Workers AI embedding models."""

from __future__ import annotations

from typing import Any, Literal, cast

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.constants import DEFAULT_EMBED_BATCH_SIZE
from pydantic import AliasChoices, Field, model_validator

from workersai import Pacing, catalog
from workersai.errors import InvalidInputError
from workersai.integration import DEFAULT_EMBED_MODEL, queue_progress
from workersai.types import EmbedParams

from ._common import ClientFields
from ._embed_batch import (
    cache_lookup,
    dispatcher,
    embedding_events,
    keep_finished,
    progress_bar,
)

__all__ = ["WorkersAIEmbedding", "DEFAULT_EMBED_MODEL"]



def batch_limit(model: str) -> int:
    """The most texts one request may carry for ``model`` (LlamaIndex's 10 if unknown)."""
    info = catalog.lookup(model)
    return info.batch_limit if info is not None and info.batch_limit else DEFAULT_EMBED_BATCH_SIZE


def _text_list(texts: Any) -> list[str]:
    """``texts`` as a list, refusing what is not a list or tuple (a str would otherwise be
    embedded one character at a time) before any request; items are checked by the core."""
    if not isinstance(texts, list | tuple):
        raise InvalidInputError(f"texts must be a list of strings, not {type(texts).__name__}")
    return list(texts)


class WorkersAIEmbedding(ClientFields, BaseEmbedding):
    """Workers AI text embeddings (bge, bge-m3, qwen3-embedding, embeddinggemma, ...).

    ``embed_batch_size`` defaults to the model's per-request limit and is capped by it;
    ``num_workers`` bounds how many batches of *one* call run at once; independent calls
    (say 50 concurrent ``aget_query_embedding``) are never queued behind each other.

    Example:
        .. code-block:: python

            from llamaindex_workersai import WorkersAIEmbedding

            embed = WorkersAIEmbedding(model_name="@cf/baai/bge-base-en-v1.5")
            vector = embed.get_query_embedding("What is Workers AI?")
    """

    model_name: str = Field(
        default=DEFAULT_EMBED_MODEL,
        alias="model",  # the name type checkers see; model_name works too
        validation_alias=AliasChoices("model_name", "model"),
        description="Workers AI embedding model id (also accepted as model).",
    )
    query_instruction: str | None = Field(
        default=None, description="Instruction or prefix for queries (bge, qwen3)."
    )
    text_instruction: str | None = Field(
        default=None, description="Instruction or prefix for documents."
    )
    pooling: Literal["mean", "cls"] | None = Field(
        default=None, description="Pooling for bge models (model default when unset)."
    )
    truncate_inputs: bool | None = Field(
        default=None, description="Let the API truncate over-long inputs."
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request-body fields, sent as given."
    )
    pacing: Pacing | None = Field(
        default=None,
        description="Pace batches under the account's rate limit (default: on, catalog limit).",
    )

    @model_validator(mode="before")
    @classmethod
    def _batch_size_from_catalog(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        model = data.get("model_name") or data.get("model") or DEFAULT_EMBED_MODEL
        limit = batch_limit(catalog.resolve(str(model)))  # a short id counts as its full id
        size = data.get("embed_batch_size")
        data = dict(data)
        data["embed_batch_size"] = limit if size is None else min(int(size), limit)
        return data

    @model_validator(mode="after")
    def _warn_deprecated(self) -> WorkersAIEmbedding:
        catalog.warn_if_deprecated(self.model_name)
        return self

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAIEmbedding"

    @property
    def model(self) -> str:
        """The model id (same as ``model_name``)."""
        return self.model_name

    def _params(self, kind: Literal["query", "document"]) -> EmbedParams:
        return EmbedParams(
            kind=kind,
            pooling=self.pooling,
            truncate_inputs=self.truncate_inputs,
            instruction=self.query_instruction if kind == "query" else self.text_instruction,
            extra=dict(self.additional_kwargs),
        )

    def _embed(self, texts: list[str], kind: Literal["query", "document"]) -> list[Embedding]:
        result = self._sync_client().embed(
            self.model_name, texts, self._params(kind),
            batch_size=self.embed_batch_size, max_concurrency=self.num_workers, pacing=self.pacing,
        )
        return list(result.vectors)

    async def _aembed(
        self, texts: list[str], kind: Literal["query", "document"]
    ) -> list[Embedding]:
        result = await self._async_client().embed(
            self.model_name, texts, self._params(kind),
            batch_size=self.embed_batch_size, max_concurrency=self.num_workers, pacing=self.pacing,
        )
        return list(result.vectors)

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embed([query], "query")[0]

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return (await self._aembed([query], "query"))[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embed([text], "document")[0]

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return (await self._aembed([text], "document"))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embed(texts, "document")

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return await self._aembed(texts, "document")

    @dispatcher.span
    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[Embedding]:
        """Every text in one core call: batches of ``embed_batch_size``, ``num_workers``
        at a time, order kept. When some batches fail for good, raises
        ``workersai.errors.BatchError`` naming the failed inputs, with the finished
        vectors in ``err.results``. With ``embeddings_cache`` set, cached texts are not
        sent and every finished vector is cached, those of a failed call too, so a rerun
        pays only for the batches that failed."""
        texts = _text_list(texts)
        if not texts:
            return super().get_text_embedding_batch(texts, show_progress, **kwargs)
        with embedding_events(self, texts) as events, \
                progress_bar(show_progress, len(texts)) as on_progress:
            found, missing = cache_lookup(self, texts)
            if missing:
                if self.rate_limiter is not None:
                    self.rate_limiter.acquire()
                with keep_finished(self, texts, found, missing) as store:
                    store(self._sync_client().embed(
                        self.model_name, [texts[i] for i in missing], self._params("document"),
                        batch_size=self.embed_batch_size, max_concurrency=self.num_workers,
                        pacing=self.pacing, on_progress=on_progress,
                    ).vectors)
            vectors = cast("list[Embedding]", found)
            events.end(vectors)
        return vectors

    @dispatcher.span
    async def aget_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[Embedding]:
        """Async twin of :meth:`get_text_embedding_batch` (native async, bounded by
        ``num_workers``)."""
        texts = _text_list(texts)
        if not texts:
            return await super().aget_text_embedding_batch(texts, show_progress, **kwargs)
        with embedding_events(self, texts) as events, \
                progress_bar(show_progress, len(texts)) as on_progress:
            found, missing = cache_lookup(self, texts)
            if missing:
                if self.rate_limiter is not None:
                    await self.rate_limiter.async_acquire()
                with keep_finished(self, texts, found, missing) as store:
                    store((await self._async_client().embed(
                        self.model_name, [texts[i] for i in missing], self._params("document"),
                        batch_size=self.embed_batch_size, max_concurrency=self.num_workers,
                        pacing=self.pacing, on_progress=on_progress,
                    )).vectors)
            vectors = cast("list[Embedding]", found)
            events.end(vectors)
        return vectors

    def get_text_embedding_batch_queued(self, texts: list[str], **queue: Any) -> list[Embedding]:
        """Embed texts through the Workers AI batch queue (``queueRequest``): for large
        offline jobs. One queued item per ``embed_batch_size`` texts; vectors in input
        order. ``queue`` takes ``poll_interval``, ``backoff``, ``max_interval``,
        ``max_wait``, ``on_progress``, ``show_progress`` (a bar or a stderr line) and
        ``max_payload_bytes`` (see ``workersai.batch``). Raises
        ``workersai.errors.BatchError`` (finished vectors kept) when some fail."""
        with queue_progress(queue, "Queued embeddings") as knobs:
            result = self._sync_client().batch.embed(
                self.model_name, texts, self._params("document"),
                batch_size=self.embed_batch_size, **knobs,
            )
        return list(result.vectors)

    async def aget_text_embedding_batch_queued(
        self, texts: list[str], **queue: Any
    ) -> list[Embedding]:
        """Async twin of :meth:`get_text_embedding_batch_queued` (works over a binding)."""
        with queue_progress(queue, "Queued embeddings") as knobs:
            result = await self._async_client().batch.embed(
                self.model_name, texts, self._params("document"),
                batch_size=self.embed_batch_size, **knobs,
            )
        return list(result.vectors)
