"""Workers AI tasks as LlamaIndex tools (``AsyncBaseTool``), for agents and direct calls.

Each tool has an argument schema fitted to its model, a name and description written for
agents, ``call``/``acall``, and the connection fields of ``WorkersAI`` (``account_id``,
``api_token``, ``gateway``, ``http_client``...). ``ToolOutput.content`` is what an agent
reads; ``ToolOutput.raw_output`` is the Python value: a JSON-serialisable dict (text and
image tools), the translated text, or media bytes / the saved path (``output_dir``).

Example:
    .. code-block:: python

        from llama_index.core.agent.workflow import FunctionAgent
        from llamaindex_workersai import WorkersAI
        from llamaindex_workersai.tools import (
            WorkersAIImageGenerationTool,
            WorkersAITranslationTool,
        )

        agent = FunctionAgent(
            tools=[WorkersAIImageGenerationTool(output_dir="out"), WorkersAITranslationTool()],
            llm=WorkersAI(model="@cf/meta/llama-4-scout-17b-16e-instruct"),
        )
"""

from __future__ import annotations

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
]
