"""Workers AI tasks as LangChain tools, for agents and for direct calls.

Each tool is a ``BaseTool`` with an argument schema fitted to its model, a name and a
description written for agents, sync and async runs, and connection fields like
``ChatWorkersAI`` (``account_id``, ``api_token``, ``gateway``, ``http_client``...).

* Media: :class:`WorkersAIImageGenerationTool`, :class:`WorkersAITextToSpeechTool`
  (the path of a saved file with ``output_dir``, else the bytes as the artifact).
* Text: :class:`WorkersAITranslationTool` (the translated text),
  :class:`WorkersAITextClassificationTool`, :class:`WorkersAISummarizationTool`.
* Images: :class:`WorkersAIImageClassificationTool`, :class:`WorkersAIObjectDetectionTool`,
  :class:`WorkersAIImageToTextTool`.

The text and image tools return JSON-serialisable dicts. Input the model refuses raises
:class:`WorkersAIToolInputError` (a ``ToolException``): set ``handle_tool_error=True`` to
hand the message to the agent instead.

Example:
    .. code-block:: python

        from langchain_workersai import ChatWorkersAI
        from langchain_workersai.tools import WorkersAIImageGenerationTool, WorkersAITranslationTool

        tools = [WorkersAIImageGenerationTool(output_dir="out"), WorkersAITranslationTool()]
        llm = ChatWorkersAI(model="@cf/meta/llama-4-scout-17b-16e-instruct").bind_tools(tools)
"""

from __future__ import annotations

from ._task_common import WorkersAIToolInputError
from ._task_media import WorkersAIImageGenerationTool, WorkersAITextToSpeechTool
from ._task_text import (
    WorkersAISummarizationTool,
    WorkersAITextClassificationTool,
    WorkersAITranslationTool,
)
from ._task_vision import (
    WorkersAIImageClassificationTool,
    WorkersAIImageToTextTool,
    WorkersAIObjectDetectionTool,
)

__all__ = [
    "WorkersAIImageGenerationTool",
    "WorkersAITextToSpeechTool",
    "WorkersAITranslationTool",
    "WorkersAITextClassificationTool",
    "WorkersAISummarizationTool",
    "WorkersAIImageClassificationTool",
    "WorkersAIObjectDetectionTool",
    "WorkersAIImageToTextTool",
    "WorkersAIToolInputError",
]
