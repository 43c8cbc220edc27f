"""LlamaIndex tools over text: translation, text classification and summarization."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._task_common import TaskTool

__all__ = ["WorkersAITranslationTool", "WorkersAITextClassificationTool",
           "WorkersAISummarizationTool"]


class WorkersAITranslationTool(TaskTool):
    """Translate a text (m2m100 by default; IndicTrans2 for English into Indic languages).

    ``content`` and ``raw_output`` are the translated text.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITranslationTool

            WorkersAITranslationTool().call(text="Good morning", target_lang="fr").content
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["translate"]
    model: str = Field(default=_task.default_model, description="Translation model id.")
    name: str = _task.text.name
    description: str = _task.text.description


class WorkersAITextClassificationTool(TaskTool):
    """Classify a text (sentiment with distilbert-sst-2 by default).

    ``raw_output`` is ``{"labels": [{"label", "score"}...], "top": label, "model": id}``;
    ``content`` is the same as JSON.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITextClassificationTool

            WorkersAITextClassificationTool().call(text="I love this phone").raw_output
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["classify_text"]
    model: str = Field(default=_task.default_model, description="Text classification model id.")
    name: str = _task.text.name
    description: str = _task.text.description


class WorkersAISummarizationTool(TaskTool):
    """Summarize a text (bart-large-cnn by default): ``{"summary": text, "model": id}``.

    ``max_length`` (tokens) is the agent's per-call cap, else the tool's.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAISummarizationTool

            WorkersAISummarizationTool(max_length=80).call(text=long_article).raw_output
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["summarize"]
    model: str = Field(default=_task.default_model, description="Summarization model id.")
    name: str = _task.text.name
    description: str = _task.text.description
    max_length: int | None = Field(default=None, gt=0, description="Default cap in tokens.")
