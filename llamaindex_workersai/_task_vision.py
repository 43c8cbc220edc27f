"""LlamaIndex tools over images: image classification, object detection, image to text.

Agents pass the image as a local file path or a ``data:`` URL; Python callers may pass
bytes. ``root_dir`` confines paths to one folder.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from workersai.integration import TOOL_TASKS, ToolTask

from ._task_common import ImageTool

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

    _task: ClassVar[ToolTask] = TOOL_TASKS["classify_image"]
    model: str = Field(default=_task.default_model, description="Image classification model.")
    name: str = _task.text.name
    description: str = _task.text.description


class WorkersAIObjectDetectionTool(ImageTool):
    """Find objects in an image (detr-resnet-50 by default).

    ``raw_output`` is ``{"objects": [{"label", "score", "box"}...], "count", "model"}``,
    best first; objects below ``min_score`` (the agent's, else the tool's) are dropped.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIObjectDetectionTool

            WorkersAIObjectDetectionTool(min_score=0.7).call(image="street.jpg").raw_output
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["detect"]
    model: str = Field(default=_task.default_model, description="Object detection model id.")
    name: str = _task.text.name
    description: str = _task.text.description
    min_score: float = Field(default=0.5, ge=0, le=1, description="Default lowest score kept.")


class WorkersAIImageToTextTool(ImageTool):
    """Describe an image or answer a question about it (llava-1.5 by default).

    ``raw_output`` is ``{"description": text, "model": id}``. For chat-style vision
    models (llama-4-scout, gemma-3), send an ``ImageBlock`` to ``WorkersAI`` instead.

    Example:
        .. code-block:: python

            from llamaindex_workersai.tools import WorkersAIImageToTextTool

            WorkersAIImageToTextTool().call(image="chart.png", prompt="What does it show?")
    """

    _task: ClassVar[ToolTask] = TOOL_TASKS["describe"]
    model: str = Field(default=_task.default_model, description="Image-to-text model.")
    name: str = _task.text.name
    description: str = _task.text.description
