"""What an agent sees of each task tool: its name, description and argument schema.

The schemas are pydantic models, which LangChain (``args_schema``) and LlamaIndex
(``fn_schema``) both take, so the two front ends offer agents the same tools. Schemas
that depend on the model (which image sizes, which voices) are built from the per-model
rules of the task modules, so an agent is only offered what the model accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from ._describe import DEFAULT_DESCRIBE_PROMPT
from ._image import GENERIC_IMAGE_SPEC, IMAGE_SPECS
from ._summarize import DEFAULT_SUMMARY_MODEL
from ._translation import INDIC_LANGUAGES, TRANSLATION_SPECS, TranslationSpec
from ._tts import GENERIC_TTS_SPEC, TTS_SPECS

__all__ = [
    "ToolText",
    "DEFAULT_TASK_MODELS",
    "TOOL_TEXTS",
    "IMAGE_ARG",
    "image_args_schema",
    "speech_args_schema",
    "translate_args_schema",
    "TextArgs",
    "SummarizeArgs",
    "ImageArgs",
    "DetectArgs",
    "DescribeArgs",
]

DEFAULT_TASK_MODELS: dict[str, str] = {
    "image": "@cf/black-forest-labs/flux-1-schnell",
    "speech": "@cf/myshell-ai/melotts",
    "transcribe": "@cf/openai/whisper-large-v3-turbo",
    "translate": "@cf/meta/m2m100-1.2b",
    "classify_text": "@cf/huggingface/distilbert-sst-2-int8",
    "summarize": DEFAULT_SUMMARY_MODEL,  # a chat model: bart-large-cnn retired 2026-05-30
    "classify_image": "@cf/microsoft/resnet-50",
    "detect": "@cf/facebook/detr-resnet-50",
    "describe": "@cf/llava-hf/llava-1.5-7b-hf",
}
"""The model each wrapper uses unless told otherwise (key: task)."""


@dataclass(frozen=True, slots=True)
class ToolText:
    """A tool's name and the description an agent reads to decide when to call it."""

    name: str
    description: str


_IMAGE_WHERE = "The image is a local file path or a data: URL (data:image/png;base64,...)."
TOOL_TEXTS: dict[str, ToolText] = {
    "image": ToolText("generate_image", (
        "Draw a picture from a text description with a Cloudflare Workers AI text-to-image "
        "model. Give a detailed prompt (subject, style, lighting, composition). Returns the "
        "path of the saved image, or a note that the image bytes are attached."
    )),
    "speech": ToolText("text_to_speech", (
        "Turn text into spoken audio with a Cloudflare Workers AI text-to-speech model. "
        "Returns the path of the saved audio file, or a note that the audio bytes are attached."
    )),
    "translate": ToolText("translate_text", (
        "Translate a text into another language with a Cloudflare Workers AI translation "
        "model. Give the text and the target language code. Returns the translated text."
    )),
    "classify_text": ToolText("classify_text", (
        "Classify a text (sentiment for the default model): returns labels such as POSITIVE "
        "and NEGATIVE with scores from 0 to 1, best first, as JSON."
    )),
    "summarize": ToolText("summarize_text", (
        "Summarize a long text in a few sentences. Returns JSON with the summary."
    )),
    "classify_image": ToolText("classify_image", (
        "Say what an image shows: returns class labels with scores from 0 to 1, best first, "
        f"as JSON. {_IMAGE_WHERE}"
    )),
    "detect": ToolText("detect_objects", (
        "Find and locate objects in an image: returns JSON with each object's label, score "
        f"(0 to 1) and pixel box (xmin, ymin, xmax, ymax), best first. {_IMAGE_WHERE}"
    )),
    "describe": ToolText("describe_image", (
        "Describe an image, or answer a question about it (give the question as prompt). "
        f"Returns JSON with the description. {_IMAGE_WHERE}"
    )),
}
"""Names and descriptions per task (same keys as :data:`DEFAULT_TASK_MODELS`)."""

IMAGE_ARG = Annotated[
    str | bytes,
    WithJsonSchema({"type": "string"}),
    Field(description="Path to a local image file, or a data: URL (data:image/png;base64,...)."),
]
"""An image argument: agents send a path or data URL; Python callers may pass bytes."""


_STRICT = ConfigDict(extra="forbid")
"""Arguments a model does not take are refused, never silently dropped."""


class TextArgs(BaseModel):
    """Arguments of the text classification tool."""

    model_config = _STRICT

    text: str = Field(min_length=1, description="The text to classify.")


class SummarizeArgs(BaseModel):
    """Arguments of the summarization tool."""

    model_config = _STRICT

    text: str = Field(min_length=1, description="The text to summarize.")
    max_length: int | None = Field(
        default=None, ge=1, description="Longest summary, in tokens (optional)."
    )


class ImageArgs(BaseModel):
    """Arguments of the image classification tool."""

    model_config = _STRICT

    image: IMAGE_ARG


class DetectArgs(BaseModel):
    """Arguments of the object detection tool."""

    model_config = _STRICT

    image: IMAGE_ARG
    min_score: float | None = Field(
        default=None, ge=0, le=1, description="Drop objects scoring below this (0 to 1)."
    )


class DescribeArgs(BaseModel):
    """Arguments of the image-to-text tool."""

    model_config = _STRICT

    image: IMAGE_ARG
    prompt: str = Field(
        default=DEFAULT_DESCRIBE_PROMPT, min_length=1,
        description="What to ask about the image (default: describe it).",
    )


@lru_cache(maxsize=64)
def image_args_schema(model: str) -> type[BaseModel]:
    """Arguments of the text-to-image tool for ``model``: only the options it takes."""
    spec = IMAGE_SPECS.get(model, GENERIC_IMAGE_SPEC)
    low, high = spec.size_range or (1, None)
    fields: dict[str, Any] = {"prompt": (str, Field(
        min_length=1, max_length=spec.max_prompt, description="What to draw, in detail."))}
    for side in ("width", "height"):
        if side in spec.options:
            fields[side] = (int | None, Field(
                default=None, ge=low, le=high, description=f"Image {side} in pixels."))
    if "steps" in spec.options:
        fields["steps"] = (int | None, Field(
            default=None, ge=1, le=spec.max_steps, description="Diffusion steps (more: finer)."))
    if "seed" in spec.options:
        fields["seed"] = (int | None, Field(default=None, ge=0, description="Random seed."))
    if "negative_prompt" in spec.options:
        fields["negative_prompt"] = (str | None, Field(
            default=None, description="What the image should not show."))
    schema: type[BaseModel] = create_model("GenerateImageArgs", __config__=_STRICT, **fields)
    return schema


@lru_cache(maxsize=64)
def speech_args_schema(model: str) -> type[BaseModel]:
    """Arguments of the text-to-speech tool for ``model``: text, and voice or language."""
    spec = TTS_SPECS.get(model, GENERIC_TTS_SPEC)
    fields: dict[str, Any] = {"text": (str, Field(min_length=1, description="What to say."))}
    if "voice" in spec.wire:
        voices = spec.choices.get("voice")
        kind: Any = cast(Any, Literal)[voices] if voices else str  # an enum when known
        fields["voice"] = (kind | None, Field(default=None, description="The voice to speak with."))
    if "language" in spec.wire:
        fields["language"] = (str | None, Field(
            default=None, description="Language code of the text, such as 'en' or 'fr'."))
    schema: type[BaseModel] = create_model("TextToSpeechArgs", __config__=_STRICT, **fields)
    return schema


@lru_cache(maxsize=64)
def translate_args_schema(model: str) -> type[BaseModel]:
    """Arguments of the translation tool for ``model`` (IndicTrans2: from English only)."""
    spec = TRANSLATION_SPECS.get(model, TranslationSpec())
    fields: dict[str, Any] = {"text": (str, Field(min_length=1, description="Text to translate."))}
    if spec.english_source_only:
        codes = ", ".join(sorted(INDIC_LANGUAGES))
        fields["target_lang"] = (str, Field(
            min_length=1, description=f"Target Indic language: one of {codes}, or a FLORES "
            "code such as 'hin_Deva'. The text must be English."))
    else:
        fields["target_lang"] = (str, Field(
            min_length=1, description="Target language, ISO 639-1 code such as 'fr' or 'ja'."))
        fields["source_lang"] = (str | None, Field(
            default=None, description="Language of the text, ISO 639-1 (default: English)."))
    schema: type[BaseModel] = create_model("TranslateTextArgs", __config__=_STRICT, **fields)
    return schema
