"""Tools that make media: text-to-image and text-to-speech."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from pydantic import BaseModel, Field

from workersai.tasks import (
    ImageParams,
    SpeechParams,
    agenerate_image,
    asynthesize_speech,
    generate_image,
    synthesize_speech,
)
from workersai.tasks._tool_specs import (
    DEFAULT_TASK_MODELS,
    TOOL_TEXTS,
    image_args_schema,
    speech_args_schema,
)

from ._task_common import MediaTool, tool_errors

__all__ = ["WorkersAIImageGenerationTool", "WorkersAITextToSpeechTool"]

Delivered = tuple[str, bytes | str]


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

    name: str = TOOL_TEXTS["image"].name
    description: str = TOOL_TEXTS["image"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["image"], alias="model_name")
    """Text-to-image model id."""

    def _schema(self) -> type[BaseModel]:
        return image_args_schema(self.model)

    def _run(
        self, prompt: str, run_manager: CallbackManagerForToolRun | None = None, **options: Any
    ) -> Delivered:
        with tool_errors():
            image = generate_image(self._sync_client(), self.model, prompt, ImageParams(**options))
        return self._deliver("image", image)

    async def _arun(
        self,
        prompt: str,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
        **options: Any,
    ) -> Delivered:
        with tool_errors():
            image = await agenerate_image(
                self._async_client(), self.model, prompt, ImageParams(**options)
            )
        return self._deliver("image", image)


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

    name: str = TOOL_TEXTS["speech"].name
    description: str = TOOL_TEXTS["speech"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["speech"], alias="model_name")
    """Text-to-speech model id."""
    voice: str | None = None
    """Voice used when the agent names none (models that take a voice)."""

    def _schema(self) -> type[BaseModel]:
        return speech_args_schema(self.model)

    def _params(self, options: dict[str, Any]) -> SpeechParams:
        return SpeechParams(
            voice=options.get("voice") or self.voice, language=options.get("language")
        )

    def _run(
        self, text: str, run_manager: CallbackManagerForToolRun | None = None, **options: Any
    ) -> Delivered:
        with tool_errors():
            audio = synthesize_speech(self._sync_client(), self.model, text, self._params(options))
        return self._deliver("audio", audio)

    async def _arun(
        self,
        text: str,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
        **options: Any,
    ) -> Delivered:
        with tool_errors():
            audio = await asynthesize_speech(
                self._async_client(), self.model, text, self._params(options)
            )
        return self._deliver("audio", audio)
