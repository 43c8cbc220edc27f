"""Tools over text: translation, text classification and summarization."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._common import MODEL_NAMES
from ._task_common import TaskTool

__all__ = ["WorkersAITranslationTool", "WorkersAITextClassificationTool",
           "WorkersAISummarizationTool"]


class WorkersAITranslationTool(TaskTool):
    """Translate a text (m2m100 by default; IndicTrans2 for English into Indic languages).

    Returns the translated text.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAITranslationTool

            tool = WorkersAITranslationTool()
            tool.invoke({"text": "Good morning", "target_lang": "fr"})
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["translate"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Translation model id."""


class WorkersAITextClassificationTool(TaskTool):
    """Classify a text (sentiment with distilbert-sst-2 by default).

    Returns ``{"labels": [{"label", "score"}...], "top": label, "model": id}``, best first.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAITextClassificationTool

            WorkersAITextClassificationTool().invoke({"text": "I love this phone"})
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["classify_text"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Text classification model id."""


class WorkersAISummarizationTool(TaskTool):
    """Summarize a text (bart-large-cnn by default).

    Returns ``{"summary": text, "model": id}``; ``max_length`` (tokens) is the agent's
    per-call cap, else the tool's.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAISummarizationTool

            WorkersAISummarizationTool(max_length=80).invoke({"text": long_article})
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["summarize"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Summarization model id."""
    max_length: int | None = Field(default=None, gt=0)
    """Default longest summary in tokens (``None``: the model's default)."""
