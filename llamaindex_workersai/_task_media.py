"""LlamaIndex tools that make media: text-to-image and text-to-speech."""

from __future__ import annotations

from typing import Any

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

from ._task_common import Answer, MediaTool

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

    model: str = Field(default=DEFAULT_TASK_MODELS["image"], description="Text-to-image model id.")
    name: str = TOOL_TEXTS["image"].name
    description: str = TOOL_TEXTS["image"].description

    def _schema(self) -> type[BaseModel]:
        return image_args_schema(self.model)

    def _split(self, args: dict[str, Any]) -> tuple[str, ImageParams]:
        options = dict(args)
        return options.pop("prompt"), ImageParams(**options)

    def _run(self, args: dict[str, Any]) -> Answer:
        prompt, params = self._split(args)
        image = generate_image(self._sync_client(), self.model, prompt, params)
        return self._deliver("image", image)

    async def _arun(self, args: dict[str, Any]) -> Answer:
        prompt, params = self._split(args)
        image = await agenerate_image(self._async_client(), self.model, prompt, params)
        return self._deliver("image", image)


class WorkersAITextToSpeechTool(MediaTool):
    """Speak a text (MeloTTS by default, or Deepgram Aura with its voices).

    ``voice`` is the default voice (models that take one); agents may pick another.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAITextToSpeechTool

            tool = WorkersAITextToSpeechTool(model="@cf/deepgram/aura-1", voice="luna")
            mp3_bytes = tool.call(text="Your order has shipped.").raw_output
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["speech"], description="Text-to-speech model id."
    )
    name: str = TOOL_TEXTS["speech"].name
    description: str = TOOL_TEXTS["speech"].description
    voice: str | None = Field(default=None, description="Voice used when the agent names none.")

    def _schema(self) -> type[BaseModel]:
        return speech_args_schema(self.model)

    def _params(self, args: dict[str, Any]) -> SpeechParams:
        return SpeechParams(voice=args.get("voice") or self.voice, language=args.get("language"))

    def _run(self, args: dict[str, Any]) -> Answer:
        client = self._sync_client()
        return self._deliver(
            "audio", synthesize_speech(client, self.model, args["text"], self._params(args))
        )

    async def _arun(self, args: dict[str, Any]) -> Answer:
        client = self._async_client()
        audio = await asynthesize_speech(client, self.model, args["text"], self._params(args))
        return self._deliver("audio", audio)
