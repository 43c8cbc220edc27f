"""The base of the LlamaIndex task tools: connection fields, metadata, call plumbing.

A tool validates its arguments with the same pydantic schema LangChain's twin uses,
runs one core task call (sync or async), and answers with a ``ToolOutput`` whose
``content`` is the text an agent reads and whose ``raw_output`` is the Python value
(a dict, the translated text, media bytes or a saved path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llama_index.core.tools.types import AsyncBaseTool, ToolMetadata, ToolOutput
from pydantic import BaseModel, Field

from workersai.errors import InvalidInputError
from workersai.tasks import MediaBytes
from workersai.tasks._tool_io import deliver_media, read_image

from ._common import ConnectionMixin

__all__: list[str] = []

Answer = tuple[str, Any]
"""(content for the agent, raw output for the caller)."""


class TaskTool(ConnectionMixin, AsyncBaseTool):
    """A Workers AI task as a LlamaIndex tool; each subclass sets its ``model`` default."""

    model: str = Field(description="Workers AI model id.")
    name: str = Field(description="Tool name agents call.")
    description: str = Field(description="What the tool does, for agents.")

    @property
    def metadata(self) -> ToolMetadata:
        return ToolMetadata(name=self.name, description=self.description, fn_schema=self._schema())

    def _schema(self) -> type[BaseModel]:
        """The argument schema agents see (may depend on ``model``)."""
        raise NotImplementedError

    def _run(self, args: dict[str, Any]) -> Answer:
        raise NotImplementedError

    async def _arun(self, args: dict[str, Any]) -> Answer:
        raise NotImplementedError

    def _args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Validated arguments actually given; one positional stands for the first field."""
        schema = self._schema()
        if args:
            if len(args) > 1 or kwargs:
                raise InvalidInputError(f"{self.name} takes keyword arguments")
            kwargs = {next(iter(schema.model_fields)): args[0]}
        parsed = schema.model_validate(kwargs)
        return {name: getattr(parsed, name) for name in parsed.model_fields_set}

    def _output(self, answer: Answer, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ToolOutput:
        content, raw = answer
        return ToolOutput(tool_name=self.name, content=content,
                          raw_input={"args": args, "kwargs": kwargs}, raw_output=raw)

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the task with a blocking client."""
        return self._output(self._run(self._args(args, kwargs)), args, kwargs)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the task with the async client."""
        return self._output(await self._arun(self._args(args, kwargs)), args, kwargs)


class MediaTool(TaskTool):
    """A tool that produces media: the bytes as ``raw_output``, or a file in ``output_dir``."""

    output_dir: str | Path | None = Field(
        default=None, description="Folder to save results in; None keeps the bytes in memory."
    )

    def _deliver(self, what: str, media: MediaBytes) -> Answer:
        return deliver_media(what, media, self.output_dir)


class ImageTool(TaskTool):
    """A tool whose main argument is an image (file path, ``data:`` URL or bytes)."""

    root_dir: str | Path | None = Field(
        default=None, description="When set, image paths must lie inside this folder."
    )

    def _image(self, args: dict[str, Any]) -> bytes:
        return read_image(args["image"], self.root_dir)
