"""Per-call keyword arguments -> one resolved chat call (model, params, options).

Every keyword a caller may pass to ``invoke``/``stream`` (or bind) is listed here; an
unknown one is an ``UnexpectedArgumentError`` (an ``InvalidInputError`` and a
``TypeError``) naming ``model_kwargs`` as the way to send extra body fields. Nothing
unlisted ever reaches the request body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workersai import Pacing
from workersai.config import RequestOptions
from workersai.integration import SAMPLING_FIELDS, TRANSPORT_KEYS, reject_unknown, request_options
from workersai.types import ChatParams, Endpoint, ResponseFormat

from ._tools import to_tool_choice, to_tool_spec

__all__ = ["SAMPLING_FIELDS", "CALL_KEYS", "ChatCall", "resolve_call", "to_response_format"]

_TOOL_KEYS = ("tools", "tool_choice", "parallel_tool_calls", "strict", "response_format")
_OTHER_KEYS = ("model", "endpoint", "stream_usage", "model_kwargs", "stop", "pacing")
_IGNORED = ("stream", "ls_structured_output_format", "structured_output_format")
CALL_KEYS = frozenset(SAMPLING_FIELDS + TRANSPORT_KEYS + _TOOL_KEYS + _OTHER_KEYS + _IGNORED)
"""Every keyword argument ``ChatWorkersAI`` accepts per call."""


@dataclass(slots=True)
class ChatCall:
    """Everything one chat request needs, resolved from fields and per-call kwargs."""

    model: str
    endpoint: Endpoint
    params: ChatParams
    options: RequestOptions | None
    stream_usage: bool
    pacing: Pacing | None = None


def resolve_call(
    defaults: Mapping[str, Any], kwargs: Mapping[str, Any], stop: list[str] | None
) -> ChatCall:
    """Merge the instance's ``defaults`` with per-call ``kwargs`` (per-call wins)."""
    reject_unknown(kwargs, CALL_KEYS, "ChatWorkersAI", "model_kwargs")
    values = {**defaults, **{k: v for k, v in kwargs.items() if k not in _IGNORED}}
    if stop is not None:
        values["stop"] = stop
    tools = values.get("tools") or []
    specs = [to_tool_spec(t, strict=values.get("strict")) for t in tools]
    sampling = {name: values.get(name) for name in SAMPLING_FIELDS}
    sampling["stop"] = list(values["stop"]) if values.get("stop") else None
    params = ChatParams(
        **sampling,
        tools=specs,
        tool_choice=to_tool_choice(values.get("tool_choice"), [s.name for s in specs]),
        parallel_tool_calls=values.get("parallel_tool_calls"),
        response_format=to_response_format(values.get("response_format")),
        extra=dict(values.get("model_kwargs") or {}),
    )
    return ChatCall(
        model=str(values["model"]),
        endpoint=values.get("endpoint") or "native",
        params=params,
        options=request_options(values),
        stream_usage=bool(values.get("stream_usage", True)),
        pacing=values.get("pacing"),
    )


def to_response_format(value: Any) -> ResponseFormat | None:
    """A neutral ``ResponseFormat`` from itself or LangChain's OpenAI-style dict forms:
    ``{"type": "json_object"}`` and
    ``{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}``."""
    if value is None or isinstance(value, ResponseFormat):
        return value
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "json_object":
            return ResponseFormat("json_object")
        if kind == "json_schema":
            spec = value.get("json_schema") or {}
            schema = spec.get("schema", spec)
            return ResponseFormat(
                "json_schema", schema=schema, name=spec.get("name"), strict=spec.get("strict")
            )
    raise ValueError(
        f"Unrecognised response_format {value!r}; use a workersai.types.ResponseFormat, "
        "{'type': 'json_object'} or {'type': 'json_schema', 'json_schema': {...}}"
    )
