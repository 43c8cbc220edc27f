"""``WorkersAIDocumentTranslator``: translate nodes in an ingestion pipeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.schema import BaseNode, MetadataMode, TransformComponent
from pydantic import Field

from workersai.integration import DEFAULT_TASK_MODELS
from workersai.tasks import Translation

from ._common import ClientFields

__all__ = ["WorkersAIDocumentTranslator"]


class WorkersAIDocumentTranslator(ClientFields, TransformComponent):
    """Translate the text of Documents and nodes; metadata is kept plus the languages.

    Returns copies (inputs are not changed; ids are kept) whose metadata adds
    ``source_lang``, ``target_lang`` and ``translation_model``. Nodes without text pass
    through. IndicTrans2 takes many texts per request (``batch_size``); m2m100 one per
    request, sent up to ``max_concurrency`` at a time by ``acall``. ``target_lang`` and
    ``source_lang`` may be given per call.

    Example:
        .. code-block:: python

            from llama_index.core.ingestion import IngestionPipeline
            from llamaindex_workersai import WorkersAIDocumentTranslator

            pipeline = IngestionPipeline(transformations=[
                WorkersAIDocumentTranslator(target_lang="fr"), splitter, embed_model])
            nodes = await pipeline.arun(documents=docs)
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["translate"],
        description="Translation model id (m2m100, indictrans2-en-indic...).",
    )
    target_lang: str = Field(description="Language to translate into (ISO 639-1 or FLORES).")
    source_lang: str | None = Field(
        default=None, description="Language of the text (None: the model's default)."
    )
    batch_size: int | None = Field(
        default=None, gt=0, description="Texts per request for models that batch."
    )
    max_concurrency: int = Field(default=4, gt=0, description="Requests in flight (async).")

    @classmethod
    def class_name(cls) -> str:
        return "WorkersAIDocumentTranslator"

    def _langs(self, kwargs: dict[str, Any]) -> tuple[str, str | None]:
        return kwargs.get("target_lang") or self.target_lang, kwargs.get(
            "source_lang", self.source_lang
        )

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        """Translated copies of ``nodes``, in order (other pipeline kwargs are ignored)."""
        target, source = self._langs(kwargs)
        todo = _todo(nodes)
        if not todo:
            return list(nodes)
        out = self._sync_client().tasks.translate(
            self.model, [_text(nodes[i]) for i in todo], target, source,
            batch_size=self.batch_size)
        return _merge(nodes, todo, out)

    async def acall(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        """Async :meth:`__call__`; requests run concurrently."""
        target, source = self._langs(kwargs)
        todo = _todo(nodes)
        if not todo:
            return list(nodes)
        out = await self._async_client().tasks.translate(
            self.model, [_text(nodes[i]) for i in todo], target,
            source, batch_size=self.batch_size, max_concurrency=self.max_concurrency,
        )
        return _merge(nodes, todo, out)


def _text(node: BaseNode) -> str:
    return node.get_content(metadata_mode=MetadataMode.NONE)


def _todo(nodes: Sequence[BaseNode]) -> list[int]:
    """Indices of the nodes with text to translate (Documents, text nodes, captions)."""
    return [i for i, n in enumerate(nodes) if _text(n).strip()]


def _merge(nodes: Sequence[BaseNode], todo: list[int], out: Translation) -> list[BaseNode]:
    texts = dict(zip(todo, out.texts, strict=True))
    langs = {"source_lang": out.source_lang, "target_lang": out.target_lang,
             "translation_model": out.model}
    result: list[BaseNode] = []
    for i, node in enumerate(nodes):
        if i in texts:
            node = node.model_copy(deep=True)
            node.set_content(texts[i])
            node.metadata = {**node.metadata, **langs}
        result.append(node)
    return result
