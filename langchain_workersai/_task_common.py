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
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, Field, model_validator

from workersai import errors as wa
from workersai.integration import Answer, ToolTask, arun_tool, given_arguments, run_tool

from ._common import MODEL_NAMES, ClientFields
from ._errors import WorkersAIInvalidInputError, reraise

__all__ = ["WorkersAIToolInputError", "TaskTool", "MediaTool", "ImageTool", "tool_errors"]


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
    """A Workers AI task as a LangChain tool; each subclass sets its ``_task``.

    LangChain has validated the arguments already (a direct ``_run`` call is checked by
    the core only); a single string input arrives as one positional argument.
    """

    _task: ClassVar[ToolTask]
    model: str = Field(validation_alias=MODEL_NAMES)
    """Workers AI model id."""

    @model_validator(mode="after")
    def _schema_for_model(self) -> TaskTool:
        if self.args_schema is None:
            self.args_schema = self._schema()
        return self

    def _schema(self) -> type[BaseModel]:
        """The argument schema agents see (may depend on ``model``)."""
        return self._task.schema(self.model)

    def _given(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        return given_arguments(self._schema(), self.name, args, kwargs)

    def _settings(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self._task.settings}

    def _result(self, answer: Answer) -> Any:
        """What ``_run`` returns: the Python value (media tools: content and artifact)."""
        return answer[1]

    def _run(
        self, *args: Any, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> Any:
        with tool_errors():
            answer = run_tool(self._task, self._sync_client, self.model,
                              self._given(args, kwargs), self._settings())
        return self._result(answer)

    async def _arun(
        self, *args: Any, run_manager: AsyncCallbackManagerForToolRun | None = None,
        **kwargs: Any,
    ) -> Any:
        with tool_errors():
            answer = await arun_tool(self._task, self._async_client, self.model,
                                     self._given(args, kwargs), self._settings())
        return self._result(answer)


class MediaTool(TaskTool):
    """A tool that produces media: bytes as the artifact, or a file in ``output_dir``.

    The message content an agent reads is the saved path, or a one-line note; the
    artifact (``ToolMessage.artifact`` when called with a tool call) is the path or the
    raw bytes.
    """

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    output_dir: str | Path | None = None
    """Folder to save each result in (created if needed); ``None``: keep bytes in memory."""

    def _result(self, answer: Answer) -> Any:
        """(content, artifact): the saved path twice, or a note and the bytes."""
        return answer


class ImageTool(TaskTool):
    """A tool whose main argument is an image."""

    root_dir: str | Path | None = None
    """When set, image paths are taken relative to this folder and must stay inside it."""
