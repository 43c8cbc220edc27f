"""How each task tool runs, shared by the LangChain and LlamaIndex front ends.

A :class:`ToolTask` holds everything about a tool that no framework needs to know: its
name and description, its argument schema, how the agent's arguments and the tool's own
settings (``max_length``, ``min_score``, ``voice``, ``root_dir``, ``output_dir``) become
one core task call, and how the result becomes an :data:`Answer`. A front end only maps
its call convention onto :func:`run_tool` / :func:`arun_tool` and the answer onto its
framework's result type.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from pydantic import BaseModel

from .._task_types import ImageParams, MediaBytes, SpeechParams
from ..errors import InvalidInputError
from ._classify import aclassify_image, aclassify_text, classify_image, classify_text
from ._describe import DEFAULT_DESCRIBE_PROMPT, adescribe_image, describe_image
from ._detect import adetect_objects, detect_objects
from ._image import agenerate_image, generate_image
from ._summarize import asummarize, summarize
from ._tool_io import (
    classification_view,
    deliver_media,
    description_view,
    detections_view,
    read_image,
    summary_view,
)
from ._tool_specs import (
    DEFAULT_TASK_MODELS,
    TOOL_TEXTS,
    DescribeArgs,
    DetectArgs,
    ImageArgs,
    SummarizeArgs,
    TextArgs,
    ToolText,
    image_args_schema,
    speech_args_schema,
    translate_args_schema,
)
from ._translation import atranslate, translate
from ._tts import asynthesize_speech, synthesize_speech

__all__ = [
    "Answer", "ToolTask", "TOOL_TASKS", "given_arguments", "tool_arguments", "run_tool",
    "arun_tool",
]

Answer: TypeAlias = tuple[str, Any]
"""(content an agent reads, the Python value for the caller)."""

Settings: TypeAlias = Mapping[str, Any]
"""The tool's own settings by field name (only those its task lists)."""

Inputs: TypeAlias = tuple[tuple[Any, ...], dict[str, Any]]
"""Positional and keyword arguments of the core call, after ``(client, model)``."""


@dataclass(frozen=True, slots=True)
class ToolTask:
    """One task as a tool: core calls, argument mapping and result shaping."""

    key: str
    """Key in :data:`DEFAULT_TASK_MODELS` and :data:`TOOL_TEXTS`."""
    schema: Callable[[str], type[BaseModel]]
    call: Callable[..., Any]
    acall: Callable[..., Awaitable[Any]]
    inputs: Callable[[dict[str, Any], Settings], Inputs]
    shape: Callable[[Any, Settings], Answer]
    settings: tuple[str, ...] = field(default=())
    """Names of the tool fields :attr:`inputs` and :attr:`shape` read."""

    @property
    def text(self) -> ToolText:
        return TOOL_TEXTS[self.key]

    @property
    def default_model(self) -> str:
        return DEFAULT_TASK_MODELS[self.key]


def given_arguments(
    schema: type[BaseModel], name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The arguments by name; one positional stands for the schema's first field."""
    if not args:
        return kwargs
    if len(args) > 1 or kwargs:
        raise InvalidInputError(f"{name} takes keyword arguments")
    return {next(iter(schema.model_fields)): args[0]}


def tool_arguments(
    schema: type[BaseModel], name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Validated arguments actually given (see :func:`given_arguments`)."""
    parsed = schema.model_validate(given_arguments(schema, name, args, kwargs))
    return {key: getattr(parsed, key) for key in parsed.model_fields_set}


def run_tool(
    task: ToolTask, client: Callable[[], Any], model: str, args: dict[str, Any],
    settings: Settings,
) -> Answer:
    """Run ``task`` with a blocking client (built by ``client`` after the inputs are read)."""
    pos, kw = task.inputs(args, settings)
    return task.shape(task.call(client(), model, *pos, **kw), settings)


async def arun_tool(
    task: ToolTask, client: Callable[[], Any], model: str, args: dict[str, Any],
    settings: Settings,
) -> Answer:
    """Async :func:`run_tool`."""
    pos, kw = task.inputs(args, settings)
    return task.shape(await task.acall(client(), model, *pos, **kw), settings)


def _as_json(view: dict[str, Any]) -> Answer:
    """A JSON view as (its JSON text for the agent, the dict for the caller)."""
    return json.dumps(view, ensure_ascii=False), view


def _json_of(view: Callable[[Any], dict[str, Any]]) -> Callable[[Any, Settings], Answer]:
    return lambda result, _settings: _as_json(view(result))


def _media(what: str) -> Callable[[MediaBytes, Settings], Answer]:
    return lambda media, settings: deliver_media(what, media, settings["output_dir"])


def _image_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    options = dict(args)
    return (options.pop("prompt"), ImageParams(**options)), {}


def _speech_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    params = SpeechParams(voice=args.get("voice") or settings["voice"],
                          language=args.get("language"))
    return (args["text"], params), {}


def _translate_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    return (args["text"], args["target_lang"], args.get("source_lang")), {}


def _text_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    return (args["text"],), {}


def _summary_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    return (args["text"],), {"max_length": args.get("max_length") or settings["max_length"]}


def _image_of(args: dict[str, Any], settings: Settings) -> bytes:
    return read_image(args["image"], settings["root_dir"])


def _classify_image_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    return (_image_of(args, settings),), {}


def _detect_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    given = args.get("min_score")
    floor = settings["min_score"] if given is None else float(given)
    return (_image_of(args, settings),), {"min_score": floor}


def _describe_inputs(args: dict[str, Any], settings: Settings) -> Inputs:
    return (_image_of(args, settings), args.get("prompt") or DEFAULT_DESCRIBE_PROMPT), {}


def _fixed(schema: type[BaseModel]) -> Callable[[str], type[BaseModel]]:
    return lambda _model: schema


TOOL_TASKS: dict[str, ToolTask] = {
    "image": ToolTask("image", image_args_schema, generate_image, agenerate_image,
                      _image_inputs, _media("image"), ("output_dir",)),
    "speech": ToolTask("speech", speech_args_schema, synthesize_speech, asynthesize_speech,
                       _speech_inputs, _media("audio"), ("output_dir", "voice")),
    "translate": ToolTask("translate", translate_args_schema, translate, atranslate,
                          _translate_inputs, lambda out, _s: (out.text, out.text)),
    "classify_text": ToolTask("classify_text", _fixed(TextArgs), classify_text, aclassify_text,
                              _text_inputs, _json_of(classification_view)),
    "summarize": ToolTask("summarize", _fixed(SummarizeArgs), summarize, asummarize,
                          _summary_inputs, _json_of(summary_view), ("max_length",)),
    "classify_image": ToolTask("classify_image", _fixed(ImageArgs), classify_image,
                               aclassify_image, _classify_image_inputs,
                               _json_of(classification_view), ("root_dir",)),
    "detect": ToolTask("detect", _fixed(DetectArgs), detect_objects, adetect_objects,
                       _detect_inputs, _json_of(detections_view), ("root_dir", "min_score")),
    "describe": ToolTask("describe", _fixed(DescribeArgs), describe_image, adescribe_image,
                         _describe_inputs, _json_of(description_view), ("root_dir",)),
}
"""The task tools by key (same keys as :data:`TOOL_TEXTS`)."""
