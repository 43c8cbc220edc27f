"""Tools that make media: text-to-image and text-to-speech."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._common import MODEL_NAMES
from ._task_common import MediaTool

__all__ = ["WorkersAIImageGenerationTool", "WorkersAITextToSpeechTool"]


class WorkersAIImageGenerationTool(MediaTool):
    """Draw an image from a prompt (FLUX-1-schnell by default, or Stable Diffusion XL).

    Agents see only the options the model takes (FLUX: ``steps``; SDXL: ``width``,
    ``height``, ``steps``, ``seed``, ``negative_prompt``) with the model's limits; the
    core checks them again before any request. With ``output_dir`` the tool returns the
    saved file's path; without, the bytes travel as the ``ToolMessage`` artifact.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAIImageGenerationTool

            tool = WorkersAIImageGenerationTool(output_dir="images")
            path = tool.invoke({"prompt": "a red fox in the snow, watercolour"})
            msg = WorkersAIImageGenerationTool().invoke(
                {"type": "tool_call", "id": "1", "name": "generate_image",
                 "args": {"prompt": "a red fox"}}
            )
            jpeg_bytes = msg.artifact
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["image"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Text-to-image model id."""


class WorkersAITextToSpeechTool(MediaTool):
    """Speak a text (MeloTTS by default, or Deepgram Aura with its voices).

    Agents may pick a ``voice`` (Aura) or ``language`` (MeloTTS) when the model takes
    one; ``voice`` on the tool is the default voice. Returns the saved audio path with
    ``output_dir``, else the audio bytes as the ``ToolMessage`` artifact.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAITextToSpeechTool

            tool = WorkersAITextToSpeechTool(model="@cf/deepgram/aura-1", voice="luna",
                                             output_dir="audio")
            path = tool.invoke({"text": "Your order has shipped."})
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["speech"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Text-to-speech model id."""
    voice: str | None = None
    """Voice used when the agent names none (models that take a voice)."""
