"""LlamaIndex tools over text: translation, text classification and summarization."""

from __future__ import annotations

import json
from typing import Any

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

from ._task_common import Answer, TaskTool

__all__ = ["WorkersAITranslationTool", "WorkersAITextClassificationTool",
           "WorkersAISummarizationTool"]


def as_json(view: dict[str, Any]) -> Answer:
    """A JSON view as (its JSON text for the agent, the dict for the caller)."""
    return json.dumps(view, ensure_ascii=False), view


class WorkersAITranslationTool(TaskTool):
    """Translate a text (m2m100 by default; IndicTrans2 for English into Indic languages).

    ``content`` and ``raw_output`` are the translated text.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITranslationTool

            WorkersAITranslationTool().call(text="Good morning", target_lang="fr").content
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["translate"], description="Translation model id."
    )
    name: str = TOOL_TEXTS["translate"].name
    description: str = TOOL_TEXTS["translate"].description

    def _schema(self) -> type[BaseModel]:
        return translate_args_schema(self.model)

    def _run(self, args: dict[str, Any]) -> Answer:
        out = translate(self._sync_client(), self.model, args["text"], args["target_lang"],
                        args.get("source_lang"))
        return out.text, out.text

    async def _arun(self, args: dict[str, Any]) -> Answer:
        out = await atranslate(self._async_client(), self.model, args["text"],
                               args["target_lang"], args.get("source_lang"))
        return out.text, out.text


class WorkersAITextClassificationTool(TaskTool):
    """Classify a text (sentiment with distilbert-sst-2 by default).

    ``raw_output`` is ``{"labels": [{"label", "score"}...], "top": label, "model": id}``;
    ``content`` is the same as JSON.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITextClassificationTool

            WorkersAITextClassificationTool().call(text="I love this phone").raw_output
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["classify_text"], description="Text classification model id."
    )
    name: str = TOOL_TEXTS["classify_text"].name
    description: str = TOOL_TEXTS["classify_text"].description

    def _schema(self) -> type[BaseModel]:
        return TextArgs

    def _run(self, args: dict[str, Any]) -> Answer:
        return as_json(classification_view(
            classify_text(self._sync_client(), self.model, args["text"])))

    async def _arun(self, args: dict[str, Any]) -> Answer:
        result = await aclassify_text(self._async_client(), self.model, args["text"])
        return as_json(classification_view(result))


class WorkersAISummarizationTool(TaskTool):
    """Summarize a text (bart-large-cnn by default): ``{"summary": text, "model": id}``.

    ``max_length`` (tokens) is the agent's per-call cap, else the tool's.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAISummarizationTool

            WorkersAISummarizationTool(max_length=80).call(text=long_article).raw_output
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["summarize"], description="Summarization model id."
    )
    name: str = TOOL_TEXTS["summarize"].name
    description: str = TOOL_TEXTS["summarize"].description
    max_length: int | None = Field(default=None, gt=0, description="Default cap in tokens.")

    def _schema(self) -> type[BaseModel]:
        return SummarizeArgs

    def _cap(self, args: dict[str, Any]) -> int | None:
        return args.get("max_length") or self.max_length

    def _run(self, args: dict[str, Any]) -> Answer:
        result = summarize(self._sync_client(), self.model, args["text"],
                           max_length=self._cap(args))
        return as_json(summary_view(result))

    async def _arun(self, args: dict[str, Any]) -> Answer:
        result = await asummarize(self._async_client(), self.model, args["text"],
                                  max_length=self._cap(args))
        return as_json(summary_view(result))
