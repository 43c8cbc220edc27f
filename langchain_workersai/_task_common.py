"""The base of the task tools: connection fields, the model, and agent-readable errors.

Input the model refuses (checked by the core before any request) is raised as
:class:`WorkersAIToolInputError`, which is both LangChain's ``ToolException`` and the
dual ``WorkersAIInvalidInputError``: with ``handle_tool_error=True`` an agent reads the
message and can retry with better arguments. API errors keep their dual classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, Field, model_validator

from workersai import errors as wa
from workersai.tasks import MediaBytes
from workersai.tasks._tool_io import deliver_media

from ._common import ClientFields
from ._errors import WorkersAIInvalidInputError, reraise

__all__ = ["WorkersAIToolInputError", "TaskTool", "MediaTool", "tool_errors"]


class WorkersAIToolInputError(WorkersAIInvalidInputError, ToolException):
    """Arguments the model does not accept; a ``ToolException`` an agent can read."""


@contextmanager
def tool_errors() -> Iterator[None]:
    """Core errors as LangChain duals; refused input also as a ``ToolException``."""
    try:
        with reraise():
            yield
    except wa.InvalidInputError as exc:
        if isinstance(exc, ToolException):
            raise
        twin = WorkersAIToolInputError(*exc.args)
        twin.__dict__.update(exc.__dict__)
        raise twin from exc


class TaskTool(ClientFields, BaseTool):
    """A Workers AI task as a LangChain tool; each subclass sets its ``model`` default."""

    model: str = Field(alias="model_name")
    """Workers AI model id."""

    @model_validator(mode="after")
    def _schema_for_model(self) -> TaskTool:
        if self.args_schema is None:
            self.args_schema = self._schema()
        return self

    def _schema(self) -> type[BaseModel]:
        """The argument schema agents see (may depend on ``model``)."""
        raise NotImplementedError


class MediaTool(TaskTool):
    """A tool that produces media: bytes as the artifact, or a file in ``output_dir``.

    The message content an agent reads is the saved path, or a one-line note; the
    artifact (``ToolMessage.artifact`` when called with a tool call) is the path or the
    raw bytes.
    """

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    output_dir: str | Path | None = None
    """Folder to save each result in (created if needed); ``None``: keep bytes in memory."""

    def _deliver(self, what: str, media: MediaBytes) -> tuple[str, bytes | str]:
        """(content, artifact): the saved path twice, or a note and the bytes."""
        return deliver_media(what, media, self.output_dir)
