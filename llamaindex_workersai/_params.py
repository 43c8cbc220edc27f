"""Instance fields plus per-call overrides -> one neutral chat request (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workersai import Pacing
from workersai.config import RequestOptions
from workersai.errors import InvalidInputError
from workersai.integration import SAMPLING_FIELDS, TRANSPORT_KEYS, reject_unknown, request_options
from workersai.types import ChatParams, Endpoint, ResponseFormat

from ._messages import resolve_tool_choice, to_tool_spec

__all__: list[str] = []

CALL_KWARGS = frozenset(
    {
        *SAMPLING_FIELDS,
        *TRANSPORT_KEYS,
        "model",
        "endpoint",
        "additional_kwargs",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "pacing",
    }
)


@dataclass(slots=True)
class ChatCall:
    """Everything one core ``chat``/``stream_chat`` call needs."""

    model: str
    params: ChatParams
    endpoint: Endpoint
    options: RequestOptions | None
    pacing: Pacing | None = None


def resolve_call(defaults: Mapping[str, Any], kwargs: Mapping[str, Any], where: str) -> ChatCall:
    """Merge instance ``defaults`` (fields by name) with per-call ``kwargs``."""
    reject_unknown(kwargs, CALL_KWARGS, where, "additional_kwargs")
    values = {name: kwargs.get(name, defaults.get(name)) for name in SAMPLING_FIELDS}
    if isinstance(values["stop"], str):
        values["stop"] = [values["stop"]]
    extra = {**(defaults.get("additional_kwargs") or {}), **(kwargs.get("additional_kwargs") or {})}
    tools = [to_tool_spec(t) for t in kwargs.get("tools") or []]
    params = ChatParams(
        **values,
        tools=tools,
        tool_choice=resolve_tool_choice(kwargs.get("tool_choice")) if tools else None,
        parallel_tool_calls=kwargs.get("parallel_tool_calls") if tools else None,
        response_format=_response_format(kwargs.get("response_format")),
        extra=extra,
    )
    endpoint = kwargs.get("endpoint") or defaults["endpoint"]
    if endpoint not in ("native", "openai"):
        raise InvalidInputError(f"endpoint must be 'native' or 'openai', got {endpoint!r}")
    return ChatCall(
        model=kwargs.get("model") or defaults["model"],
        params=params,
        endpoint=endpoint,
        options=request_options(kwargs),
        pacing=kwargs.get("pacing", defaults.get("pacing")),
    )


def _response_format(value: Any) -> ResponseFormat | None:
    """``ResponseFormat``, ``"json_object"``, a JSON-Schema dict or a pydantic model class."""
    if value is None or isinstance(value, ResponseFormat):
        return value
    if value == "json_object":
        return ResponseFormat(kind="json_object")
    if isinstance(value, Mapping):
        return ResponseFormat(kind="json_schema", schema=dict(value))
    schema_fn = getattr(value, "model_json_schema", None)
    if callable(schema_fn):
        return ResponseFormat(
            kind="json_schema", schema=schema_fn(), name=getattr(value, "__name__", None)
        )
    raise InvalidInputError(f"Unsupported response_format {value!r:.80}")
