"""LlamaIndex tools that make media: text-to-image and text-to-speech."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._task_common import MediaTool

__all__ = ["WorkersAIImageGenerationTool", "WorkersAITextToSpeechTool"]


class WorkersAIImageGenerationTool(MediaTool):
    """Draw an image from a prompt (FLUX-1-schnell by default, or Stable Diffusion XL).

    Agents see only the options the model takes, with its limits. ``raw_output`` is the
    saved path with ``output_dir``, else the image bytes; ``content`` is the path or a note.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIImageGenerationTool

            tool = WorkersAIImageGenerationTool(output_dir="images")
            path = tool.call(prompt="a red fox in the snow, watercolour").raw_output
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["image"]
    model: str = Field(default=_task.default_model, description="Text-to-image model id.")
    name: str = _task.text.name
    description: str = _task.text.description


class WorkersAITextToSpeechTool(MediaTool):
    """Speak a text (MeloTTS by default, or Deepgram Aura with its voices).

    ``voice`` is the default voice (models that take one); agents may pick another.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITextToSpeechTool

            tool = WorkersAITextToSpeechTool(model="@cf/deepgram/aura-1", voice="luna")
            mp3_bytes = tool.call(text="Your order has shipped.").raw_output
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["speech"]
    model: str = Field(default=_task.default_model, description="Text-to-speech model id.")
    name: str = _task.text.name
    description: str = _task.text.description
    voice: str | None = Field(default=None, description="Voice used when the agent names none.")
