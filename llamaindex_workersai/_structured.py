"""Structured prediction through the model's native JSON mode (pure helpers).

Used when the catalog lists a JSON mode for the model and ``pydantic_program_mode`` is
``DEFAULT``; otherwise LlamaIndex's own programs run (tool calling, or text parsing).
Workers AI's JSON mode does not stream, so the streaming forms make one request and
yield the finished object once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from llama_index.core.base.llms.types import ChatMessage, ChatResponse
from llama_index.core.prompts import BasePromptTemplate
from llama_index.core.types import PydanticProgramMode
from pydantic import BaseModel, ValidationError

from workersai import catalog
from workersai.errors import WorkersAIError

__all__ = ["StructuredOutputError"]

Model = TypeVar("Model", bound=BaseModel)

_PROGRAM_KWARGS = ("tool_choice", "tool_required", "allow_parallel_tool_calls")


class StructuredOutputError(WorkersAIError, ValueError):
    """The model's answer could not be read as the requested pydantic class."""


def uses_native_json(model: str, mode: PydanticProgramMode) -> bool:
    """Whether structured prediction should use the model's JSON mode."""
    info = catalog.lookup(model)
    return mode == PydanticProgramMode.DEFAULT and info is not None and info.json_mode is not None


def json_mode_call(
    llm: Any,
    output_cls: type[BaseModel],
    prompt: BasePromptTemplate,
    llm_kwargs: Mapping[str, Any] | None,
    prompt_args: Mapping[str, Any],
) -> tuple[list[ChatMessage], dict[str, Any]]:
    """The messages and chat kwargs for one JSON-mode request."""
    messages = llm._extend_messages(prompt.format_messages(llm=llm, **prompt_args))
    kwargs = {k: v for k, v in (llm_kwargs or {}).items() if k not in _PROGRAM_KWARGS}
    kwargs["response_format"] = output_cls
    return messages, kwargs


def parse_output(output_cls: type[Model], response: ChatResponse) -> Model:
    """Validate a JSON-mode answer; raise :class:`StructuredOutputError` when it does not fit."""
    raw = response.raw if isinstance(response.raw, Mapping) else {}
    parsed = raw.get("parsed")
    text = response.message.content or ""
    try:
        if isinstance(parsed, (dict, list)):
            return output_cls.model_validate(parsed)
        return output_cls.model_validate_json(_json_text(text))
    except (ValidationError, ValueError) as exc:
        reason = raw.get("finish_reason")
        hint = " (the answer was cut off: raise max_tokens)" if reason == "length" else ""
        raise StructuredOutputError(
            f"The model did not return a valid {output_cls.__name__} in JSON mode{hint}: "
            f"{_first_line(exc)}. Output was: {text[:300]!r}"
        ) from exc


def _json_text(text: str) -> str:
    """The JSON object inside ``text`` (models sometimes wrap it in a code fence)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return stripped
    start, end = stripped.find("{"), stripped.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("no JSON object in the answer")
    candidate = stripped[start : end + 1]
    json.loads(candidate)
    return candidate


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
