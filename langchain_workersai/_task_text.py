"""Tools over text: translation, text classification and summarization."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from pydantic import BaseModel, Field

from workersai.tasks import (
    aclassify_text,
    asummarize,
    atranslate,
    classify_text,
    summarize,
    translate,
)
from workersai.tasks._tool_io import classification_view, summary_view
from workersai.tasks._tool_specs import (
    DEFAULT_TASK_MODELS,
    TOOL_TEXTS,
    SummarizeArgs,
    TextArgs,
    translate_args_schema,
)

from ._task_common import TaskTool, tool_errors

__all__ = ["WorkersAITranslationTool", "WorkersAITextClassificationTool",
           "WorkersAISummarizationTool"]

SyncRun = CallbackManagerForToolRun | None
AsyncRun = AsyncCallbackManagerForToolRun | None


class WorkersAITranslationTool(TaskTool):
    """Translate a text (m2m100 by default; IndicTrans2 for English into Indic languages).

    Returns the translated text.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAITranslationTool

            tool = WorkersAITranslationTool()
            tool.invoke({"text": "Good morning", "target_lang": "fr"})
    """

    name: str = TOOL_TEXTS["translate"].name
    description: str = TOOL_TEXTS["translate"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["translate"], alias="model_name")
    """Translation model id."""

    def _schema(self) -> type[BaseModel]:
        return translate_args_schema(self.model)

    def _run(
        self, text: str, target_lang: str, source_lang: str | None = None,
        run_manager: SyncRun = None,
    ) -> str:
        with tool_errors():
            return translate(self._sync_client(), self.model, text, target_lang, source_lang).text

    async def _arun(
        self, text: str, target_lang: str, source_lang: str | None = None,
        run_manager: AsyncRun = None,
    ) -> str:
        with tool_errors():
            out = await atranslate(self._async_client(), self.model, text, target_lang, source_lang)
        return out.text


class WorkersAITextClassificationTool(TaskTool):
    """Classify a text (sentiment with distilbert-sst-2 by default).

    Returns ``{"labels": [{"label", "score"}...], "top": label, "model": id}``, best first.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAITextClassificationTool

            WorkersAITextClassificationTool().invoke({"text": "I love this phone"})
    """

    name: str = TOOL_TEXTS["classify_text"].name
    description: str = TOOL_TEXTS["classify_text"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["classify_text"], alias="model_name")
    """Text classification model id."""

    def _schema(self) -> type[BaseModel]:
        return TextArgs

    def _run(self, text: str, run_manager: SyncRun = None) -> dict[str, Any]:
        with tool_errors():
            return classification_view(classify_text(self._sync_client(), self.model, text))

    async def _arun(self, text: str, run_manager: AsyncRun = None) -> dict[str, Any]:
        with tool_errors():
            result = await aclassify_text(self._async_client(), self.model, text)
        return classification_view(result)


class WorkersAISummarizationTool(TaskTool):
    """Summarize a text (bart-large-cnn by default).

    Returns ``{"summary": text, "model": id}``; ``max_length`` (tokens) is the agent's
    per-call cap, else the tool's.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAISummarizationTool

            WorkersAISummarizationTool(max_length=80).invoke({"text": long_article})
    """

    name: str = TOOL_TEXTS["summarize"].name
    description: str = TOOL_TEXTS["summarize"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["summarize"], alias="model_name")
    """Summarization model id."""
    max_length: int | None = Field(default=None, gt=0)
    """Default longest summary in tokens (``None``: the model's default)."""

    def _schema(self) -> type[BaseModel]:
        return SummarizeArgs

    def _run(
        self, text: str, max_length: int | None = None, run_manager: SyncRun = None
    ) -> dict[str, Any]:
        with tool_errors():
            result = summarize(
                self._sync_client(), self.model, text, max_length=max_length or self.max_length
            )
        return summary_view(result)

    async def _arun(
        self, text: str, max_length: int | None = None, run_manager: AsyncRun = None
    ) -> dict[str, Any]:
        with tool_errors():
            result = await asummarize(
                self._async_client(), self.model, text, max_length=max_length or self.max_length
            )
        return summary_view(result)
