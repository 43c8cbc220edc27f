"""Tools over images: image classification, object detection and image to text.

Agents pass the image as a local file path or a ``data:`` URL; Python callers may pass
bytes. ``root_dir`` confines paths to one folder (an agent cannot read other files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
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
from workersai.tasks._tool_io import (
    classification_view,
    description_view,
    detections_view,
    read_image,
)
from workersai.tasks._tool_specs import (
    DEFAULT_TASK_MODELS,
    TOOL_TEXTS,
    DescribeArgs,
    DetectArgs,
    ImageArgs,
)

from ._task_common import TaskTool, tool_errors

__all__ = ["WorkersAIImageClassificationTool", "WorkersAIObjectDetectionTool",
           "WorkersAIImageToTextTool"]

SyncRun = CallbackManagerForToolRun | None
AsyncRun = AsyncCallbackManagerForToolRun | None
Image = str | bytes


class ImageTool(TaskTool):
    """A tool whose main argument is an image."""

    root_dir: str | Path | None = None
    """When set, image paths are taken relative to this folder and must stay inside it."""

    def _image(self, image: Image) -> bytes:
        with tool_errors():
            return read_image(image, self.root_dir)


class WorkersAIImageClassificationTool(ImageTool):
    """Label an image (ImageNet classes with resnet-50 by default).

    Returns ``{"labels": [{"label", "score"}...], "top": label, "model": id}``.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAIImageClassificationTool

            WorkersAIImageClassificationTool().invoke({"image": "photos/cat.jpg"})
    """

    name: str = TOOL_TEXTS["classify_image"].name
    description: str = TOOL_TEXTS["classify_image"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["classify_image"], alias="model_name")
    """Image classification model id."""

    def _schema(self) -> type[BaseModel]:
        return ImageArgs

    def _run(self, image: Image, run_manager: SyncRun = None) -> dict[str, Any]:
        data = self._image(image)
        with tool_errors():
            return classification_view(classify_image(self._sync_client(), self.model, data))

    async def _arun(self, image: Image, run_manager: AsyncRun = None) -> dict[str, Any]:
        data = self._image(image)
        with tool_errors():
            result = await aclassify_image(self._async_client(), self.model, data)
        return classification_view(result)


class WorkersAIObjectDetectionTool(ImageTool):
    """Find objects in an image (detr-resnet-50 by default).

    Returns ``{"objects": [{"label", "score", "box": {xmin, ymin, xmax, ymax}}...],
    "count": n, "model": id}``, best first; objects below ``min_score`` (the agent's, else
    the tool's) are dropped.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAIObjectDetectionTool

            WorkersAIObjectDetectionTool(min_score=0.7).invoke({"image": "street.jpg"})
    """

    name: str = TOOL_TEXTS["detect"].name
    description: str = TOOL_TEXTS["detect"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["detect"], alias="model_name")
    """Object detection model id."""
    min_score: float = Field(default=0.5, ge=0, le=1)
    """Default lowest score kept (0 to 1)."""

    def _schema(self) -> type[BaseModel]:
        return DetectArgs

    def _run(
        self, image: Image, min_score: float | None = None, run_manager: SyncRun = None
    ) -> dict[str, Any]:
        data, floor = self._image(image), self.min_score if min_score is None else min_score
        with tool_errors():
            found = detect_objects(self._sync_client(), self.model, data, min_score=floor)
        return detections_view(found)

    async def _arun(
        self, image: Image, min_score: float | None = None, run_manager: AsyncRun = None
    ) -> dict[str, Any]:
        data, floor = self._image(image), self.min_score if min_score is None else min_score
        with tool_errors():
            found = await adetect_objects(self._async_client(), self.model, data, min_score=floor)
        return detections_view(found)


class WorkersAIImageToTextTool(ImageTool):
    """Describe an image or answer a question about it (llava-1.5 by default).

    Returns ``{"description": text, "model": id}``. For chat-style vision models
    (llama-4-scout, gemma-3), send image content blocks to ``ChatWorkersAI`` instead.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAIImageToTextTool

            WorkersAIImageToTextTool().invoke({"image": "chart.png",
                                               "prompt": "What does the chart show?"})
    """

    name: str = TOOL_TEXTS["describe"].name
    description: str = TOOL_TEXTS["describe"].description
    model: str = Field(default=DEFAULT_TASK_MODELS["describe"], alias="model_name")
    """Image-to-text model id."""

    def _schema(self) -> type[BaseModel]:
        return DescribeArgs

    def _run(
        self, image: Image, prompt: str | None = None, run_manager: SyncRun = None
    ) -> dict[str, Any]:
        data, ask = self._image(image), prompt or DEFAULT_DESCRIBE_PROMPT
        with tool_errors():
            result = describe_image(self._sync_client(), self.model, data, ask)
        return description_view(result)

    async def _arun(
        self, image: Image, prompt: str | None = None, run_manager: AsyncRun = None
    ) -> dict[str, Any]:
        data, ask = self._image(image), prompt or DEFAULT_DESCRIBE_PROMPT
        with tool_errors():
            result = await adescribe_image(self._async_client(), self.model, data, ask)
        return description_view(result)

