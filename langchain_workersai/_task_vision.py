"""Tools over images: image classification, object detection and image to text.

Agents pass the image as a local file path or a ``data:`` URL; Python callers may pass
bytes. ``root_dir`` confines paths to one folder (an agent cannot read other files).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._common import MODEL_NAMES
from ._task_common import ImageTool

__all__ = ["WorkersAIImageClassificationTool", "WorkersAIObjectDetectionTool",
           "WorkersAIImageToTextTool"]


class WorkersAIImageClassificationTool(ImageTool):
    """Label an image (ImageNet classes with resnet-50 by default).

    Returns ``{"labels": [{"label", "score"}...], "top": label, "model": id}``.

    Example:
        .. code-block:: python

            from langchain_workersai.tools import WorkersAIImageClassificationTool

            WorkersAIImageClassificationTool().invoke({"image": "photos/cat.jpg"})
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["classify_image"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Image classification model id."""


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

    _task: ClassVar[ToolTask] = TOOL_TASKS["detect"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Object detection model id."""
    min_score: float = Field(default=0.5, ge=0, le=1)
    """Default lowest score kept (0 to 1)."""


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

    _task: ClassVar[ToolTask] = TOOL_TASKS["describe"]
    name: str = _task.text.name
    description: str = _task.text.description
    model: str = Field(default=_task.default_model, validation_alias=MODEL_NAMES)
    """Image-to-text model id."""
