"""The base of the LlamaIndex task tools: connection fields, metadata, call plumbing.

A tool validates its arguments with the same pydantic schema LangChain's twin uses,
runs one core task call (sync or async), and answers with a ``ToolOutput`` whose
``content`` is the text an agent reads and whose ``raw_output`` is the Python value
(a dict, the translated text, media bytes or a saved path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from llama_index.core.tools.types import AsyncBaseTool, ToolMetadata, ToolOutput
from pydantic import BaseModel, Field

from workersai.integration import Answer, ToolTask, arun_tool, run_tool, tool_arguments

from ._common import ClientFields

__all__: list[str] = []

class TaskTool(ClientFields, AsyncBaseTool):
    """A Workers AI task as a LlamaIndex tool; each subclass sets its ``_task``."""

    _task: ClassVar[ToolTask]
    model: str = Field(description="Workers AI model id.")
    name: str = Field(description="Tool name agents call.")
    description: str = Field(description="What the tool does, for agents.")

    @property
    def metadata(self) -> ToolMetadata:
        return ToolMetadata(name=self.name, description=self.description, fn_schema=self._schema())

    def _schema(self) -> type[BaseModel]:
        """The argument schema agents see (may depend on ``model``)."""
        return self._task.schema(self.model)

    def _settings(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self._task.settings}

    def _args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        return tool_arguments(self._schema(), self.name, args, kwargs)

    def _output(self, answer: Answer, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ToolOutput:
        content, raw = answer
        return ToolOutput(tool_name=self.name, content=content,
                          raw_input={"args": args, "kwargs": kwargs}, raw_output=raw)

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the task with a blocking client."""
        answer = run_tool(self._task, self._sync_client, self.model, self._args(args, kwargs),
                          self._settings())
        return self._output(answer, args, kwargs)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the task with the async client."""
        answer = await arun_tool(self._task, self._async_client, self.model,
                                 self._args(args, kwargs), self._settings())
        return self._output(answer, args, kwargs)


class MediaTool(TaskTool):
    """A tool that produces media: the bytes as ``raw_output``, or a file in ``output_dir``."""

    output_dir: str | Path | None = Field(
        default=None, description="Folder to save results in; None keeps the bytes in memory."
    )


class ImageTool(TaskTool):
    """A tool whose main argument is an image (file path, ``data:`` URL or bytes)."""

    root_dir: str | Path | None = Field(
        default=None, description="When set, image paths must lie inside this folder."
    )
