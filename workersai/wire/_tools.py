"""Tools both ways: tool specs out, tool calls in (every observed call shape).

Call shapes read (reference sections 2.7 and 3.1): classic ``{"name", "arguments": {..}}``
with no id; OpenAI ``{"id", "type", "function": {"name", "arguments"}}`` with arguments as
a JSON string or an object; Responses ``{"type": "function_call", "call_id", "name",
"arguments"}``. A missing id is minted deterministically from the call's position, name
and arguments, so the same reply always yields the same ids. Arguments that do not parse
to a JSON object become :class:`InvalidToolCall` entries; nothing is dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from .._json import loads
from ..errors import InvalidInputError
from ..types import ChatParams, InvalidToolCall, ToolCall, ToolSpec

__all__ = [
    "tool_specs_body",
    "mint_call_id",
    "parse_arguments",
    "arguments_text",
    "read_tool_calls",
    "offered_tools",
    "salvage_text_calls",
]

_EMPTY_PARAMS: dict[str, Any] = {"type": "object", "properties": {}}
_NAME_RE = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def _filled_property(name: str, prop: Any) -> Any:
    """A classic-schema property: needs ``type`` and ``description``."""
    if not isinstance(prop, dict):
        return prop
    out = dict(prop)
    if "type" not in out:
        variants = out.get("anyOf") or out.get("oneOf") or []
        types = [v.get("type") for v in variants if isinstance(v, dict)]
        out["type"] = next((t for t in types if t and t != "null"), "string")
    if not out.get("description"):
        out["description"] = str(out.get("title") or name)
    return out


def _parameters(spec: ToolSpec, fill: bool) -> dict[str, Any]:
    if spec.parameters and not isinstance(spec.parameters, dict):
        raise InvalidInputError(
            f"tool {spec.name!r}: parameters must be a JSON Schema object (a dict), "
            f"not {type(spec.parameters).__name__}"
        )
    params = dict(spec.parameters) if spec.parameters else dict(_EMPTY_PARAMS)
    if params.get("type", "object") != "object":
        # the call's arguments are an object; the published schemas do not refuse this,
        # so the model would get a tool it cannot call
        raise InvalidInputError(
            f"tool {spec.name!r}: parameters must describe an object (type 'object'), "
            f"not type {params['type']!r}"
        )
    if not fill:
        return params
    params.setdefault("type", "object")
    props = params.get("properties")
    props = props if isinstance(props, dict) else {}
    params["properties"] = {k: _filled_property(k, v) for k, v in props.items()}
    return params


def _check_name(spec: ToolSpec, position: int) -> None:
    """Refuse before sending a name the API answers 400 to (empty, spaces, dots, > 64)."""
    if not isinstance(spec.name, str) or not _NAME_RE.fullmatch(spec.name):
        raise InvalidInputError(
            f"tool {position} has an invalid name {spec.name!r}: a tool name must be 1-64 "
            "characters of letters, digits, '_' or '-'"
        )


def tool_specs_body(tools: list[ToolSpec], *, fill: bool) -> list[dict[str, Any]]:
    """OpenAI-style tool items; ``fill`` adds the descriptions classic schemas require.

    Raises:
        InvalidInputError: a tool name that is empty or not ``[a-zA-Z0-9_-]{1,64}``, or
            parameters that are not a JSON object.
    """
    items = []
    for position, spec in enumerate(tools):
        _check_name(spec, position)
        fn: dict[str, Any] = {"name": spec.name}
        description = spec.description or (spec.name if fill else "")
        if description:
            fn["description"] = description
        fn["parameters"] = _parameters(spec, fill)
        if spec.strict is not None:
            fn["strict"] = spec.strict
        items.append({"type": "function", "function": fn})
    return items


def arguments_text(arguments: Any) -> str:
    """Compact JSON text for a call's arguments (a string is kept as it is)."""
    if isinstance(arguments, str):
        return arguments
    return json.dumps(arguments, ensure_ascii=False, separators=(",", ":"))


def mint_call_id(position: int, name: str, arguments: Any) -> str:
    """A stable id for a call the API sent without one: ``call_`` + 24 hex digits."""
    canon = arguments if isinstance(arguments, str) else json.dumps(arguments, sort_keys=True)
    digest = hashlib.sha256(f"{position}\x1f{name}\x1f{canon}".encode()).hexdigest()
    return f"call_{digest[:24]}"


def parse_arguments(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """``(arguments, None)`` or ``(None, error)`` for arguments as sent on the wire."""
    if raw is None:
        return {}, None
    if isinstance(raw, dict):
        return raw, None
    if not isinstance(raw, str):
        return None, f"arguments are a {type(raw).__name__}, not a JSON object"
    if not raw.strip():
        return {}, None
    try:
        value = loads(raw)
    except ValueError as exc:
        return None, f"arguments are not valid JSON: {exc}"
    if not isinstance(value, dict):
        return None, f"arguments are a JSON {type(value).__name__}, not an object"
    return value, None


def _call_parts(item: dict[str, Any]) -> tuple[Any, Any, Any]:
    """``(id, name, raw arguments)`` of one call in any of the three shapes."""
    fn = item.get("function")
    src = fn if isinstance(fn, dict) else item
    raw = src.get("arguments")
    if raw is None:
        raw = src.get("parameters")
    return item.get("call_id") or item.get("id"), src.get("name"), raw


def read_tool_calls(items: Any) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    """Valid and invalid calls from a ``tool_calls`` list (``None`` reads as empty)."""
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    if not isinstance(items, list):
        return calls, invalid
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            invalid.append(InvalidToolCall(None, None, arguments_text(item), "not an object"))
            continue
        call_id, name, raw = _call_parts(item)
        args, error = parse_arguments(raw)
        if not isinstance(name, str) or not name:
            error = error or "tool call without a name"
        if error is not None or args is None:
            text = None if raw is None else arguments_text(raw)
            name_s = name if isinstance(name, str) else None
            invalid.append(InvalidToolCall(call_id, name_s, text, error or "invalid"))
            continue
        calls.append(ToolCall(call_id or mint_call_id(position, name, args), name, args))
    return calls, invalid


def offered_tools(params: ChatParams) -> frozenset[str]:
    """Names of the tools the model may call (none when ``tool_choice`` is ``"none"``)."""
    if not params.tools or params.tool_choice == "none":
        return frozenset()
    return frozenset(t.name for t in params.tools)


_CALL_KEYS = frozenset({"name", "parameters", "arguments", "type"})


def _as_call(value: Any, names: frozenset[str]) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(value, dict) or value.get("name") not in names:
        return None
    if not value.keys() <= _CALL_KEYS or not ("parameters" in value or "arguments" in value):
        return None
    raw = value["parameters"] if "parameters" in value else value["arguments"]
    args, error = parse_arguments(raw)
    return (value["name"], args) if error is None and args is not None else None


def salvage_text_calls(value: Any, names: frozenset[str]) -> list[tuple[str, dict[str, Any]]]:
    """Calls written as JSON text (``{"name", "parameters"|"arguments"}``, or a list).

    Recognised only when every call names exactly one of ``names`` (the offered tools)
    and carries no other keys than ``name``, ``type`` and the arguments; else ``[]``.
    """
    if not names:
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text or text[0] not in "{[":
            return []
        try:
            value = loads(text)
        except ValueError:
            return []
    items = value if isinstance(value, list) else [value]
    calls = [_as_call(item, names) for item in items]
    if not calls or any(c is None for c in calls):
        return []
    return [c for c in calls if c is not None]
