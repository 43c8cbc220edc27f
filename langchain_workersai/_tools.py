"""LangChain tools and ``tool_choice`` forms -> neutral ``ToolSpec`` / ``ToolChoice``.

Tools are normalised with LangChain's ``convert_to_openai_tool`` (LangChain's own common
format), then read into ``ToolSpec``; the wire layer decides how each model wants them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool

from workersai.errors import InvalidInputError
from workersai.types import ForcedTool, ToolChoice, ToolSpec

__all__ = ["format_tool", "to_tool_spec", "tool_name", "to_tool_choice", "check_tool_choice"]

_ALIASES: dict[str, ToolChoice] = {
    "auto": "auto",
    "none": "none",
    "any": "required",
    "required": "required",
}


def format_tool(tool: Any, *, strict: bool | None = None) -> dict[str, Any]:
    """Any LangChain tool form (BaseTool, pydantic, TypedDict, callable, dict) as an
    OpenAI-format tool dict, the form bound to the runnable (readable in traces).

    Raises:
        InvalidInputError: (a ``ValueError``) the tool has no function name.
    """
    formatted = convert_to_openai_tool(tool, strict=strict)
    function = formatted.get("function")
    if not isinstance(function, dict) or not function.get("name"):
        raise InvalidInputError(
            f"tool {_short(tool)} has no function name; a tool dict needs "
            "{'type': 'function', 'function': {'name': ..., 'parameters': {...}}}"
        )
    return formatted


def _short(tool: Any) -> str:
    text = repr(tool)
    return text if len(text) <= 120 else text[:117] + "..."


def to_tool_spec(tool: Any, *, strict: bool | None = None) -> ToolSpec:
    """A neutral tool spec from any LangChain tool form."""
    function = format_tool(tool, strict=strict)["function"]
    return ToolSpec(
        name=function["name"],
        description=function.get("description", ""),
        parameters=function.get("parameters") or {"type": "object", "properties": {}},
        strict=function.get("strict", strict),
    )


def tool_name(tool: Any) -> str:
    """The name a tool is called by."""
    return str(format_tool(tool)["function"]["name"])


def to_tool_choice(choice: Any, tool_names: Sequence[str] = ()) -> ToolChoice | None:
    """Map every LangChain ``tool_choice`` form to the neutral one.

    ``None``/``False`` -> not sent; ``"auto"``/``"none"``; ``"any"``/``"required"``/``True``
    -> ``"required"``; a tool name -> that tool forced; a dict naming a function
    (``{"type": "function", "function": {"name": ...}}`` or ``{"name": ...}``) or a
    ``{"type": "auto"|"none"|"any"|"required"}`` dict. Anything else is a ``ValueError``.
    """
    if choice is None or choice is False:
        return None
    if choice is True:
        return "required"
    if isinstance(choice, ForcedTool):
        return _forced(choice.name, tool_names)
    if isinstance(choice, str):
        alias = _ALIASES.get(choice)
        return alias if alias is not None else _forced(choice, tool_names)
    if isinstance(choice, dict):
        return _from_dict(choice, tool_names)
    raise ValueError(
        f"Unrecognised tool_choice {choice!r}; use 'auto', 'none', 'any', 'required', "
        "True, a tool name or a dict naming a function"
    )


def _from_dict(choice: dict[str, Any], tool_names: Sequence[str]) -> ToolChoice:
    function = choice.get("function")
    if isinstance(function, dict) and function.get("name"):
        return _forced(str(function["name"]), tool_names)
    if choice.get("name"):
        return _forced(str(choice["name"]), tool_names)
    alias = _ALIASES.get(str(choice.get("type")))
    if alias is not None:
        return alias
    raise ValueError(f"Unrecognised tool_choice dict {choice!r}")


def _forced(name: str, tool_names: Sequence[str]) -> ForcedTool:
    if tool_names and name not in tool_names:
        raise ValueError(
            f"tool_choice names {name!r}, which is not among the bound tools {list(tool_names)}"
        )
    return ForcedTool(name)


def check_tool_choice(choice: Any, tools: Sequence[dict[str, Any]]) -> None:
    """Validate ``tool_choice`` at ``bind_tools`` time (raises ``ValueError`` early)."""
    to_tool_choice(choice, [t["function"]["name"] for t in tools])
