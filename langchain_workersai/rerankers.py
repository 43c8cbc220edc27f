"""``WorkersAIReranker``: a Workers AI reranker as a LangChain document compressor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import Callbacks
from langchain_core.documents import BaseDocumentCompressor, Document
from pydantic import ConfigDict, Field

from workersai.integration import DEFAULT_RERANK_MODEL
from workersai.types import RerankResult

from ._common import MODEL_NAMES, ClientFields
from ._errors import reraise

__all__ = ["WorkersAIReranker", "DEFAULT_RERANK_MODEL"]



class WorkersAIReranker(ClientFields, BaseDocumentCompressor):
    """Rerank documents by relevance to a query with a Workers AI reranker model.

    Returns copies of the documents, best first, with ``metadata["relevance_score"]``;
    inputs are never modified and ``Document.id`` is kept. Drop it into a
    ``ContextualCompressionRetriever`` to rerank a retriever's results.

    Example:
        .. code-block:: python

            from langchain_core.documents import Document
            from langchain_workersai import WorkersAIReranker

            reranker = WorkersAIReranker(top_n=2)
            docs = [Document("Paris is the capital of France."), Document("Berlin...")]
            best = reranker.compress_documents(docs, "capital of France")
            reranker.rerank(["a text", "another"], "query")  # [{"index", "relevance_score"}]
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=DEFAULT_RERANK_MODEL, validation_alias=MODEL_NAMES)
    """Workers AI reranker model id."""
    top_n: int | None = Field(default=3, gt=0)
    """How many documents to keep (``None``: all)."""
    score_threshold: float | None = None
    """Drop documents scoring below this."""

    def rerank(
        self,
        documents: Sequence[str | Document],
        query: str,
        *,
        top_n: int | None = None,
        model: str | None = None,
    ) -> list[dict[str, Any]]:
        """Score ``documents`` for ``query``: ``[{"index", "relevance_score"}]``, best first.

        ``top_n`` defaults to the instance's; ``index`` points into ``documents``.
        """
        if not documents:
            return []
        with reraise():
            results = self._sync_client().rerank(
                model or self.model, query, _texts(documents), top_k=top_n or self.top_n
            )
        return _ranked(results)

    async def arerank(
        self,
        documents: Sequence[str | Document],
        query: str,
        *,
        top_n: int | None = None,
        model: str | None = None,
    ) -> list[dict[str, Any]]:
        """Async twin of :meth:`rerank`."""
        if not documents:
            return []
        with reraise():
            results = await self._async_client().rerank(
                model or self.model, query, _texts(documents), top_k=top_n or self.top_n
            )
        return _ranked(results)

    def compress_documents(
        self, documents: Sequence[Document], query: str, callbacks: Callbacks | None = None
    ) -> Sequence[Document]:
        """The ``top_n`` most relevant documents as scored copies, best first."""
        return self._select(documents, self.rerank(documents, query))

    async def acompress_documents(
        self, documents: Sequence[Document], query: str, callbacks: Callbacks | None = None
    ) -> Sequence[Document]:
        """Async twin of :meth:`compress_documents`."""
        return self._select(documents, await self.arerank(documents, query))

    def _select(
        self, documents: Sequence[Document], ranked: list[dict[str, Any]]
    ) -> list[Document]:
        out = []
        for item in ranked:
            score = item["relevance_score"]
            if self.score_threshold is not None and score < self.score_threshold:
                continue
            doc = documents[item["index"]]
            metadata = {**doc.metadata, "relevance_score": score}
            out.append(doc.model_copy(update={"metadata": metadata}))
        return out[: self.top_n] if self.top_n else out


def _texts(documents: Sequence[str | Document]) -> list[str]:
    return [d.page_content if isinstance(d, Document) else d for d in documents]


def _ranked(results: list[RerankResult]) -> list[dict[str, Any]]:
    ordered = sorted(results, key=lambda r: r.score, reverse=True)
    return [{"index": r.index, "relevance_score": float(r.score)} for r in ordered]
