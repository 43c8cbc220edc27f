"""Translate LangChain Documents with a Workers AI translation model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.documents import BaseDocumentTransformer, Document
from pydantic import ConfigDict, Field

from workersai.integration import DEFAULT_TASK_MODELS, reject_unknown
from workersai.tasks import Translation

from ._common import MODEL_NAMES, ClientFields
from ._errors import reraise

__all__ = ["WorkersAIDocumentTranslator"]

_CALL_KEYS = frozenset({"target_lang", "source_lang"})


class WorkersAIDocumentTranslator(ClientFields, BaseDocumentTransformer):
    """Translate each Document's text; metadata is kept plus the languages.

    Returns copies (inputs are not changed; ``Document.id`` is kept) whose metadata adds
    ``source_lang``, ``target_lang`` and ``translation_model``. Blank Documents pass
    through untranslated. IndicTrans2 takes many texts per request (``batch_size``);
    m2m100 one per request, sent up to ``max_concurrency`` at a time by the async method.
    ``target_lang``/``source_lang`` may be overridden per call.

    Example:
        .. code-block:: python

            from langchain_core.documents import Document
            from langchain_workersai.document_transformers import WorkersAIDocumentTranslator

            translator = WorkersAIDocumentTranslator(target_lang="de")
            docs = translator.transform_documents([Document("Good morning")])
            docs = await translator.atransform_documents(docs, target_lang="fr", source_lang="de")
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default=DEFAULT_TASK_MODELS["translate"], validation_alias=MODEL_NAMES)
    """Translation model id (m2m100, indictrans2-en-indic...)."""
    target_lang: str
    """Language to translate into (ISO 639-1; IndicTrans2 also takes FLORES codes)."""
    source_lang: str | None = None
    """Language of the Documents (``None``: the model's default, English for m2m100)."""
    batch_size: int | None = Field(default=None, gt=0)
    """Texts per request for models that batch (``None``: the core's default)."""
    max_concurrency: int = Field(default=4, gt=0)
    """Requests in flight at once (async)."""

    def _langs(self, kwargs: dict[str, Any]) -> tuple[str, str | None]:
        reject_unknown(kwargs, _CALL_KEYS, "WorkersAIDocumentTranslator")
        return kwargs.get("target_lang", self.target_lang), kwargs.get(
            "source_lang", self.source_lang
        )

    def transform_documents(self, documents: Sequence[Document], **kwargs: Any) -> list[Document]:
        """Translated copies of ``documents``, in order."""
        target, source = self._langs(kwargs)
        todo = _todo(documents)
        if not todo:
            return list(documents)
        with reraise():
            out = self._sync_client().tasks.translate(
                self.model, [documents[i].page_content for i in todo],
                target, source, batch_size=self.batch_size,
            )
        return self._merge(documents, todo, out)

    async def atransform_documents(
        self, documents: Sequence[Document], **kwargs: Any
    ) -> list[Document]:
        """Async :meth:`transform_documents`; requests run concurrently."""
        target, source = self._langs(kwargs)
        todo = _todo(documents)
        if not todo:
            return list(documents)
        with reraise():
            out = await self._async_client().tasks.translate(
                self.model, [documents[i].page_content for i in todo],
                target, source, batch_size=self.batch_size, max_concurrency=self.max_concurrency,
            )
        return self._merge(documents, todo, out)

    def _merge(
        self, documents: Sequence[Document], todo: list[int], out: Translation
    ) -> list[Document]:
        texts = dict(zip(todo, out.texts, strict=True))
        langs = {"source_lang": out.source_lang, "target_lang": out.target_lang,
                 "translation_model": out.model}
        result = []
        for i, doc in enumerate(documents):
            if i in texts:
                doc = doc.model_copy(update={
                    "page_content": texts[i], "metadata": {**doc.metadata, **langs}})
            result.append(doc)
        return result


def _todo(documents: Sequence[Document]) -> list[int]:
    """Indices of the Documents with text to translate."""
    return [i for i, d in enumerate(documents) if d.page_content.strip()]
