"""``WorkersAIRerank``: a LlamaIndex node postprocessor backed by a Workers AI reranker."""

from __future__ import annotations

from typing import Any

from llama_index.core.callbacks import CBEventType, EventPayload
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.events.rerank import ReRankEndEvent, ReRankStartEvent
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle
from pydantic import AliasChoices, Field

from workersai.integration import DEFAULT_RERANK_MODEL
from workersai.types import RerankResult

from ._common import ClientFields

__all__ = ["WorkersAIRerank", "DEFAULT_RERANK_MODEL"]


dispatcher = get_dispatcher(__name__)


class WorkersAIRerank(ClientFields, BaseNodePostprocessor):
    """Rerank retrieved nodes with a Workers AI reranker (bge-reranker-base, -v2-m3).

    Returns new ``NodeWithScore``s, best first, at most ``top_n`` of them.

    Example:
        .. code-block:: python

            from llamaindex_workersai import WorkersAIRerank

            rerank = WorkersAIRerank(top_n=3)
            engine = index.as_query_engine(similarity_top_k=10, node_postprocessors=[rerank])
    """

    model: str = Field(
        default=DEFAULT_RERANK_MODEL,
        validation_alias=AliasChoices("model", "model_name"),
        description="Workers AI reranker model id (also accepted as model_name).",
    )
    top_n: int = Field(default=2, gt=0, description="How many nodes to keep.")

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAIRerank"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        query = self._start(nodes, query_bundle)
        if not nodes:
            return _end([])
        with self._callback_event(nodes, query) as event:
            results = self._sync_client().rerank(self.model, query, _texts(nodes),
                                                 top_k=self.top_n)
            new_nodes = _rescored(nodes, results, self.top_n, event)
        return _end(new_nodes)

    async def _apostprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        query = self._start(nodes, query_bundle)
        if not nodes:
            return _end([])
        with self._callback_event(nodes, query) as event:
            results = await self._async_client().rerank(self.model, query, _texts(nodes),
                                                        top_k=self.top_n)
            new_nodes = _rescored(nodes, results, self.top_n, event)
        return _end(new_nodes)

    def _start(self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None) -> str:
        """Send the start event and return the query text (``ValueError`` without one)."""
        dispatcher.event(
            ReRankStartEvent(
                query=query_bundle, nodes=nodes, top_n=self.top_n, model_name=self.model
            )
        )
        if query_bundle is None:
            raise ValueError("WorkersAIRerank needs a query: pass query_bundle or query_str.")
        return query_bundle.query_str

    def _callback_event(self, nodes: list[NodeWithScore], query: str) -> Any:
        """The legacy callback manager's RERANKING event around one request."""
        return self.callback_manager.event(
            CBEventType.RERANKING,
            payload={
                EventPayload.NODES: nodes,
                EventPayload.MODEL_NAME: self.model,
                EventPayload.QUERY_STR: query,
                EventPayload.TOP_K: self.top_n,
            },
        )


def _texts(nodes: list[NodeWithScore]) -> list[str]:
    return [n.node.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]


def _end(new_nodes: list[NodeWithScore]) -> list[NodeWithScore]:
    dispatcher.event(ReRankEndEvent(nodes=new_nodes))
    return new_nodes


def _rescored(
    nodes: list[NodeWithScore], results: list[RerankResult], top_n: int, event: Any
) -> list[NodeWithScore]:
    """New ``NodeWithScore``s for the scored documents, best first, cut to ``top_n``
    (also the end of the callback ``event``)."""
    ranked = sorted(results, key=lambda r: r.score, reverse=True)[:top_n]
    new_nodes = [NodeWithScore(node=nodes[r.index].node, score=r.score) for r in ranked]
    event.on_end(payload={EventPayload.NODES: new_nodes})
    return new_nodes
