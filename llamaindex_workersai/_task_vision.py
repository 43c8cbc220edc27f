"""LlamaIndex tools over images: image classification, object detection, image to text.

Agents pass the image as a local file path or a ``data:`` URL; Python callers may pass
bytes. ``root_dir`` confines paths to one folder.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from workersai.tasks import (
    DEFAULT_DESCRIBE_PROMPT,
    aclassify_image,
    adescribe_image,
    adetect_objects,
    classify_image,
    describe_image,
    detect_objects,
)
from workersai.tasks._tool_io import classification_view, description_view, detections_view
from workersai.tasks._tool_specs import (
    DEFAULT_TASK_MODELS,
    TOOL_TEXTS,
    DescribeArgs,
    DetectArgs,
    ImageArgs,
)

from ._task_common import Answer, ImageTool
from ._task_text import as_json

__all__ = ["WorkersAIImageClassificationTool", "WorkersAIObjectDetectionTool",
           "WorkersAIImageToTextTool"]


class WorkersAIImageClassificationTool(ImageTool):
    """Label an image (ImageNet classes with resnet-50 by default).

    ``raw_output`` is ``{"labels": [{"label", "score"}...], "top": label, "model": id}``.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIImageClassificationTool

            WorkersAIImageClassificationTool().call(image="photos/cat.jpg").raw_output
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["classify_image"], description="Image classification model."
    )
    name: str = TOOL_TEXTS["classify_image"].name
    description: str = TOOL_TEXTS["classify_image"].description

    def _schema(self) -> type[BaseModel]:
        return ImageArgs

    def _run(self, args: dict[str, Any]) -> Answer:
        result = classify_image(self._sync_client(), self.model, self._image(args))
        return as_json(classification_view(result))

    async def _arun(self, args: dict[str, Any]) -> Answer:
        result = await aclassify_image(self._async_client(), self.model, self._image(args))
        return as_json(classification_view(result))


class WorkersAIObjectDetectionTool(ImageTool):
    """Find objects in an image (detr-resnet-50 by default).

    ``raw_output`` is ``{"objects": [{"label", "score", "box"}...], "count", "model"}``,
    best first; objects below ``min_score`` (the agent's, else the tool's) are dropped.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIObjectDetectionTool

            WorkersAIObjectDetectionTool(min_score=0.7).call(image="street.jpg").raw_output
    """

    model: str = Field(
        default=DEFAULT_TASK_MODELS["detect"], description="Object detection model id."
    )
    name: str = TOOL_TEXTS["detect"].name
    description: str = TOOL_TEXTS["detect"].description
    min_score: float = Field(default=0.5, ge=0, le=1, description="Default lowest score kept.")

    def _schema(self) -> type[BaseModel]:
        return DetectArgs

    def _floor(self, args: dict[str, Any]) -> float:
        given = args.get("min_score")
        return self.min_score if given is None else float(given)

    def _run(self, args: dict[str, Any]) -> Answer:
        found = detect_objects(self._sync_client(), self.model, self._image(args),
                               min_score=self._floor(args))
        return as_json(detections_view(found))

    async def _arun(self, args: dict[str, Any]) -> Answer:
        found = await adetect_objects(self._async_client(), self.model, self._image(args),
                                      min_score=self._floor(args))
        return as_json(detections_view(found))


class WorkersAIImageToTextTool(ImageTool):
    """Describe an image or answer a question about it (llava-1.5 by default).

    ``raw_output`` is ``{"description": text, "model": id}``. For chat-style vision
    models (llama-4-scout, gemma-3), send an ``ImageBlock`` to ``WorkersAI`` instead.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIImageToTextTool

            WorkersAIImageToTextTool().call(image="chart.png", prompt="What does it show?")
    """

    model: str = Field(default=DEFAULT_TASK_MODELS["describe"], description="Image-to-text model.")
    name: str = TOOL_TEXTS["describe"].name
    description: str = TOOL_TEXTS["describe"].description

    def _schema(self) -> type[BaseModel]:
        return DescribeArgs

    def _run(self, args: dict[str, Any]) -> Answer:
        prompt = args.get("prompt") or DEFAULT_DESCRIBE_PROMPT
        result = describe_image(self._sync_client(), self.model, self._image(args), prompt)
        return as_json(description_view(result))

    async def _arun(self, args: dict[str, Any]) -> Answer:
        prompt = args.get("prompt") or DEFAULT_DESCRIBE_PROMPT
        result = await adescribe_image(self._async_client(), self.model, self._image(args),
                                       prompt)
        return as_json(description_view(result))
