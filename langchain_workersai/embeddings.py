"""``WorkersAIEmbeddings``: Cloudflare Workers AI text embeddings for LangChain."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Literal

from langchain_core.embeddings import Embeddings
from pydantic import AliasChoices, ConfigDict, Field

from workersai import Pacing
from workersai.integration import DEFAULT_EMBED_MODEL, Progress, progress, queue_progress
from workersai.types import EmbeddingResult, EmbedParams

from ._common import MODEL_NAMES, ClientFields
from ._errors import WorkersAIResponseFormatError, reraise
from ._queued import queue_knobs

__all__ = ["WorkersAIEmbeddings", "DEFAULT_EMBED_MODEL", "DEFAULT_EMBEDDING_MODEL",
           "BGE_QUERY_INSTRUCTION"]

DEFAULT_EMBEDDING_MODEL = DEFAULT_EMBED_MODEL
"""The earlier name of :data:`DEFAULT_EMBED_MODEL` (both front ends now share the core's)."""
BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "
"""The query prefix the BGE v1.5 model card recommends for retrieval."""
_DESC = "Embedding documents"


class WorkersAIEmbeddings(ClientFields, Embeddings):
    """Cloudflare Workers AI embeddings, batched and bounded-concurrent, order preserved.

    Example:
        .. code-block:: python

            from langchain_workersai import WorkersAIEmbeddings

            emb = WorkersAIEmbeddings(model="@cf/baai/bge-base-en-v1.5")
            vectors = emb.embed_documents(["Paris is in France.", "Berlin is in Germany."])
            query = emb.embed_query("Where is Paris?")
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=DEFAULT_EMBED_MODEL, validation_alias=MODEL_NAMES)
    """Workers AI embedding model id."""
    batch_size: int | None = Field(default=None, gt=0)
    """Texts per request; defaults to the model's limit and is capped by it."""
    max_concurrency: int | None = Field(
        default=None, gt=0, validation_alias=AliasChoices("max_concurrency", "num_workers")
    )
    """Requests in flight at once (threads in sync, tasks in async); LlamaIndex's name
    ``num_workers`` is accepted too."""
    pacing: Pacing | None = None
    """Pace batches under the account's rate limit (``None``: on, the catalog's limit;
    ``Pacing(enabled=False)`` turns it off)."""
    query_instruction: str | None = None
    """Instruction for queries (bge: a prefix such as ``BGE_QUERY_INSTRUCTION``;
    qwen3-embedding: its ``instruction``)."""
    document_instruction: str | None = None
    """Instruction or prefix for documents, where the model takes one."""
    pooling: Literal["mean", "cls"] | None = None
    """bge pooling; ``cls`` vectors are not comparable with ``mean`` vectors."""
    truncate_inputs: bool | None = None
    """Let the model truncate over-long inputs instead of failing (bge-m3)."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Extra request body fields, sent as given."""
    show_progress_bar: bool = False
    """Show progress while embedding documents (and in the queued methods): a tqdm bar
    when tqdm is installed, else one line on stderr."""

    def _params(self, kind: Literal["query", "document"]) -> EmbedParams:
        return EmbedParams(
            kind=kind,
            pooling=self.pooling,
            truncate_inputs=self.truncate_inputs,
            instruction=self.query_instruction if kind == "query" else self.document_instruction,
            extra=dict(self.model_kwargs),
        )

    def _embed_kwargs(self, on_progress: Progress | None = None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "batch_size": self.batch_size, "max_concurrency": self.max_concurrency,
            "pacing": self.pacing}
        if on_progress is not None:
            kwargs["on_progress"] = on_progress
        return kwargs

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents; one vector per text, in input order."""
        if _empty(texts):  # no client, no request
            return []
        with reraise(), progress(self.show_progress_bar, _DESC) as on_progress:
            result = self._sync_client().embed(
                self.model, texts, self._params("document"), **self._embed_kwargs(on_progress)
            )
        return _vectors(result, len(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (with ``query_instruction`` where set)."""
        with reraise():
            result = self._sync_client().embed(self.model, [text], self._params("query"))
        return _vectors(result, 1)[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        """Async twin of :meth:`embed_documents` (native async I/O)."""
        if _empty(texts):  # no client, no request
            return []
        with reraise(), progress(self.show_progress_bar, _DESC) as on_progress:
            result = await self._async_client().embed(
                self.model, texts, self._params("document"), **self._embed_kwargs(on_progress)
            )
        return _vectors(result, len(texts))

    async def aembed_query(self, text: str) -> list[float]:
        """Async twin of :meth:`embed_query`."""
        with reraise():
            result = await self._async_client().embed(self.model, [text], self._params("query"))
        return _vectors(result, 1)[0]

    def _queue(self, queue: dict[str, Any]) -> AbstractContextManager[dict[str, Any]]:
        """The queue knobs; ``show_progress`` defaults to ``show_progress_bar``."""
        knobs = queue_knobs(dict(queue))
        knobs.setdefault("show_progress", self.show_progress_bar)
        return queue_progress(knobs, "Queued embeddings")

    def embed_documents_queued(self, texts: list[str], **queue: Any) -> list[list[float]]:
        """Embed documents through the Workers AI batch queue (``queueRequest``): for
        large offline jobs. One queued item per ``batch_size`` texts; vectors in input
        order. ``queue`` takes ``poll_interval``, ``backoff``, ``max_interval``,
        ``max_wait``, ``on_progress``, ``show_progress`` and ``max_payload_bytes`` (see
        ``workersai.batch``). Raises ``BatchError`` (finished vectors kept) when some items
        fail."""
        if _empty(texts):  # no client, no request
            return []
        with reraise(), self._queue(queue) as knobs:
            result = self._sync_client().batch.embed(
                self.model, texts, self._params("document"),
                batch_size=self.batch_size, **knobs,
            )
        return _vectors(result, len(texts))

    async def aembed_documents_queued(
        self, texts: list[str], **queue: Any
    ) -> list[list[float]]:
        """Async twin of :meth:`embed_documents_queued` (works over a binding)."""
        if _empty(texts):  # no client, no request
            return []
        with reraise(), self._queue(queue) as knobs:
            result = await self._async_client().batch.embed(
                self.model, texts, self._params("document"),
                batch_size=self.batch_size, **knobs,
            )
        return _vectors(result, len(texts))


def _empty(texts: object) -> bool:
    """An empty list or tuple; anything else (None, a str, ...) goes to the core, which
    refuses what is not a list of strings before any request."""
    return isinstance(texts, list | tuple) and not texts


def _vectors(result: EmbeddingResult, expected: int) -> list[list[float]]:
    """Float lists, after checking one vector came back per input. Vectors are handed on
    as decoded (no per-float copy: a bulk job holds millions); one whose numbers are all
    integers (``[1, 2]``, found by the type of its C-level ``sum``) becomes floats. An
    exact integer the server wrote without a decimal point among floats stays an ``int``,
    which computes and compares like the float."""
    if len(result.vectors) != expected:
        raise WorkersAIResponseFormatError(
            f"Workers AI returned {len(result.vectors)} embeddings for {expected} inputs"
        )
    return [v if type(sum(v)) is float else list(map(float, v)) for v in result.vectors]
